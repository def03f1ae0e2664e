"""Trainees (học viên) are computed from the system's data (issue 14), not entered by hand: the
actual quantities (acceptance minutes) of the projects accepted in the window, on programme
lines of content group 4 counted in people. Version 3 of the default sets."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.programs.models import ActivityLine, ContentGroup, Programme
from khuyencong.programs.services import sync_content_groups
from khuyencong.projects.models import ProjectOutput
from khuyencong.reporting import computations, services, summary

from .conftest import CHIENG_SON, H1, SON_LA, TO_HIEU, latest_indicator, open_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]


@pytest.fixture
def trained(unit: Any, make_project: Any) -> dict[str, Any]:
    """Chiềng Sơn: 30 trainees (35 planned) on a KCQG project accepted 10/5, with 2 classes and
    10 people on lines that are not trainees; Tô Hiệu: 12 on a KCĐP project accepted 1/4. Not
    counted: a project approved but not accepted (50 planned), one accepted before the
    half-year (8), one cancelled after its acceptance (9)."""
    sync_content_groups()
    programme = Programme.objects.create(
        code="son-la-thu", level="tinh", unit=unit(SON_LA), title="CT", start_year=2026,
        end_year=2030,
    )  # fmt: skip
    groups = {g.code: g for g in ContentGroup.objects.all()}

    def line(order: int, group: str, measure: str) -> ActivityLine:
        return ActivityLine.objects.create(
            programme=programme,
            group=groups[group],
            name=f"Dòng {order}",
            unit_of_measure=measure,
            order=order,
        )

    students = line(1, "nhom-4", "học viên")
    people = line(2, "nhom-4", "Lượt người")
    classes = line(3, "nhom-4", "lớp")
    tour = line(4, "nhom-2", "người")

    def project(
        accepted: datetime.date | None, outputs: dict[ActivityLine, int], **kwargs: Any
    ) -> Any:
        status = kwargs.pop("status", "nghiem-thu" if accepted else "phe-duyet")
        made = make_project(content="may-moc-thiet-bi", status=status, **kwargs)
        made.accepted_on = accepted
        made.save(update_fields=["accepted_on"])
        for output_line, quantity in outputs.items():
            ProjectOutput.objects.create(
                project=made,
                line=output_line,
                planned_quantity=Decimal(quantity + 5),
                actual_quantity=Decimal(quantity) if accepted else None,
            )
        return made

    may = datetime.date(2026, 5, 10)
    return {
        "chieng_son": project(may, {students: 30, classes: 2, tour: 10}),
        "to_hieu": project(datetime.date(2026, 4, 1), {people: 12}, commune=TO_HIEU, fund="KCDP"),
        "approved": project(None, {students: 45}),
        "before": project(datetime.date(2025, 12, 20), {students: 8}, status="quyet-toan"),
        "cancelled": project(may, {students: 9}, status="huy"),
    }


def _figures(level: str) -> dict[int, dict[str, int]]:
    result = computations.compute("trainees", period=H1, cutoff=H1.end, level=level)
    return {u: {k: int(f.numerator) for k, f in figures.items()} for u, figures in result.items()}


def test_trainees_are_the_accepted_projects_actual_trainees(unit, trained):
    assert _figures("commune") == {
        unit(CHIENG_SON).pk: {"": 30, "KCQG": 30},
        unit(TO_HIEU).pk: {"": 12, "KCDP": 12},
    }
    assert _figures("province") == {unit(SON_LA).pk: {"": 42, "KCQG": 30, "KCDP": 12}}


def test_the_report_computes_trainees_and_takes_no_hand_value(officers, unit, trained):
    trainees = latest_indicator("hoc-vien", "chi-tieu-2646-xa")
    assert (trainees.source, trainees.computation) == ("tu-dong", "trainees")
    assert "nghiệm thu" in trainees.description
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    assert report.indicator_set == trainees.indicator_set
    assert summary.report_figures(report)[("hoc-vien", "")].numerator == 30
    with pytest.raises(services.ReportingError, match="không nhập tay"):
        services.save_entries(
            actor=officers["commune"],
            report=report,
            expected_version=report.version,
            narrative="",
            values={trainees.pk: services.HandValue(Decimal(99), note="sổ")},
        )


def test_the_trainees_drill_down_lists_the_projects_that_add_up_to_it(
    client, officers, unit, trained
):
    summary.refresh_period(H1)
    client.force_login(officers["sct"])
    query = f"?ky=2026-H1&chi_tieu=hoc-vien&don_vi={unit(SON_LA).pk}"
    page = client.get(reverse("reporting:records") + query).content.decode()
    body = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)[0]
    assert body.count("<tr>") == 2

    def link(name: str) -> str:
        return reverse("projects:project_detail", args=[trained[name].pk])

    assert link("chieng_son") in body
    assert link("to_hieu") in body
    assert "theo biên bản nghiệm thu" in page  # the indicator says how it is computed
    response = client.get(reverse("reporting:records_export") + query)
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))
    assert sorted(row[-1] for row in rows) == [12, 30]
    funded = client.get(reverse("reporting:records_export") + query + "&phan_to=KCDP")
    content = b"".join(funded.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))
    assert [row[-1] for row in rows] == [12]


def test_each_trainee_row_shows_its_own_project_s_place(client, officers, unit, trained):
    """Checked after a report that a Tô Hiệu project's row showed "Xã Chiềng Sơn": the rows
    show each project's own location (``Project.location``), on the page and in the export; the
    two fixture projects share a title, which made the rows easy to mix up."""
    summary.refresh_period(H1)
    client.force_login(officers["sct"])
    query = f"?ky=2026-H1&chi_tieu=hoc-vien&don_vi={unit(SON_LA).pk}"
    page = client.get(reverse("reporting:records") + query).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", re.findall(r"<tbody>(.*?)</tbody>", page, re.S)[0])
    for name, place in (("chieng_son", "Xã Chiềng Sơn"), ("to_hieu", "Phường Tô Hiệu")):
        link = reverse("projects:project_detail", args=[trained[name].pk])
        (row,) = [r for r in rows if f'href="{link}"' in r]
        assert place in row
    response = client.get(reverse("reporting:records_export") + query)
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    # Columns: the project, its commune (exporting.RECORD_COLUMNS), …, what it adds.
    exported = {(row[1], row[-1]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported == {("Xã Chiềng Sơn", 30), ("Phường Tô Hiệu", 12)}
