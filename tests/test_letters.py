"""Decision letters: every letter read back (its paragraphs and tables) against the manifest,
the recipient's written standard, the template checks, byte-identical reruns, verify and PDF."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document

from allocation.cli import main
from allocation.model.findings import ConfigError, InputErrors
from allocation.model.letters import kroner_text
from allocation.pipeline import prepare
from allocation.read.letters_template import check_template
from allocation.write.docx_bytes import docx_text
from allocation.write.letter_templates.build import template_bytes
from allocation.write.letter_templates.texts import BOKMAAL, NYNORSK

from .conftest import ROOT, write_xlsx

BUNDLED = ROOT / "allocation" / "write" / "letter_templates"
# Words only bokmål writes (the nynorsk forms differ): none may stand in a nynorsk letter.
BOKMAAL_MARKERS = {
    "ikke",
    "dere",
    "hva",
    "hvilke",
    "tilskuddet",
    "tilskudd",
    "blir",
    "mottatt",
    "vedtatt",
    "eieren",
    "skoler",
    "barnehager",
    "høyeste",
    "hilsen",
    "derfor",
    "ingen",
    "regnet",
    "disse",
    "fra",
    "midler",
    "mottaker",
    "saksbehandler",
    "kjøringen",
    "rammen",
    "elever",
}

LETTERS = """
[letters]
decision_date = 2025-03-14
case_number = "2025/99"
saksbehandler = "Kari Nordmann"
saksbehandler_title = "rådgjevar"
beslutningstaker = "Ola Hansen"
beslutningstaker_title = "direktør"
reporting_deadline = 2026-03-01
appeal_address = "Statsforvaltaren, postboks 1, 0001 Oslo"
internal = ["Møte"]
"""


def _run(config: Path, out: Path) -> dict[str, Any]:
    assert main(["run", str(config), "--out", str(out), "--quiet"]) == 0
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def decisions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("vedtak") / "run"
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        return out, _run(ROOT / "config" / "trondelag-soknader.toml", out)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("ramme") / "run"
    return out, _run(ROOT / "config" / "trondelag.toml", out)


def _text(path: Path) -> str:
    return "\n".join(docx_text(path.read_bytes()))


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}


def test_every_network_and_external_recipient_has_a_decision(decisions) -> None:
    out, m = decisions
    letters = m["letters"]
    assert {e["network"] for e in letters if e["network"]} == {n["name"] for n in m["networks"]}
    assert [e["recipient"] for e in letters if not e["network"]] == ["PPT-ledernettverket"]  # the others are internal
    assert {e["kind"] for e in letters} == {"vedtak"}
    assert m["fingerprint"] and len(m["fingerprint"]) == 64
    for e in letters:
        assert (out / e["file"]).is_file()


def test_decision_letters_say_what_the_manifest_says(decisions) -> None:
    out, m = decisions
    networks = {n["name"]: n for n in m["networks"]}
    for e in m["letters"]:
        text = _text(out / e["file"])
        assert kroner_text(e["amount"]) in text
        assert "Kari Nordmann" in text and "Ola Hansen" in text
        assert m["fingerprint"] in text and m["name"] in text
        assert re.search(r"tre (uker|veker)", text) and "4. april 2025" in text  # three weeks after 14 March
        assert "Riksrevisjonen" in text
        if e["network"] is None:
            continue
        n = networks[e["network"]]
        assert e["amount"] == n["granted"]
        for amount in (n["granted"], n["granted_owner"], n["granted_uh"]):
            assert kroner_text(amount) in text
        for p in (p for p in m["payments"] if p["network"] == e["network"]):
            for value in (p["recipient"], p["orgnr"], p["account"], p["reference"], kroner_text(p["amount"])):
                assert value in text, (e["file"], value)
        owner = next((p for p in m["payments"] if p["network"] == e["network"] and p["role"] == "Eier"), None)
        if owner is None:  # no application: a decision of 0 kr, addressed to the network
            assert e["amount"] == 0 and e["recipient"] == f"Nettverket {e['network']}"
        else:
            assert e["recipient"] == owner["recipient"] and e["orgnr"] == owner["orgnr"]


def test_payment_table_cells_are_the_payment_lines(decisions) -> None:
    out, m = decisions
    doc = Document(str(out / "brev" / "fosen.docx"))
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    fosen = [p for p in m["payments"] if p["network"] == "Fosen"]
    for p in fosen:
        assert [p["recipient"], p["orgnr"], p["account"], p["reference"], kroner_text(p["amount"])] in [
            r[1:] for r in rows
        ]
    assert "1\u00a0094\u00a0165\u00a0kr" in _text(out / "brev" / "fosen.docx")  # the frame, the Norwegian way


def test_letter_list_lists_every_letter_with_its_hash(decisions) -> None:
    out, m = decisions
    ws = openpyxl.load_workbook(out / "brev" / "brevliste.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Mottaker", "Nettverk", "Org.nr.", "Beløp", "Målform", "Brevtype", "Fil", "SHA-256")
    got = [(r[0], r[2] or "", r[3], r[4], r[5], r[6], r[7]) for r in rows[1:]]
    want = [
        (e["recipient"], e["orgnr"], e["amount"], e["standard"], e["kind"], e["file"], e["sha256"])
        for e in m["letters"]
    ]
    assert got == want


def test_frame_notices_show_the_frame_and_its_parts(frames) -> None:
    out, m = frames
    assert {e["kind"] for e in m["letters"]} == {"rammebrev"}
    for n in m["networks"]:
        entry = next(e for e in m["letters"] if e["network"] == n["name"])
        assert entry["amount"] == n["frame"]
        text = _text(out / entry["file"])
        assert kroner_text(n["frame"]) in text
        for amount in n["parts"].values():
            assert kroner_text(amount) in text
    fosen = _text(out / "brev" / "fosen.docx")
    assert kroner_text(1_094_165) in fosen and "Rammebrev" in fosen
    meta = m["letter_metadata"]
    assert meta["decision_date"] == {"value": "2025-03-14", "note": "Samarbeidsforum 2025-03-10, sak 4"}
    assert meta["appeal_deadline"]["value"] == "2025-04-04"  # three weeks


def test_nynorsk_recipient_gets_a_nynorsk_letter_throughout(frames, decisions) -> None:
    for out, m in (frames, decisions):
        standards = {e["network"]: e["standard"] for e in m["letters"] if e["network"]}
        assert standards["Orkdalsregionen"] == "nynorsk"
        assert standards["Fosen"] == "bokmål"
        nn = _words(_text(out / "brev" / "orkdalsregionen.docx"))
        data = _words(" ".join(p["recipient"] for p in m.get("payments", [])))  # names as the applications spell them
        assert not (nn - data) & BOKMAAL_MARKERS, sorted((nn - data) & BOKMAAL_MARKERS)
        assert {"tilskot", "ikkje", "frå"} <= nn
        nb = _words(_text(out / "brev" / "fosen.docx"))
        assert {"ikke", "tilskuddet", "dere"} <= nb  # the markers do find bokmål


def test_nordland_has_a_nynorsk_network_and_recipient(tmp_path) -> None:
    m = _run(ROOT / "config" / "nordland.toml", tmp_path / "run")
    standards = {e["recipient"]: e["standard"] for e in m["letters"]}
    assert standards["Nettverket Lofoten"] == "nynorsk" and standards["UH i eiernettverket"] == "nynorsk"
    assert standards["Nettverket Bodø"] == "bokmål"
    assert "Særskilte tiltak" not in standards  # internal: no letter
    text = _words(_text(tmp_path / "run" / "brev" / "mottaker-uh-i-eiernettverket.docx"))
    assert not text & BOKMAAL_MARKERS
    lofoten = _words(_text(tmp_path / "run" / "brev" / "lofoten.docx"))  # pots and columns via the labels too
    assert not lofoten & (BOKMAAL_MARKERS | {"skole", "grunnskolen", "lærlinger"}), lofoten & BOKMAAL_MARKERS


def test_bundled_nynorsk_wording_has_no_bokmaal_word() -> None:
    text = " ".join(b[1] if isinstance(b[1], str) else " ".join(b[1] + b[2]) for b in NYNORSK)
    text = re.sub(r"\{[{%].*?[}%]\}", " ", text)  # fields and tags are the engine's names, not text
    assert not _words(text) & BOKMAAL_MARKERS, sorted(_words(text) & BOKMAAL_MARKERS)


def test_bundled_templates_pass_the_template_check() -> None:
    for name in ("brevmal-nb.docx", "brevmal-nn.docx"):
        assert check_template(BUNDLED / name, "x", "y") == []
    for blocks, name in ((BOKMAAL, "brevmal-nb.docx"), (NYNORSK, "brevmal-nn.docx")):
        assert template_bytes(blocks) == (BUNDLED / name).read_bytes(), "run the template build script"


def _small_model(tmp_path: Path, counts: list[list[Any]], letters: str = LETTERS) -> Path:
    write_xlsx(tmp_path / "tall.xlsx", {"Tall": counts})
    config = tmp_path / "modell.toml"
    config.write_text(
        '[run]\nname = "Liten"\ncounty = "Testfylke"\nyear = 2025\nframe = 1_000_000\n\n'
        '[inputs]\ncounts = "tall.xlsx"\n\n[keys.alle]\ncolumns = { "Elever i grunnskolen" = 1 }\n\n'
        '[[pot]]\nname = "Møte"\namount = 100_000\n\n[[pot]]\nname = "Nøkkel"\nrest = true\nspread = "key"\n'
        'key = "alle"\n' + letters,
        encoding="utf-8",
    )
    return config


HEAD = ["Nettverk", "Eier", "Kommunenummer", "Barn i barnehage", "Elever i grunnskolen", "Elever og lærlinger i vgs"]


def _codes(exc: pytest.ExceptionInfo[Any]) -> list[str]:
    return [f.code for f in exc.value.findings]


def test_malform_nb_nn_and_a_sami_template(tmp_path) -> None:
    sami = tmp_path / "brevmal-se.docx"
    shutil.copyfile(BUNDLED / "brevmal-nb.docx", sami)
    rows = [
        [*HEAD, "Målform"],
        ["Aust", "A kommune", "0301", 1, 10, 0, "nn"],
        ["Vest", "B kommune", "0302", 1, 20, 0, "NB"],
        ["Nord", "C kommune", "5401", 1, 30, 0, "nordsamisk"],
    ]
    config = _small_model(tmp_path, rows, LETTERS + '[letters.templates]\nnordsamisk = "brevmal-se.docx"\n')
    m = _run(config, tmp_path / "run")
    got = {e["network"]: (e["standard"], e["template"]) for e in m["letters"]}
    assert got == {
        "Aust": ("nynorsk", "brevmal-nn.docx"),
        "Vest": ("bokmål", "brevmal-nb.docx"),
        "Nord": ("nordsamisk", "brevmal-se.docx"),
    }
    assert any(e["role"] == "letter_template:nordsamisk" for e in m["inputs"])  # copied, hashed, fingerprinted
    assert main(["verify", str(tmp_path / "run")]) == 0


def test_unknown_and_conflicting_malform_are_errors(tmp_path) -> None:
    rows = [
        [*HEAD, "Målform"],
        ["Aust", "A kommune", "0301", 1, 10, 0, "nynorsk"],
        ["Aust", "B kommune", "0302", 1, 10, 0, "bokmål"],
        ["Vest", "C kommune", "0303", 1, 20, 0, "svensk"],
    ]
    with pytest.raises(InputErrors) as exc:
        prepare(_small_model(tmp_path, rows))
    found = {f.code: f for f in exc.value.findings}
    assert found["letters.unknown_standard"].cell == "G4" and found["letters.unknown_standard"].value == "svensk"
    assert found["letters.standard_conflict"].sheet == "Tall" and "G2" in found["letters.standard_conflict"].value


def test_one_recipient_of_set_asides_with_two_standards_is_an_error_not_the_first_row(tmp_path) -> None:
    config = _with_parameters(tmp_path, "[letters]\n", SHEET_ROWS)
    write_xlsx(
        tmp_path / "parametre.xlsx",
        {
            "Ramme": [["Post", "Beløp", "Vedtak"], ["Ramme", 1_000_000, "Tildelingsbrev"]],
            "Avsetninger": [
                ["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak", "Målform"],
                ["Kurs", 10_000, None, "Nord universitet", "Forum", "nynorsk"],
                ["Samling", 20_000, None, "Nord universitet", "Forum", "bokmål"],
            ],
            "Nettverk": [["Nettverk", "Grunntilskudd", "Koordinering", "Vedtak"]],
            "Brev": [["Felt", "Verdi", "Vedtak"], *SHEET_ROWS],
        },
    )
    with pytest.raises(InputErrors) as exc:
        prepare(config)
    found = [f for f in exc.value.findings if f.code == "letters.standard_conflict"]
    assert [(f.file, f.sheet, f.cell) for f in found] == [("parametre.xlsx", "Avsetninger", "F2")]
    assert "F3" in found[0].value and "Nord universitet" in found[0].message


def test_one_written_standard_with_two_templates_is_an_error_not_the_first(tmp_path) -> None:
    for name in ("a.docx", "b.docx"):
        shutil.copyfile(BUNDLED / "brevmal-nn.docx", tmp_path / name)
    rows = [HEAD, ["Aust", None, None, 1, 10, 0]]
    config = _small_model(tmp_path, rows, LETTERS + '[letters.templates]\nnn = "a.docx"\nnynorsk = "b.docx"\n')
    with pytest.raises(ConfigError) as exc:
        prepare(config)
    found = [f for f in exc.value.findings if f.code == "config.duplicate_name"]
    assert [(f.cell, f.value) for f in found] == [("letters.templates.nynorsk", "nynorsk")]


def test_letters_config_is_strict(tmp_path) -> None:
    rows = [HEAD, ["Aust", None, None, 1, 10, 0]]
    bad = LETTERS.replace("case_number", "saksnr").replace('internal = ["Møte"]', 'language = "svensk"')
    with pytest.raises(ConfigError) as exc:
        prepare(_small_model(tmp_path, rows, bad))
    codes = _codes(exc)
    assert "config.unknown_key" in codes and "config.letters_language" in codes
    assert any(f.code == "config.missing" and f.cell == "letters.case_number" for f in exc.value.findings)


def _template_with(tmp_path: Path, old: str, new: str) -> Path:
    blocks = [tuple(part.replace(old, new) if isinstance(part, str) else part for part in b) for b in BOKMAAL]
    path = tmp_path / "egen-mal.docx"
    path.write_bytes(template_bytes(blocks))
    return path


def test_template_missing_an_element_or_naming_an_unknown_field(tmp_path) -> None:
    _template_with(tmp_path, "{{ klagefrist }}", "{{ klagefristen }}")
    rows = [HEAD, ["Aust", None, None, 1, 10, 0]]
    config = _small_model(tmp_path, rows, LETTERS + '[letters.templates]\nnb = "egen-mal.docx"\n')
    with pytest.raises(InputErrors) as exc:
        prepare(config)
    found = {f.code: f for f in exc.value.findings}
    assert found["letters.template_missing_field"].value == "klagefrist"
    assert found["letters.template_unknown_field"].value == "klagefristen"
    assert found["letters.template_unknown_field"].file == "egen-mal.docx"
    assert found["letters.template_unknown_field"].cell == "letters.templates.nb"


def test_own_template_named_nb_is_used_for_bokmaal(tmp_path) -> None:
    _template_with(tmp_path, "Med hilsen", "Vennlig hilsen")
    config = _small_model(
        tmp_path, [HEAD, ["Aust", None, None, 1, 10, 0]], LETTERS + '[letters.templates]\nnb = "egen-mal.docx"\n'
    )
    m = _run(config, tmp_path / "run")
    assert [e["template"] for e in m["letters"]] == ["egen-mal.docx"]
    assert "Vennlig hilsen" in _text(tmp_path / "run" / "brev" / "aust.docx")


def test_template_that_is_not_a_word_document(tmp_path) -> None:
    (tmp_path / "egen-mal.docx").write_bytes(b"ikke en mal")
    config = _small_model(
        tmp_path, [HEAD, ["Aust", None, None, 1, 10, 0]], LETTERS + '[letters.templates]\n"bokmål" = "egen-mal.docx"\n'
    )
    with pytest.raises(InputErrors) as exc:
        prepare(config)
    assert _codes(exc) == ["letters.template_unreadable"]


def test_rerun_is_byte_identical(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    config = ROOT / "config" / "trondelag-soknader.toml"
    _run(config, tmp_path / "a")
    _run(config, tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert Path("brev/fosen.docx") in files
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def _edit(path: Path, old: str, new: str) -> None:
    doc = Document(str(path))
    cells = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    for para in [*doc.paragraphs, *cells]:
        for run in para.runs:
            run.text = run.text.replace(old, new)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(buf.getvalue())


@pytest.mark.parametrize(
    ("old", "new"), [("1505.00.00009", "1505.00.00017"), (kroner_text(775_837), kroner_text(775_873))]
)
def test_verify_catches_an_edited_letter(decisions, tmp_path, capsys, old, new) -> None:
    out = tmp_path / "run"
    shutil.copytree(decisions[0], out)
    _edit(out / "brev" / "fosen.docx", old, new)
    capsys.readouterr()
    assert main(["verify", str(out)]) == 1
    shown = capsys.readouterr().out
    assert "verify.letter_differs" in shown and new in shown and old in shown


def test_verify_passes_an_untouched_run(decisions) -> None:
    assert main(["verify", str(decisions[0])]) == 0


def test_templates_command_writes_the_letter_templates(tmp_path) -> None:
    assert main(["templates", "--out", str(tmp_path)]) == 0
    for name in ("brevmal-nb.docx", "brevmal-nn.docx"):
        assert (tmp_path / name).read_bytes() == (BUNDLED / name).read_bytes()


def test_pdf_copies_are_pdf_a(tmp_path, monkeypatch) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("ALLOCATION_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice is required here (ALLOCATION_REQUIRE_LIBREOFFICE=1)")
        pytest.skip("LibreOffice is not installed")
    monkeypatch.setenv("ALLOCATION_LETTER_PDF", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    rows = [[*HEAD, "Målform"], ["Aust", "A", "0301", 1, 10, 0, "nn"], ["Vest", "B", "0302", 1, 20, 0, ""]]
    config = _small_model(tmp_path, rows)
    m = _run(config, tmp_path / "run")
    again = _run(config, tmp_path / "again")
    # the letters are byte-identical; the PDF copies get the same dates and IDs, but LibreOffice's font
    # subsets are not always the same (see README), so the PDFs are compared by their text
    assert [{k: v for k, v in e.items() if k != "pdf"} for e in again["letters"]] == [
        {k: v for k, v in e.items() if k != "pdf"} for e in m["letters"]
    ]
    for e in m["letters"]:
        pdf = tmp_path / "run" / e["pdf"]["file"]
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and b"pdfaid:part>2<" in data
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            assert kroner_text(e["amount"]).replace("\u00a0", " ") in text.replace("\u00a0", " ")
    assert main(["verify", str(tmp_path / "run")]) == 0


def _with_parameters(tmp_path: Path, letters: str, brev: list[list[Any]]) -> Path:
    write_xlsx(tmp_path / "tall.xlsx", {"Tall": [HEAD, ["Aust", None, None, 1, 10, 0], ["Vest", None, None, 1, 30, 0]]})
    write_xlsx(
        tmp_path / "parametre.xlsx",
        {
            "Ramme": [["Post", "Beløp", "Vedtak"], ["Ramme", 1_000_000, "Tildelingsbrev"]],
            "Avsetninger": [["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak"]],
            "Nettverk": [["Nettverk", "Grunntilskudd", "Koordinering", "Vedtak"]],
            "Brev": [["Felt", "Verdi", "Vedtak"], *brev],
        },
    )
    config = tmp_path / "modell.toml"
    config.write_text(
        '[run]\nname = "Med parametre"\nyear = 2026\n\n'
        '[inputs]\ncounts = "tall.xlsx"\nparameters = "parametre.xlsx"\n\n'
        '[keys.alle]\ncolumns = { "Elever i grunnskolen" = 1 }\n\n'
        '[[pot]]\nname = "Nøkkel"\nrest = true\nspread = "key"\nkey = "alle"\n\n' + letters,
        encoding="utf-8",
    )
    return config


SHEET_ROWS = [
    ["Vedtaksdato", "14.03.2026", "Samarbeidsforum 2026-03-10, sak 2"],
    ["Saksnummer", "2026/7", None],
    ["Saksbehandler", "Kari Nordmann", None],
    ["Beslutningstaker", "Ola Hansen", None],
    ["Rapporteringsfrist", dt.datetime(2027, 3, 1), None],
    ["Klageadresse", "Statsforvaltaren, postboks 1", None],
]


def test_metadata_from_the_parameters_workbook(tmp_path) -> None:
    config = _with_parameters(tmp_path, '[letters]\nlanguage = "nynorsk"\n', SHEET_ROWS)
    m = _run(config, tmp_path / "run")
    assert m["letter_metadata"]["decision_date"] == {"value": "2026-03-14", "note": "Samarbeidsforum 2026-03-10, sak 2"}
    text = _text(tmp_path / "run" / "brev" / "aust.docx")
    assert "Kari Nordmann" in text and "2026/7" in text and "1. mars 2027" in text and "4. april 2026" in text
    assert main(["verify", str(tmp_path / "run")]) == 0


def test_metadata_sheet_problems(tmp_path) -> None:
    rows = [*SHEET_ROWS[:4], ["Rapporteringsfrist", "snart", None], ["Klageadrese", "x", None], SHEET_ROWS[5]]
    config = _with_parameters(tmp_path, '[letters]\ncase_number = "2026/8"\n', rows)
    with pytest.raises(InputErrors) as exc:
        prepare(config)
    found = {f.code: f for f in exc.value.findings}
    assert found["letters.sheet_bad_value"].cell == "B6" and found["letters.sheet_bad_value"].value == "snart"
    assert (
        found["letters.sheet_unknown_field"].cell == "A7" and "Klageadresse" in found["letters.sheet_unknown_field"].fix
    )
    assert found["letters.given_twice"].cell == "B3"


def test_a_field_twice_in_the_metadata_sheet_is_an_error_not_the_last_row(tmp_path) -> None:
    rows = [*SHEET_ROWS, ["Vedtaksdato", "21.03.2026", "Samarbeidsforum 2026-03-17, sak 4"]]
    config = _with_parameters(tmp_path, "[letters]\n", rows)
    with pytest.raises(InputErrors) as exc:
        prepare(config)
    found = [f for f in exc.value.findings if f.code == "letters.given_twice"]
    assert [(f.sheet, f.cell, f.value) for f in found] == [("Brev", "B8", "21.03.2026")]
    assert "B2" in found[0].message


def test_metadata_sheet_without_its_headers_is_an_error_not_ignored(tmp_path) -> None:
    config = _with_parameters(tmp_path, '[letters]\ncase_number = "2026/8"\n', [])
    params = tmp_path / "parametre.xlsx"
    sheets = {
        "Ramme": [["Post", "Beløp", "Vedtak"], ["Ramme", 1_000_000, "Tildelingsbrev"]],
        "Brev": [["Felt", "Verdien", "Vedtak"], *SHEET_ROWS],
    }
    write_xlsx(params, sheets)
    with pytest.raises((InputErrors, ConfigError)) as exc:
        prepare(config)
    found = [f for f in exc.value.findings if f.code == "letters.sheet_headers"]
    assert [(f.file, f.sheet, f.cell) for f in found] == [("parametre.xlsx", "Brev", "A1")]
    assert "Verdi" in found[0].message


def test_metadata_missing_everywhere(tmp_path) -> None:
    config = _with_parameters(tmp_path, "[letters]\n", SHEET_ROWS[:2])
    with pytest.raises(ConfigError) as exc:
        prepare(config)
    assert {f.cell for f in exc.value.findings} == {
        "letters.saksbehandler",
        "letters.beslutningstaker",
        "letters.reporting_deadline",
        "letters.appeal_address",
    }


# --------------------------------------------------------------------------- what a reader sees


def test_amounts_are_never_broken_over_two_lines(decisions, frames) -> None:
    # Norwegian typography: non-breaking spaces between digit groups and before «kr»
    assert kroner_text(1_094_165) == "1\u00a0094\u00a0165\u00a0kr"
    assert kroner_text(-500) == "-500\u00a0kr"
    for out, m in (decisions, frames):
        for e in m["letters"]:
            text = _text(out / e["file"])
            assert not re.search(r"\d kr\b", text), e["file"]
            assert not re.search(r"\d \d{3}\u00a0", text), e["file"]


def test_no_blank_field_leaves_a_gap_or_a_dangling_sentence(decisions, frames) -> None:
    for out, m in (decisions, frames):
        for e in m["letters"]:
            text = _text(out / e["file"])
            assert not re.search(r"\s[.,:;]", text), (e["file"], re.findall(r".{30}\s[.,:;]", text))
            assert "{{" not in text and "{%" not in text and "None" not in text
    assert "planen dere legger fram i søknaden" in _text(frames[0] / "brev" / "fosen.docx")  # none sent yet
    assert "planen i søknaden" in _text(decisions[0] / "brev" / "fosen.docx")
    out, m = decisions
    hitra = _text(out / "brev" / "hitra-froya.docx")  # no application: a decision of 0 kr
    assert "har ikke søkt om tilskudd for 2025" in hitra and kroner_text(713_809) in hitra
    assert "0\u00a0kr til eieren" not in hitra and "Tilskudd og utbetaling" not in hitra
    innherred = _text(out / "brev" / "innherred.docx")  # the name may hold brackets of its own
    assert "Til: Innherred (ansvarlig eier), org.nr. 912 000 001" in innherred
    ppt = _text(out / "brev" / "mottaker-ppt-ledernettverket.docx")  # not a network: no owner, no UH partner
    assert "Eieren og UH-partneren" not in ppt and "Tilskudd og utbetaling" in ppt


def test_nynorsk_nouns_have_their_nynorsk_gender() -> None:
    text = " ".join(b[1] for b in NYNORSK if isinstance(b[1], str))
    assert "ein rekneskap" in text and "eit rekneskap" not in text


def test_tables_fit_the_page_and_signature_stays_together() -> None:
    from docx.shared import Cm

    for name in ("brevmal-nb.docx", "brevmal-nn.docx"):
        doc = Document(str(BUNDLED / name))
        width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
        for table in doc.tables:
            widths = [c.width for c in table.rows[0].cells]
            assert all(w is not None for w in widths) and sum(widths) <= width + Cm(0.01)
        keep = {p.text for p in doc.paragraphs if p.paragraph_format.keep_with_next}
        assert {"Med hilsen", "Med helsing"} & keep


def test_payment_lines_are_unbroken_in_the_pdf(tmp_path, monkeypatch) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        if os.environ.get("ALLOCATION_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice and poppler are required here (ALLOCATION_REQUIRE_LIBREOFFICE=1)")
        pytest.skip("LibreOffice or poppler is not installed")
    monkeypatch.setenv("ALLOCATION_LETTER_PDF", "1")
    m = _run(ROOT / "config" / "trondelag-soknader.toml", tmp_path / "run")
    for e in m["letters"]:
        if e["network"] not in ("Innherred", "Orkdalsregionen"):
            continue
        pdf = tmp_path / "run" / e["pdf"]["file"]
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        lines = {line.strip().replace("\u00a0", " ") for line in text.splitlines()}
        for p in (p for p in m["payments"] if p["network"] == e["network"]):
            for value in (p["orgnr"], p["account"], kroner_text(p["amount"]).replace("\u00a0", " ")):
                assert value in lines, (e["file"], value)  # each on one line of its cell
        assert kroner_text(e["amount"]).replace("\u00a0", " ") in text.replace("\u00a0", " ").replace("\n", "#")
