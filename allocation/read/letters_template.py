"""A letter template checked before any letter is written: every required field is there, and
no field is one the engine does not fill. Each problem is a finding naming template and field."""

from __future__ import annotations

import io
from pathlib import Path

from ..model.findings import ERROR, Finding
from ..model.letters import FIELDS, REQUIRED_FIELDS
from .snapshot import read_bytes


def template_fields(data: bytes) -> set[str]:
    """The top-level fields a .docx template uses (loop variables excluded). Raises on a file
    that is not a readable Word document or whose tags are not valid."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(data))
    return set(tpl.get_undeclared_template_variables())


def check_template(path: Path, standard: str, where: str, data: bytes | None = None) -> list[Finding]:
    """Findings for the template at ``path`` (``where``: the TOML key that names it)."""
    name = path.name
    try:
        used = template_fields(read_bytes(path) if data is None else data)
    except Exception as exc:  # noqa: BLE001 - any failure of a county's file is a finding, never a crash
        return [
            Finding(
                "letters.template_unreadable",
                ERROR,
                f"Brevmalen for {standard} kan ikke leses som Word-dokument med felt ({type(exc).__name__}: "
                f"{str(exc)[:200]}).",
                file=name,
                cell=where,
                value=name,
                fix="Lagre malen som .docx i Word, og sjekk at hvert felt står som {{ navn }} og hver "
                "kode som {% … %}.",
            )
        ]
    out = []
    for field in REQUIRED_FIELDS:
        if field not in used:
            out.append(
                Finding(
                    "letters.template_missing_field",
                    ERROR,
                    f"Brevmalen {name} ({standard}) mangler feltet {{{{ {field} }}}} ({FIELDS[field]}); "
                    "hvert brev skal ha det.",
                    file=name,
                    cell=where,
                    value=field,
                    expected=field,
                    fix=f"Skriv {{{{ {field} }}}} inn i malen der det hører hjemme (se de medfølgende brevmalene).",
                )
            )
    for field in sorted(used - set(FIELDS)):
        out.append(
            Finding(
                "letters.template_unknown_field",
                ERROR,
                f"Brevmalen {name} ({standard}) bruker feltet {{{{ {field} }}}}, som programmet ikke kjenner.",
                file=name,
                cell=where,
                value=field,
                expected=", ".join(sorted(FIELDS)),
                fix="Rett navnet på feltet (se listen over felt i brukerveiledningen), eller ta det bort.",
            )
        )
    return out
