"""Builds the bundled letter templates from :mod:`.texts` with python-docx.

``uv run python -m allocation.write.letter_templates.build`` writes ``brevmal-nb.docx`` and
``brevmal-nn.docx`` beside this file (the ``templates`` command and every run without a
county template use them). The county edits a copy in Word: the fields between ``{{ }}``
and the tags between ``{% %}`` are filled in for each letter.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ..docx_bytes import fixed_zip
from .texts import BOKMAAL, NYNORSK, Block

FIXED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # the templates' own date: a rebuild gives the same bytes

HERE = Path(__file__).resolve().parent
FILES = {"brevmal-nb.docx": BOKMAAL, "brevmal-nn.docx": NYNORSK}


def template_bytes(blocks: list[Block]) -> bytes:
    """One template as .docx bytes (A4, Calibri 11)."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    after_table = False
    for block in blocks:
        kind = block[0]
        if kind == "title":
            title = doc.add_heading(block[1], level=1)
            title.paragraph_format.space_after = Pt(8)
        elif kind == "h":
            doc.add_heading(block[1], level=2)
        elif kind == "table":
            _table(doc, block)
        elif kind == "small":
            run = doc.add_paragraph().add_run(block[1])
            run.font.size = Pt(8)
        else:  # "p", "keep" and "tag"
            para = doc.add_paragraph(block[1])
            para.paragraph_format.keep_with_next = kind == "keep" or None
            if after_table and kind != "tag":
                para.paragraph_format.space_before = Pt(10)  # air between a table and the text under it
        if kind in ("table", "h", "title"):
            after_table = kind == "table"
    doc.core_properties.title = "Brevmal – Kompetanseløftet"
    doc.core_properties.author = doc.core_properties.last_modified_by = "allocation"
    doc.core_properties.created = doc.core_properties.modified = FIXED.replace(tzinfo=None)
    doc.core_properties.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return fixed_zip(out.getvalue(), FIXED)


def _table(doc: object, block: Block) -> None:
    """A table with a header row and one row repeated per item: ``{%tr for … %}`` rows around it.
    Fixed column widths, 9 pt, amounts right-aligned, the header row repeated on a new page."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    headers, cells, loop, widths = block[1], block[2], block[3], block[4]
    assert isinstance(headers, tuple) and isinstance(cells, tuple) and isinstance(loop, str)
    assert len(widths) == len(headers) == len(cells)
    table = doc.add_table(rows=4, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for i, text in enumerate(headers):
        table.rows[0].cells[i].text = text
        for run in table.rows[0].cells[i].paragraphs[0].runs:
            run.bold = True
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for i, text in enumerate(cells):
        table.rows[2].cells[i].text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Cm(widths[i])
            for para in cell.paragraphs:
                if headers[i] == "Beløp":
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in para.runs:
                    run.font.size = Pt(9)
    for i, column in enumerate(table.columns):
        column.width = Cm(widths[i])


def main() -> None:
    for name, blocks in FILES.items():
        (HERE / name).write_bytes(template_bytes(blocks))
        print(HERE / name)


if __name__ == "__main__":
    main()
