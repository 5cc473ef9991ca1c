"""``fetch`` against a local HTTP server serving recorded responses: nothing reaches the internet.
The file written is the response as sent, read back; a failed or unreadable download writes
nothing; an existing file is never overwritten."""

from __future__ import annotations

import http.server
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from allocation.cli import main
from allocation.read.fetch import FetchError, fetch_klass, fetch_ssb, klass_url, ssb_url
from allocation.read.statistics import read_statistics

from .conftest import ROOT

FILES = ROOT / "tests" / "statistics_files"
RECORDED = {
    "/pxwebapi/v2/tables/12562/data": ("application/json; charset=UTF-8", FILES / "ssb-12562.json"),
    "/klass/v1/classifications/131/codes.csv": ("text/csv; charset=UTF-8", FILES / "klass-131-koder.csv"),
    "/klass/v1/classifications/131/changes.csv": ("text/csv; charset=UTF-8", FILES / "klass-131-endringer.csv"),
}
HTML = b"<!DOCTYPE html><html><body>Vedlikehold</body></html>"


class _Recorded(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        path = urllib.parse.urlsplit(self.path).path
        if path in RECORDED:
            kind, file = RECORDED[path]
            self._send(200, kind, file.read_bytes())
        elif path == "/pxwebapi/v2/tables/99999/data":
            self._send(200, "text/html", HTML)  # a maintenance page with status 200
        else:
            self._send(404, "application/problem+json", b'{"title":"Not Found","status":404}')

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch) -> None:
    """The local server is reached directly, whatever proxy the machine has set."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ALLOCATION_SSB_URL", raising=False)


@pytest.fixture
def server() -> Iterator[str]:
    _Recorded.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _query(path: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)


def test_fetch_ssb_writes_the_response_as_sent(server: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "inndata"
    code = main(
        [
            "fetch",
            "ssb",
            "12562",
            "--region",
            "5503,5510",
            "--region",
            "5512",
            "--period",
            "2024",
            "--measure",
            "BarnBhg",
            "--out",
            str(out),
            "--base-url",
            server,
        ]
    )
    assert code == 0  # «..» for one municipality is a warning, shown, not a failure
    written = out / "ssb-12562.json"
    assert written.read_bytes() == (FILES / "ssb-12562.json").read_bytes()
    (request,) = _Recorded.requests
    assert urllib.parse.urlsplit(request).path == "/pxwebapi/v2/tables/12562/data"
    assert _query(request) == {
        "lang": ["no"],
        "valueCodes[Region]": ["5503,5510,5512"],
        "valueCodes[Tid]": ["2024"],
        "valueCodes[ContentsCode]": ["BarnBhg"],
        "outputFormat": ["json-stat2"],
    }
    printed = capsys.readouterr().out
    assert "SSB 12562: 10 verdier" in printed and "tellingsdato 2024-12-15" in printed
    assert "statistics.no_number" in printed
    table, _ = read_statistics(written)  # a run reads the file, offline
    assert table is not None and table.count_date == "2024-12-15"


def test_fetch_ssb_defaults_and_the_environment_variable(server: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ALLOCATION_SSB_URL", server)
    result = fetch_ssb("12562", tmp_path, name="barnehage-2024.json")
    assert result.path == tmp_path / "barnehage-2024.json" and result.table is not None
    assert len(result.sha256) == 64 and result.size == result.path.stat().st_size
    q = _query(_Recorded.requests[0])
    assert q["valueCodes[Region]"] == ["*"] and q["valueCodes[Tid]"] == ["top(1)"]
    assert q["valueCodes[ContentsCode]"] == ["*"]


def test_fetch_klass_codes_and_changes(server: str, tmp_path: Path, capsys) -> None:
    assert main(["fetch", "klass", "--from", "2024", "--to", "2026", "--out", str(tmp_path), "--base-url", server]) == 0
    codes = tmp_path / "klass-131-koder-2024-2026.csv"
    assert codes.read_bytes() == (FILES / "klass-131-koder.csv").read_bytes()
    request = _Recorded.requests[-1]
    assert urllib.parse.urlsplit(request).path == "/klass/v1/classifications/131/codes.csv"
    assert _query(request) == {
        "from": ["2024-01-01"],
        "to": ["2027-01-01"],  # KLASS's «to» is the first day left out
        "csvSeparator": [";"],
        "language": ["nb"],
    }
    assert (
        main(
            [
                "fetch",
                "klass",
                "--from",
                "2023",
                "--to",
                "2024",
                "--changes",
                "--out",
                str(tmp_path),
                "--base-url",
                server,
            ]
        )
        == 0
    )
    changes = tmp_path / "klass-131-endringer-2023-2024.csv"
    assert "5402" in changes.read_text(encoding="utf-8")
    assert urllib.parse.urlsplit(_Recorded.requests[-1]).path.endswith("/131/changes.csv")


def test_quiet_prints_only_where_the_file_is(server: str, tmp_path: Path, capsys) -> None:
    assert (
        main(["fetch", "klass", "--from", "2024", "--to", "2024", "-q", "--out", str(tmp_path), "--base-url", server])
        == 0
    )
    printed = capsys.readouterr().out
    assert "Skrevet til" in printed and "Hentet" not in printed


def test_an_existing_file_is_never_overwritten(server: str, tmp_path: Path, capsys) -> None:
    target = tmp_path / "ssb-12562.json"
    target.write_text("mine", encoding="utf-8")
    assert main(["fetch", "ssb", "12562", "--out", str(tmp_path), "--base-url", server]) == 1
    assert target.read_text(encoding="utf-8") == "mine" and _Recorded.requests == []
    assert "statistics.fetch_exists" in capsys.readouterr().err


def test_http_error_writes_nothing(server: str, tmp_path: Path, capsys) -> None:
    assert main(["fetch", "ssb", "00000", "--out", str(tmp_path), "--base-url", server]) == 1
    err = capsys.readouterr().err
    assert "statistics.fetch_failed" in err and "404" in err
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_answer_is_not_stored(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as caught:
        fetch_ssb("99999", tmp_path, base=server)
    assert [f.code for f in caught.value.findings] == ["statistics.fetch_failed", "statistics.bad_json"]
    assert list(tmp_path.iterdir()) == []


def test_no_connection(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch_klass(2024, 2024, tmp_path, base=f"http://127.0.0.1:{port}")
    assert [f.code for f in caught.value.findings] == ["statistics.fetch_failed"]
    assert "ingen forbindelse" in caught.value.findings[0].message
    with pytest.raises(FetchError):
        fetch_klass(2024, 2024, tmp_path, base="file:///etc")  # only http(s)


@pytest.mark.parametrize(
    "argv",
    [
        ["fetch", "ssb"],
        ["fetch", "ssb", "12562", "--from", "2024"],
        ["fetch", "klass"],
        ["fetch", "klass", "--from", "2026", "--to", "2024"],
        ["fetch", "klass", "--from", "2024", "--to", "2026", "--region", "5503"],
        ["fetch", "statbank", "12562"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        raise SystemExit(main([*argv, "--out", str(tmp_path), "--base-url", "http://127.0.0.1:9"]))
    assert exited.value.code == 2 and list(tmp_path.iterdir()) == []


def test_urls() -> None:
    assert ssb_url("11980", ["5503"], ["2024"], base="https://x.test/api/").startswith(
        "https://x.test/api/pxwebapi/v2/tables/11980/data?lang=no&valueCodes%5BRegion%5D=5503&"
    )
    assert klass_url(2020, 2024, base="https://x.test/api").endswith(
        "/klass/v1/classifications/131/codes.csv?from=2020-01-01&to=2025-01-01&csvSeparator=%3B&language=nb"
    )
