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
