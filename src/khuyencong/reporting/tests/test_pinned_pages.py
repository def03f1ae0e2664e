"""The dashboards and the report list, every cell pinned (issue 11): their rendering is written
for CPU (rows in Python, labels once a page), and what the officer reads must not change. The
expected pages are files next to this one, written from the code before that work; the demo
data (``core.demo.seed_demo``) gives each level reported and live figures, breakdowns, a plan,
differences, lower units and a chart. Whitespace between tags, the CSRF token and the reports'
ids (which differ between databases) are not pinned."""

from __future__ import annotations

import datetime
import itertools
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from khuyencong.core.demo import seed_demo
from khuyencong.reporting import summary
from khuyencong.reporting.models import SummaryFigure
from khuyencong.reporting.periods import Period

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]

PINNED = Path(__file__).with_name("pinned")
PAGES = {
    "tong-hop": "/bao-cao/tong-hop/?ky=2026-H1",
    "tong-hop-nam": "/bao-cao/tong-hop/?ky=2026&chi_tieu=kinh-phi-thanh-toan",
    "tong-hop-tinh": "/bao-cao/tong-hop/?ky=2026-H1&chi_tieu=de-an-phe-duyet&don_vi={son_la}",
    "danh-sach": "/bao-cao/?ky=2026-H1",
}
WHO = ("national", "sct", "commune")


def content(html: str) -> str:
    """The page's ``<main>``, normalised as the module's docstring says."""
    found = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    assert found is not None
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", found.group(1))
    text = re.sub(r"/bao-cao/\d+/", "/bao-cao/ID/", text)
    text = re.sub(r">\s+<", "><", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def demo() -> None:
    seed_demo()
    summary.refresh_period(Period.parse("2026-H1"))
    summary.refresh_period(Period.parse("2026"))
    # The database's clock stamps the refresh, not the test's: pin the day the page prints.
    SummaryFigure.objects.update(refreshed_at=at(datetime.date(2026, 6, 10)))


@pytest.mark.usefixtures("demo")
def test_the_reporting_pages_read_as_pinned(client: Any, officers: Any, unit: Any):
    # One test for every page: the demo takes a minute to seed.
    for who, language, (name, url) in itertools.product(WHO, ("vi", "en"), PAGES.items()):
        client.force_login(officers[who])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if who == "commune" and name == "tong-hop-tinh":
            continue  # a province's page: out of the commune's scope
        response = client.get(url.format(son_la=unit("14").pk))
        assert response.status_code == 200, (name, response.status_code)
        page = content(response.content.decode())
        path = PINNED / f"{name}-{who}-{language}.html"
        if os.environ.get("KHUYENCONG_PIN_WRITE"):  # to pin a deliberate change of a page
            path.write_text(page + "\n", encoding="utf-8")
        assert page + "\n" == path.read_text(encoding="utf-8"), path.name
