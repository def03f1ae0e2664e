"""``make audit``: known vulnerabilities (lỗ hổng đã công bố) in the pinned dependencies.

Runs pip-audit over the packages installed from the exact pins of pyproject.toml (``make
install`` keeps ``.venv`` in step with them; the project itself is skipped) and says plainly
what it found. pip-audit on its own reports "No known vulnerabilities found" and exits 0 even
when the vulnerability database answered for none of the packages (PyPI's JSON API
unreachable or refused, as behind a mirror that serves only the package index): here a
package the database could not be asked about fails the audit.

Exit status: 0 every package checked and none vulnerable; 1 a known vulnerability; 2 the
database could not be reached or some packages could not be checked.

Not part of ``make test``: it needs the network and its answer changes as advisories are
published. ``AUDIT_ARGS`` (make) / extra arguments go to pip-audit, e.g. ``-s osv`` to ask
the OSV database instead of PyPI.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OK, VULNERABLE, UNCHECKED = 0, 1, 2


@dataclass
class Report:
    """What pip-audit's JSON report says, sorted into what the audit decides on."""

    checked: list[str] = field(default_factory=list)
    vulnerable: list[tuple[str, str, str, str]] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)


def read_report(data: dict[str, Any]) -> Report:
    report = Report()
    for dependency in data.get("dependencies", []):
        name = dependency["name"]
        if "skip_reason" in dependency:
            report.unchecked.append(dependency["skip_reason"])
            continue
        report.checked.append(name)
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "chưa có"
            report.vulnerable.append((name, dependency.get("version", ""), vuln["id"], fixed))
    return report


def verdict(report: Report) -> tuple[int, list[str]]:
    """The exit status and the lines to print."""
    lines: list[str] = []
    if report.vulnerable:
        lines.append(f"CÓ LỖ HỔNG ĐÃ CÔNG BỐ trong {len(report.vulnerable)} trường hợp:")
        lines += [
            f"  {name} {version}: {vuln_id} (bản đã sửa: {fixed})"
            for name, version, vuln_id, fixed in report.vulnerable
        ]
        lines.append("Nâng phiên bản đã ghim trong pyproject.toml rồi chạy lại 'make audit'.")
    if not report.checked:
        lines.append(
            "KHÔNG KIỂM TRA ĐƯỢC: cơ sở dữ liệu lỗ hổng không trả lời cho gói nào "
            f"({len(report.unchecked)} gói). Kiểm tra kết nối mạng tới pypi.org "
            "(hoặc dùng AUDIT_ARGS='-s osv' để hỏi api.osv.dev) rồi chạy lại."
        )
        if report.unchecked:
            lines.append(f"  Ví dụ: {report.unchecked[0]}")
        return UNCHECKED, lines
    if report.unchecked:
        lines.append(f"KHÔNG KIỂM TRA ĐƯỢC {len(report.unchecked)} gói:")
        lines += [f"  {reason}" for reason in report.unchecked]
    if report.vulnerable:
        return VULNERABLE, lines
    if report.unchecked:
        return UNCHECKED, lines
    return OK, [f"Không có lỗ hổng đã công bố trong {len(report.checked)} gói đã kiểm tra."]


def run(extra: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "audit.json"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--local",
                "--skip-editable",
                "--progress-spinner=off",
                "--format=json",
                f"--output={output}",
                *extra,
            ],
            capture_output=True,
            text=True,
        )
        try:
            data = json.loads(output.read_text())
        except (OSError, ValueError):
            data = None
    if data is None:  # pip-audit stopped before writing a report: the service failed it
        last = (done.stderr.strip().splitlines() or ["(pip-audit không ghi gì)"])[-1]
        print(
            "KHÔNG KIỂM TRA ĐƯỢC: không liên lạc được với cơ sở dữ liệu lỗ hổng "
            "(pip-audit dừng lại, không có kết quả). Kiểm tra kết nối mạng rồi chạy lại.\n"
            f"  pip-audit: {last}",
            file=sys.stderr,
        )
        return UNCHECKED
    status, lines = verdict(read_report(data))
    print("\n".join(lines), file=sys.stderr if status else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
