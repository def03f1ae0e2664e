"""Long exports of the reporting pages run in the background (core ExportJob, progress on the
job's page) above ``settings.EXPORT_BACKGROUND_ROWS``; the request only records the job. The
records page counts without reading a whole national table."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.core import exports
from khuyencong.core.models import ExportJob

from .conftest import CHIENG_SON, KHANH_HOA, SON_LA, TO_HIEU, open_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]


def _sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))


def _direct(client: Any, url: str) -> list[tuple[Any, ...]]:
    response = client.get(url)
    assert response.status_code == 200
    return _sheet_rows(b"".join(response.streaming_content))


def _in_background(client: Any, url: str, rows: int) -> list[tuple[Any, ...]]:
    response = client.get(url)
    job = ExportJob.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert exports.run_export_job(job.pk).written_rows == rows
    page = client.get(reverse("export_job", args=[job.pk]))
    assert page.status_code == 200
    download = client.get(reverse("export_download", args=[job.pk]))
    return _sheet_rows(b"".join(download.streaming_content))


@pytest.mark.parametrize(
    ("who", "count"), [("national", 3), ("sct", 2), ("commune", 1), ("kh_sct", 1)]
)
def test_a_long_report_list_is_written_in_the_background_in_scope(
    client, settings, tmp_path, officers, unit, who, count
):
    settings.MEDIA_ROOT = tmp_path
    open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    open_for(officers["other_commune"], "xa-6-thang", unit(TO_HIEU))
    open_for(officers["kh_sct"], "tinh-6-thang", unit(KHANH_HOA))
    client.force_login(officers[who])
    url = reverse("reporting:list_export") + "?ky=2026-H1"
    direct = _direct(client, url)
    assert len(direct) == count
    settings.EXPORT_BACKGROUND_ROWS = 0
    assert _in_background(client, url, count) == direct


def test_a_long_records_export_is_written_in_the_background_in_scope(
    client, settings, tmp_path, officers, unit, make_project
):
    settings.MEDIA_ROOT = tmp_path
    make_project()
    make_project(commune="03646", fund="KCDP")
    make_project(province=KHANH_HOA, commune=None)
    nation = unit("VN")
    query = f"?ky=2026-H1&chi_tieu=de-an-phe-duyet&don_vi={nation.pk}"
    url = reverse("reporting:records_export") + query
    client.force_login(officers["national"])
    direct = _direct(client, url)
    assert len(direct) == 3
    settings.EXPORT_BACKGROUND_ROWS = 2
    assert _in_background(client, url, 3) == direct
    # A province's officer asking for the nation's records: 404, no job recorded.
    client.force_login(officers["sct"])
    jobs = ExportJob.objects.count()
    assert client.get(url).status_code == 404
    assert ExportJob.objects.count() == jobs
    # ... and for their own province: only its two projects, in the background too.
    own = reverse("reporting:records_export") + (
        f"?ky=2026-H1&chi_tieu=de-an-phe-duyet&don_vi={unit(SON_LA).pk}"
    )
    settings.EXPORT_BACKGROUND_ROWS = 1
    assert len(_in_background(client, own, 2)) == 2


def test_the_records_page_counts_at_most_the_limit_then_says_more(
    client, settings, officers, unit, make_project
):
    for _ in range(3):
        make_project()
    client.force_login(officers["sct"])
    url = reverse("reporting:records") + (
        f"?ky=2026-H1&chi_tieu=de-an-phe-duyet&don_vi={unit(SON_LA).pk}"
    )
    page = client.get(url).content.decode()
    assert "Số bản ghi được tính (trong phạm vi bạn được xem): 3." in page
    settings.LIST_EXACT_COUNT_LIMIT = 2
    page = client.get(url).content.decode()
    # SQLite has no planner estimate: "more than 2", and the page says it lists the first ones.
    assert "Số bản ghi được tính (trong phạm vi bạn được xem): hơn 2." in page
    assert "Hiển thị 3 bản ghi đầu." in page
