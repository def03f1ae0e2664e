"""Rules the test suite keeps so that it passes in any order, on a busy machine, on any day."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parents[4]
WAITS_FOR_A_DURATION = re.compile(r"\btime\.sleep\(|\.wait_for_timeout\(")


def test_property_tests_judge_results_not_speed():
    """A per-example deadline or the too-slow health check fails at random under load."""
    assert hypothesis_settings.default.deadline is None
    assert HealthCheck.too_slow in hypothesis_settings.default.suppress_health_check


def test_tests_wait_on_conditions_never_for_a_duration():
    """Browser and concurrency tests wait for what they need (Playwright's expect/wait_for,
    a barrier, a join): a fixed sleep is too short on a loaded machine and wasted on an idle one."""
    tests = [
        *ROOT.glob("conftest.py"),
        *(ROOT / "src").rglob("conftest.py"),
        *(ROOT / "src").rglob("test_*.py"),
    ]
    assert len(tests) > 20
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in tests
        if path.name != Path(__file__).name
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WAITS_FOR_A_DURATION.search(line)
    ]
    assert offenders == []


def test_uploads_go_to_the_tests_own_directory(settings, tmp_path):
    """Files a test stores never reach var/media, where the next test or run would find them."""
    assert Path(settings.MEDIA_ROOT).is_relative_to(tmp_path)
