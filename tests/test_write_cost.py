"""What writing a workbook leaves behind: nothing for the cyclic collector, and its setting as found."""

from __future__ import annotations

import gc
import weakref

from allocation.write.book import Book, Sheet, collector_paused


def test_a_closed_workbook_is_freed_without_the_collector(tmp_path) -> None:
    book = Book(tmp_path / "b.xlsx", "Tittel", "stempel")
    for name in ("Ett", "To"):
        sheet = Sheet(book, name)
        sheet.text(0, 0, "tekst", "head")
        sheet.number(1, 0, 12)
        sheet.finish()
    chart = book.wb.add_chart({"type": "pie"})
    chart.add_series({"values": ["Ett", 1, 0, 1, 0]})
    sheet.ws.insert_chart(2, 0, chart)
    gone = weakref.ref(book.wb)
    with collector_paused():
        book.close()
        del book, sheet, chart
        assert gone() is None  # freed by its reference counts alone
    assert (tmp_path / "b.xlsx").stat().st_size > 0


def test_the_collector_is_left_as_it_was_found() -> None:
    was = gc.isenabled()
    try:
        for before in (True, False):
            (gc.enable if before else gc.disable)()
            with collector_paused():
                assert not gc.isenabled()
            assert gc.isenabled() == before
        gc.enable()
        try:
            with collector_paused():
                raise KeyError("x")
        except KeyError:
            pass
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_a_finished_sheet_lets_go_of_its_cells_and_cannot_be_finished_twice(tmp_path) -> None:
    import pytest

    book = Book(tmp_path / "b.xlsx", "Tittel", "stempel")
    sheet = Sheet(book, "Ett")
    sheet.text(0, 0, "Nettverk med et langt navn", "head")
    sheet.number(1, 0, 1_234_567)
    assert len(sheet.cells) == 2
    sheet.finish()
    assert sheet.cells == {} and sheet.col_widths[0] > 8  # sized before the record went
    with pytest.raises(RuntimeError, match="allerede ferdigstilt"):
        sheet.finish()
    book.close()


def test_closing_lets_go_of_what_only_adding_cells_needed(tmp_path) -> None:
    """Before the parts are assembled (the peak of memory), xlsxwriter's record of every table
    cell and the widths remembered for fitting go; the file is the same as without that."""
    from zipfile import ZipFile

    from allocation.write.textfit import longest_word, text_width, wrapped_lines

    def write(path):
        book = Book(path, "Tittel", "stempel")
        sheet = Sheet(book, "Ett")
        for r in range(1, 30):
            sheet.text(r, 0, f"Nettverk {r}, et navn som må brytes over flere linjer", "wrap")
            sheet.number(r, 1, r * 1_000)
        sheet.number(30, 1, 0)
        sheet.as_table("Tabell", 30, ["Nettverk", "Beløp"])
        sheet.finish()
        assert len(sheet.ws.table_cells) == 31 * 2 and text_width.cache_info().currsize > 0
        book.close()
        return sheet

    sheet = write(tmp_path / "a.xlsx")
    assert sheet.ws.table_cells == {}
    assert [f.cache_info().currsize for f in (text_width, longest_word, wrapped_lines)] == [0, 0, 0]
    write(tmp_path / "b.xlsx")  # the widths worked out afresh
    with ZipFile(tmp_path / "a.xlsx") as a, ZipFile(tmp_path / "b.xlsx") as b:
        assert [(i.filename, a.read(i)) for i in a.infolist()] == [(i.filename, b.read(i)) for i in b.infolist()]
