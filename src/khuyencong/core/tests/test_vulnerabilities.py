"""``make audit`` (khuyencong.vulnerabilities): a vulnerability fails it, and so does a database
that could not be asked — never a silent pass.

The real pip-audit runs over this environment; the OSV database it asks is a small local
server speaking OSV's query protocol (api.osv.dev is not reachable from the test machine).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from khuyencong.vulnerabilities import OK, UNCHECKED, VULNERABLE, read_report, verdict

ADVISORY = {
    "id": "PYSEC-0000-TEST",
    "summary": "Lỗ hổng thử",
    "affected": [
        {
            "package": {"name": "django", "ecosystem": "PyPI"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99.0"}]}],
        }
    ],
}


class OsvDatabase(BaseHTTPRequestHandler):
    """Answers OSV's ``POST /v1/query``: Django is vulnerable, nothing else is."""

    def do_POST(self) -> None:
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        body = {"vulns": [ADVISORY]} if query["package"]["name"] == "django" else {}
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def osv_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), OsvDatabase)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    server.shutdown()
    server.server_close()


def _audit(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "khuyencong.vulnerabilities", f"--cache-dir={tmp_path}", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_PROXY": "127.0.0.1"},  # the local database, not through a proxy
    )


def test_a_known_vulnerability_fails_the_audit_and_is_named(tmp_path, osv_url):
    done = _audit(tmp_path, "-s", "osv", f"--osv-url={osv_url}")
    assert done.returncode == VULNERABLE, done.stderr
    assert "django" in done.stderr
    assert "PYSEC-0000-TEST (bản đã sửa: 99.0)" in done.stderr


def test_an_unreachable_database_fails_the_audit_with_a_plain_message(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    done = _audit(tmp_path, "-s", "osv", f"--osv-url=http://127.0.0.1:{closed}/v1/query")
    assert done.returncode == UNCHECKED
    assert "không liên lạc được với cơ sở dữ liệu lỗ hổng" in done.stderr
    assert "Traceback" not in done.stderr


def _dependency(name: str, *, skipped: bool = False, vulns: tuple[str, ...] = ()) -> dict:
    if skipped:
        return {"name": name, "skip_reason": f"Dependency not found on PyPI: {name} (1.0)"}
    found = [{"id": v, "fix_versions": ["2.0"]} for v in vulns]
    return {"name": name, "version": "1.0", "vulns": found}


def test_a_database_that_answered_for_no_package_is_not_a_pass():
    """PyPI's JSON API refused (404 behind a mirror): pip-audit alone says 'No known
    vulnerabilities found' and exits 0."""
    report = read_report({"dependencies": [_dependency("a", skipped=True)] * 3})
    status, lines = verdict(report)
    assert status == UNCHECKED
    assert "không trả lời cho gói nào (3 gói)" in lines[0]


def test_a_package_left_unchecked_fails_the_audit_and_is_named():
    report = read_report({"dependencies": [_dependency("a"), _dependency("b", skipped=True)]})
    status, lines = verdict(report)
    assert status == UNCHECKED
    assert lines == ["KHÔNG KIỂM TRA ĐƯỢC 1 gói:", "  Dependency not found on PyPI: b (1.0)"]


def test_every_package_checked_and_none_vulnerable_passes():
    report = read_report({"dependencies": [_dependency("a"), _dependency("b")]})
    assert verdict(report) == (OK, ["Không có lỗ hổng đã công bố trong 2 gói đã kiểm tra."])


def test_a_vulnerability_wins_over_an_unchecked_package():
    report = read_report(
        {"dependencies": [_dependency("a", vulns=("GHSA-1",)), _dependency("b", skipped=True)]}
    )
    status, lines = verdict(report)
    assert status == VULNERABLE
    assert "  a 1.0: GHSA-1 (bản đã sửa: 2.0)" in lines
