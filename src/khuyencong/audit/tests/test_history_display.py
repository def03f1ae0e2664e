"""Issue 9 (defect 7): the history page shows labels, money the Vietnamese way and names —
never ``quyet-toan → dong``, ``420000000`` or ``[{'project': 5, 'establishment': 3}]``."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit import display
from khuyencong.projects.models import Project, ProjectOutput
from khuyencong.registry.models import Establishment

pytestmark = pytest.mark.django_db


def field(model, name):
    return model._meta.get_field(name)


def test_values_are_shown_as_people_read_them(unit):
    tea = Establishment.objects.create(
        name="Hộ kinh doanh chè Chiềng Sơn", legal_form="hkd", commune=unit("03985")
    )
    assert display.show(field(Project, "status"), "quyet-toan") == "Đã quyết toán"
    assert display.show(field(Project, "approved_kcdp"), 420_000_000) == "420.000.000 đ"
    assert display.show(field(Project, "location"), unit("03985").pk) == "Xã Chiềng Sơn"
    assert display.show(field(Project, "priority"), True) == "có"
    assert display.show(field(Project, "decision_date"), datetime.date(2026, 11, 20)) == (
        "20/11/2026"
    )
    assert display.show(field(ProjectOutput, "planned_quantity"), Decimal("2.500")) == "2,5"
    rows = [{"project": 5, "establishment": tea.pk}, {"project": 5, "establishment": 999_999}]
    assert display.show(field(Project, "beneficiaries"), rows) == (
        "Hộ kinh doanh chè Chiềng Sơn, (đã xóa, mã 999999)"
    )
    assert display.show(field(Project, "title"), "") == ""


def test_the_history_page_of_a_settled_project(client, make_user, unit):
    from khuyencong.projects.tests.conftest import build_project

    tea = Establishment.objects.create(
        name="Hộ kinh doanh chè Chiềng Sơn", legal_form="hkd", commune=unit("03985")
    )
    project = build_project(unit, fund="KCDP", state="quyet-toan", support=420_000_000)
    project.beneficiaries.add(tea)
    project.status, project.settled_kcdp = "dong", 400_000_000
    project.save()
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    page = client.get(
        reverse("audit:object_history", args=["projects.Project", project.pk])
    ).content.decode()
    assert "Đã quyết toán → Đã thanh lý, đóng hồ sơ" in page
    assert "quyet-toan" not in page
    assert "420.000.000 đ → 400.000.000 đ" in page
    assert "420000000" not in page
    assert "Hộ kinh doanh chè Chiềng Sơn" in page
    assert "'establishment'" not in page


def _history_page(client, project, **query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("audit:object_history", args=["projects.Project", project.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def _edit(project, n, tea, unit):
    """One version more: a new title, the other commune and, every third time, a beneficiary
    more or less (a foreign key and a many-to-many field in the diff)."""
    project.title = f"Đề án chè lần {n}"
    project.location = unit("03985") if n % 2 else unit("03646")
    project.save()
    if n % 3 == 0:
        if project.beneficiaries.exists():
            project.beneficiaries.remove(tea)
        else:
            project.beneficiaries.add(tea)


def test_the_history_page_reads_as_many_queries_for_a_long_history(client, make_user, unit):
    """Regression (issue 11): the page diffed every version with two queries per
    many-to-many field and read each related name alone — 16 queries for a project at scale
    0.01, 40 at 1.0. Now a page of versions in the same queries, however long the history."""
    from khuyencong.audit.selectors import HISTORY_PAGE_SIZE
    from khuyencong.projects.tests.conftest import build_project

    tea = Establishment.objects.create(
        name="Hộ kinh doanh chè Chiềng Sơn", legal_form="hkd", commune=unit("03985")
    )
    project = build_project(unit, fund="KCDP")
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    for n in range(1, 7):
        _edit(project, n, tea, unit)
    _history_page(client, project)  # the content types are read once per process
    short, few = _history_page(client, project)
    assert "Đề án chè lần 5 → Đề án chè lần 6" in short
    assert "Xã Chiềng Sơn" in short
    assert "Hộ kinh doanh chè Chiềng Sơn" in short
    for n in range(7, 3 * HISTORY_PAGE_SIZE):
        _edit(project, n, tea, unit)
    long, many = _history_page(client, project)
    assert many == few
    last = 3 * HISTORY_PAGE_SIZE - 1
    assert f"Đề án chè lần {last - 1} → Đề án chè lần {last}" in long
    assert "trang=2" in long
    # The oldest version of a page is diffed against the newest of the next page.
    from khuyencong.audit.selectors import history_entries

    first, second = history_entries(project), history_entries(project, "2")
    assert first.more
    assert first.entries[-1]["changes"]
    assert second.number == 2
    assert second.has_previous()
    assert first.entries[-1]["record"].history_date >= second.entries[0]["record"].history_date
    assert "trang=1" in _history_page(client, project, trang=2)[0]


def test_the_history_page_reads_the_object_with_its_unit_and_place(client, make_user, unit):
    """Issue 11: the policy asks for the object's unit (and, for a commune's officer, the
    commune it is carried out in): they are read with the object, not one query each after."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from khuyencong.projects.tests.conftest import build_project

    project = build_project(unit, fund="KCDP", location="03985")
    url = reverse("audit:object_history", args=["projects.Project", project.pk])
    for role, code in ((Role.PROVINCE_SCT, "14"), (Role.COMMUNE_OFFICER, "03985")):
        client.force_login(make_user(role, code))
        client.get(url)  # the content types are read once per process
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert "Hỗ trợ máy sao chè tự động" in response.content.decode()
        units = [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "geo_')]
        assert units == [], role
    client.force_login(make_user(Role.COMMUNE_OFFICER, "03646"))  # another commune: not its
    assert client.get(url).status_code == 404
