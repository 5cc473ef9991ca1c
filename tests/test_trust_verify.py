"""verify sees what a reader and a payer see: every tampering of a run folder that changes a
number, a text, a formula, a format, a file or the manifest makes verify say ULIKT (exit 1),
naming the place; a manifest verify cannot trust makes the folder unusable (exit 2)."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from allocation.cli import main

from .conftest import ROOT

Edit = Callable[[Path], None]


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    """One run with applications and payments, made once and copied for each test."""
    out = tmp_path_factory.mktemp("verify") / "k"
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        assert main(["-q", "run", str(ROOT / "config" / "trondelag-soknader.toml"), "--out", str(out)]) == 0
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    return out


@pytest.fixture
def run_dir(stored, tmp_path) -> Path:
    copy = tmp_path / "kjøring"
    shutil.copytree(stored, copy)
    return copy


def check(capsys, folder: Path) -> tuple[int, str, set[str]]:
    capsys.readouterr()
    code = main(["verify", "-v", str(folder)])
    out = capsys.readouterr()
    text = out.out + out.err
    return code, text, set(re.findall(r"^  (verify\.[a-z_]+):", text, re.M))


def manifest_edit(change: Callable[[dict], object]) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / "manifest.json"
        m = json.loads(path.read_text(encoding="utf-8"))
        change(m)
        path.write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")

    return edit


def sheet_xml(folder: Path, sheet: str) -> str:
    """The zip member holding ``sheet``, found through workbook.xml and its relationships."""
    with zipfile.ZipFile(folder / "fordeling.xlsx") as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(rf'<sheet name="{re.escape(sheet)}" sheetId="\d+" r:id="(rId\d+)"', book).group(1)
    target = re.search(rf'Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels).group(1)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def rewrite(folder: Path, member: str, change: Callable[[str], str]) -> None:
    """Change one part of the stored workbook, keeping every other byte."""
    path = folder / "fordeling.xlsx"
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info.filename)) for info in z.infolist()]
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == member:
                new = change(data.decode("utf-8"))
                assert new != data.decode("utf-8"), "the tampering changed nothing"
                data = new.encode("utf-8")
            z.writestr(info, data)


def cell_edit(sheet: str, ref: str, change: Callable[[str], str]) -> Edit:
    """Change the XML of one cell (``<c r="G2" …>…</c>``) on ``sheet``."""

    def edit(folder: Path) -> None:
        def on_xml(xml: str) -> str:
            pattern = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)')
            found = pattern.search(xml)
            assert found, ref
            return xml[: found.start()] + change(found.group(0)) + xml[found.end() :]

        rewrite(folder, sheet_xml(folder, sheet), on_xml)

    return edit


def first_payment(m: dict) -> None:
    m["payments"][0]["account"] = "1234.56.78903"


def add_sheet(folder: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(folder / "fordeling.xlsx")
    wb.create_sheet("Notater")["A1"] = "lagt til"
    wb.save(folder / "fordeling.xlsx")


def remove_sheet(folder: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(folder / "fordeling.xlsx")
    del wb["Sporing"]
    wb.save(folder / "fordeling.xlsx")


def change_input_byte(folder: Path) -> None:
    path = folder / "inputs" / "trondelag-soknader.toml"
    data = bytearray(path.read_bytes())
    data[-2] = ord("#") if data[-2] != ord("#") else ord(" ")
    path.write_bytes(bytes(data))


DIFFERENT: list[tuple[str, Edit, str, str]] = [
    # (case, tampering, reason code expected, text naming the place)
    ("account in manifest", manifest_edit(first_payment), "verify.manifest_differs", "payments[0].account"),
    (
        "org.nr in manifest",
        manifest_edit(lambda m: m["payments"][1].update(orgnr="999 999 999")),
        "verify.manifest_differs",
        "payments[1].orgnr",
    ),
    (
        "trace in manifest",
        manifest_edit(lambda m: m["trace"][next(iter(m["trace"]))].pop()),
        "verify.manifest_differs",
        "trace",
    ),
    (
        "unit in manifest",
        manifest_edit(lambda m: m.update(unit=1000)),
        "verify.manifest_differs",
        "unit",
    ),
    (
        "finding removed from manifest",
        manifest_edit(lambda m: m["findings"].pop(0)),
        "verify.manifest_differs",
        "findings[",
    ),
    (
        "amount in Utbetaling",
        cell_edit("Utbetaling", "G2", lambda c: c.replace("<v>775837</v>", "<v>875837</v>")),
        "verify.cell_differs",
        "ark «Utbetaling», celle G2",
    ),
    (
        "recipient name in Utbetaling",
        cell_edit("Utbetaling", "A3", lambda c: '<c r="A3" t="inlineStr"><is><t>Falsk mottaker AS</t></is></c>'),
        "verify.cell_differs",
        "ark «Utbetaling», celle A3",
    ),
    (
        "formula in Fordeling",
        cell_edit("Fordeling", "J2", lambda c: c.replace("E2+F2+I2", "E2+F2+I2+1")),
        "verify.formula_differs",
        "ark «Fordeling», celle J2",
    ),
    (
        "number format in Utbetaling",
        cell_edit("Utbetaling", "G4", lambda c: re.sub(r' s="\d+"', "", c)),
        "verify.format_differs",
        "ark «Utbetaling», celle G4",
    ),
    ("sheet added", add_sheet, "verify.extra_sheet", "ark «Notater»"),
    ("sheet removed", remove_sheet, "verify.missing_sheet", "ark «Sporing»"),
    (
        "file added to inputs",
        lambda d: (d / "inputs" / "ekstra.xlsx").write_bytes(b"PK"),
        "verify.extra_input",
        "inputs/ekstra.xlsx",
    ),
    (
        "workbook copy with another case",
        lambda d: shutil.copy(d / "fordeling.xlsx", d / "FORDELING.xlsx"),
        "verify.extra_file",
        "FORDELING.xlsx",
    ),
    (
        "file added to the run folder",
        lambda d: (d / "notat.txt").write_text("endret", encoding="utf-8"),
        "verify.extra_file",
        "notat.txt",
    ),
    ("input byte changed", change_input_byte, "verify.file_changed", "inputs/trondelag-soknader.toml"),
    (
        "input hash blanked",
        manifest_edit(lambda m: m["inputs"][0].update(sha256="")),
        "verify.hash_missing",
        "inputs/tall.xlsx",
    ),
    (
        "input hash removed",
        manifest_edit(lambda m: m["config"].pop("sha256")),
        "verify.hash_missing",
        "inputs/trondelag-soknader.toml",
    ),
    (
        "workbook hash blanked",
        manifest_edit(lambda m: m.update(workbook_sha256="")),
        "verify.hash_missing",
        "fordeling.xlsx",
    ),
    (
        "workbook entry removed",
        manifest_edit(lambda m: m.pop("workbook")),
        "verify.workbook_entry_missing",
        "workbook",
    ),
    ("workbook deleted", lambda d: (d / "fordeling.xlsx").unlink(), "verify.file_missing", "fordeling.xlsx"),
    (
        "input entry removed",
        manifest_edit(lambda m: m["inputs"].pop(1)),
        "verify.extra_input",
        "inputs/søknader.xlsx",
    ),
]


@pytest.mark.parametrize(("case", "edit", "code", "place"), DIFFERENT, ids=[c[0] for c in DIFFERENT])
def test_tampering_is_found(run_dir, capsys, case, edit, code, place) -> None:
    edit(run_dir)
    status, text, codes = check(capsys, run_dir)
    assert status == 1, text
    assert code in codes, text
    assert place in text, text
    assert "IDENTISK" not in text


def test_untouched_folder_is_identical(run_dir, capsys) -> None:
    status, text, codes = check(capsys, run_dir)
    assert status == 0, text
    assert "IDENTISK" in text
    assert not {c for c in codes if c != "verify.ignored_file"}


def test_the_account_change_names_both_values(run_dir, capsys) -> None:
    manifest_edit(first_payment)(run_dir)
    _, text, _ = check(capsys, run_dir)
    assert "«1234.56.78903» i manifestet" in text and "«1505.00.00009» ved ny kjøring" in text


def test_an_excel_lock_file_is_not_a_difference(run_dir, capsys) -> None:
    (run_dir / "~$fordeling.xlsx").write_bytes(b"x")
    status, text, codes = check(capsys, run_dir)
    assert status == 0, text
    assert codes == {"verify.ignored_file"}


UNUSABLE: list[tuple[str, Edit, str]] = [
    ("not json", lambda d: (d / "manifest.json").write_text("{ikke json", encoding="utf-8"), "verify.manifest_invalid"),
    ("not utf-8", lambda d: (d / "manifest.json").write_bytes(b'{"a": "\xff"}'), "verify.manifest_invalid"),
    ("a list", lambda d: (d / "manifest.json").write_text("[]", encoding="utf-8"), "verify.manifest_invalid"),
    (
        "deeply nested",
        lambda d: (d / "manifest.json").write_text("[" * 100_000, encoding="utf-8"),
        "verify.manifest_invalid",
    ),
    ("no manifest", lambda d: (d / "manifest.json").unlink(), "verify.no_manifest"),
    (
        "path traversal",
        manifest_edit(lambda m: m["inputs"][0].update(file="../../etc/passwd")),
        "verify.unsafe_path",
    ),
    ("absolute path", manifest_edit(lambda m: m["config"].update(file="/etc/passwd")), "verify.unsafe_path"),
    ("windows path", manifest_edit(lambda m: m["config"].update(file="C:\\Windows\\win.ini")), "verify.unsafe_path"),
    ("workbook outside", manifest_edit(lambda m: m.update(workbook="../fordeling.xlsx")), "verify.unsafe_path"),
    ("inputs not a list", manifest_edit(lambda m: m.update(inputs={"a": 1})), "verify.manifest_invalid"),
    ("config missing", manifest_edit(lambda m: m.pop("config")), "verify.manifest_invalid"),
    ("file a number", manifest_edit(lambda m: m["inputs"][0].update(file=7)), "verify.manifest_invalid"),
    ("unknown role", manifest_edit(lambda m: m["inputs"][0].update(role="x")), "verify.manifest_invalid"),
    ("command not a list", manifest_edit(lambda m: m.update(command="run")), "verify.manifest_invalid"),
    ("created not a time", manifest_edit(lambda m: m.update(created="i går")), "verify.manifest_invalid"),
    ("version", manifest_edit(lambda m: m.update(manifest_version="1")), "verify.manifest_invalid"),
    ("environment", manifest_edit(lambda m: m.update(environment=None)), "verify.manifest_invalid"),
    (
        "same file twice",
        manifest_edit(lambda m: m["inputs"].append(dict(m["inputs"][0]))),
        "verify.manifest_invalid",
    ),
]


@pytest.mark.parametrize(("case", "edit", "code"), UNUSABLE, ids=[c[0] for c in UNUSABLE])
def test_unusable_manifest(run_dir, capsys, case, edit, code) -> None:
    edit(run_dir)
    status, text, codes = check(capsys, run_dir)
    assert status == 2, text
    assert codes == {code}, text
    assert "Traceback" not in text and "Uventet feil" not in text


def test_a_link_out_of_the_folder_is_unusable(run_dir, capsys) -> None:
    target = run_dir / "inputs" / "tall.xlsx"
    outside = run_dir.parent / "utenfor.xlsx"
    shutil.move(target, outside)
    target.symlink_to(outside)
    status, text, codes = check(capsys, run_dir)
    assert status == 2 and codes == {"verify.unsafe_path"}, text


def test_missing_folder_is_unusable(tmp_path, capsys) -> None:
    status, _, codes = check(capsys, tmp_path / "finnes-ikke")
    assert status == 2 and codes == {"verify.not_a_folder"}


def test_folder_of_applications_with_a_skipped_file_verifies(tmp_path, capsys, monkeypatch) -> None:
    """Applications read from a folder are shown as «folder/file», and a skipped file gets a note;
    verify re-creates both from the copies and the manifest."""
    folder = tmp_path / "skjema"
    shutil.copytree(ROOT / "input_templates" / "trondelag" / "skjema", folder)
    (folder / "les meg.txt").write_text("ikke en søknad", encoding="utf-8")
    text = (ROOT / "config" / "trondelag-skjema.toml").read_text(encoding="utf-8")
    text = text.replace('folder = "../input_templates/trondelag/skjema"', f'folder = "{folder.as_posix()}"')
    text = text.replace('counts = "../input_templates/', f'counts = "{(ROOT / "input_templates").as_posix()}/')
    config = tmp_path / "skjema.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "k"
    assert main(["-q", "run", str(config), "--out", str(out)]) == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert any(f["code"] == "applications.not_xlsx" for f in m["findings"])
    assert any(e.get("shown_as", "").startswith("skjema/") for e in m["inputs"])
    status, text, _ = check(capsys, out)
    assert status == 0, text
    manifest_edit(
        lambda m: [f.update(message="Endret") for f in m["findings"] if f["code"] == "applications.not_xlsx"]
    )(out)
    status, text, codes = check(capsys, out)
    assert status == 1 and "verify.cell_differs" in codes, text  # the Kontroll sheet no longer matches


def test_scenario_workbook_is_rebuilt(tmp_path, capsys, monkeypatch) -> None:
    """scenarier.xlsx is compared with one rebuilt from the alternatives' re-runs, so a changed
    cell is found even when its hash in the manifest was updated to match."""
    text = (ROOT / "config" / "trondelag.toml").read_text(encoding="utf-8")
    text = text.replace("../input_templates", (ROOT / "input_templates").as_posix())
    config = tmp_path / "modell.toml"
    config.write_text(text + '\n[[scenario]]\nname = "Større ramme"\nrun = { frame = 33_000_000 }\n', encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "k"
    assert main(["-q", "run", str(config), "--out", str(out)]) == 0
    assert check(capsys, out)[0] == 0
    path = out / "scenarier.xlsx"
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info.filename)) for info in z.infolist()]
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'(<c r="C2"[^>]*><v>)(\d+)', lambda m: m.group(1) + b"1" + m.group(2), data, count=1)
            z.writestr(info, data)
    from allocation.audit.manifest import sha256_file

    manifest_edit(lambda m: m["scenario_workbook"].update(sha256=sha256_file(path)))(out)
    status, text, codes = check(capsys, out)
    assert status == 1 and "verify.cell_differs" in codes, text
    assert "scenarier.xlsx, ark «Scenarier», celle C2" in text


@pytest.mark.parametrize(
    ("case", "edit", "code"),
    [
        (
            "workbook not a zip",
            lambda d: (d / "fordeling.xlsx").write_bytes(b"ikke en arbeidsbok"),
            "verify.workbook_unreadable",
        ),
        ("findings not a list", manifest_edit(lambda m: m.update(findings=5)), "verify.manifest_differs"),
        ("networks not a list", manifest_edit(lambda m: m.update(networks={"x": 1})), "verify.manifest_differs"),
        (
            "huge number",
            lambda d: (d / "manifest.json").write_text(
                (d / "manifest.json").read_text(encoding="utf-8").replace('"frame": 32000000', '"frame": 1e999', 1),
                encoding="utf-8",
            ),
            "verify.manifest_differs",
        ),
    ],
)
def test_odd_values_are_differences_not_crashes(run_dir, capsys, case, edit, code) -> None:
    edit(run_dir)
    status, text, codes = check(capsys, run_dir)
    assert status == 1 and code in codes, text
    assert "Uventet feil" not in text


@pytest.mark.parametrize(("key", "folder"), [("letters[0]", "brev"), ("letter_list", "brev"), ("inputs[0]", "inputs")])
def test_an_unsafe_path_names_the_folder_it_belongs_in(tmp_path, key, folder) -> None:
    """A letter outside ``brev/`` is told to be in ``brev/``, not in ``inputs/``."""
    from allocation.audit.verify_manifest import Unusable, _safe_path

    with pytest.raises(Unusable) as caught:
        _safe_path(tmp_path, "../x.docx", key, top_level=False)
    assert f"ventet {folder}/<filnavn>" in caught.value.finding.message
