"""The programme checker's unit_cost_cap hook, filled from the rate table."""

from __future__ import annotations

import datetime
import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.norms.models import NormContent, SupportNorm
from khuyencong.norms.selectors import unit_cost_cap_hook
from khuyencong.programs import services as programme_services
from khuyencong.programs.consistency import check_programme
from khuyencong.programs.conversion import programme_to_data
from khuyencong.programs.models import ActivityLine, AllocationCell
from khuyencong.programs.selectors import programme_for_cli

pytestmark = pytest.mark.django_db
SON_LA = "son-la-2026-2030"
M = 1_000_000


@pytest.fixture
def seed_programmes(db):
    programme_services.load_seed_programmes()


def over_cap(code: str = SON_LA):
    programme = programme_for_cli(code)
    findings = check_programme(
        programme_to_data(programme), unit_cost_cap=unit_cost_cap_hook(programme)
    )
    return [f for f in findings if f.code == "unit-cost-over-cap"]


def test_son_la_lines_are_linked_to_their_norms(seed_programmes):
    linked = dict(
        ActivityLine.objects.filter(programme__code=SON_LA, norm_content__isnull=False).values_list(
            "order", "norm_content"
        )
    )
    assert linked == programme_services.SEED_NORM_CONTENTS[SON_LA]
    assert linked[4] == "may-moc-thiet-bi"
    # The data migration links the same lines in a database loaded before it.
    migration = importlib.import_module("khuyencong.programs.migrations.0005_son_la_norm_contents")
    assert programme_services.SEED_NORM_CONTENTS[SON_LA] == migration.NORM_CONTENTS
    ActivityLine.objects.filter(programme__code=SON_LA).update(norm_content=None)
    migration.link(apps, None)
    assert (
        ActivityLine.objects.filter(programme__code=SON_LA, norm_content__isnull=False).count()
        == 11
    )


def test_the_seed_stays_within_the_national_caps(seed_programmes):
    assert over_cap() == []
    cap = unit_cost_cap_hook(programme_for_cli(SON_LA))
    data = programme_to_data(programme_for_cli(SON_LA))
    cell = next(c for c in data.line(4).cells if c.fund == "KCQG" and c.quantity)
    assert cap(data.line(4), cell) == 300 * M
    assert cap(data.line(5), cell) == 450 * M
    assert cap(data.line(1), cell) == 1000 * M
    kcdp = next(c for c in data.line(4).cells if c.fund == "KCDP")
    assert cap(data.line(4), kcdp) is None  # no Sơn La rate for local funds yet
    assert cap(data.line(6), cell) is None  # selection rounds: no norm


def test_a_line_raised_above_the_cap_is_a_finding(seed_programmes, make_user, client):
    cell = AllocationCell.objects.get(
        line__programme__code=SON_LA, line__order=4, year=2026, fund="KCQG"
    )
    assert (cell.quantity, cell.amount) == (1, 300 * M)
    cell.amount = 350 * M
    cell.save()
    [finding] = over_cap()
    assert finding.line == "4"
    assert finding.numbers["cap"] == 300 * M
    assert finding.numbers["unit_cost"] == 350 * M
    assert "vượt mức tối đa 300 triệu đồng mỗi cơ sở" in finding.message
    # The programme page and the command show it.
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    page = client.get(reverse("programs:programme_detail", args=[SON_LA])).content.decode()
    assert "vượt mức tối đa 300 triệu đồng mỗi cơ sở" in page


def test_the_check_command_uses_the_norms(seed_programmes, capsys):
    AllocationCell.objects.filter(
        line__programme__code=SON_LA, line__order=14, year=2027, fund="KCDP"
    ).update(amount=400 * M)
    call_command("programme", "check", SON_LA, "--json")
    assert not [f for f in json.loads(capsys.readouterr().out) if f["code"] == "unit-cost-over-cap"]
    AllocationCell.objects.filter(
        line__programme__code=SON_LA, line__order=14, year=2026, fund="KCQG"
    ).update(quantity=1, amount=40 * M)
    call_command("programme", "check", SON_LA, "--json")
    [finding] = [
        f for f in json.loads(capsys.readouterr().out) if f["code"] == "unit-cost-over-cap"
    ]
    assert finding["line"] == "14"
    assert finding["numbers"]["cap"] == 35 * M


def test_a_province_rate_applies_from_its_date_to_local_funds(seed_programmes, unit):
    """A Sơn La rate of 30 triệu đồng per trademark from 2028 flags 35 triệu đồng from 2028."""
    SupportNorm.objects.create(
        content=NormContent.objects.get(code="nhan-hieu"),
        fund="KCDP",
        jurisdiction=unit("14"),
        legal_basis="Nghị quyết giả định của HĐND tỉnh Sơn La",
        max_percent=Decimal(50),
        cap_per_unit=30 * M,
        unit="nhãn hiệu",
        effective_from=datetime.date(2028, 1, 1),
    )
    findings = over_cap()
    assert {(f.line, f.numbers["year"], f.numbers["fund"]) for f in findings} == {
        ("14", 2028, "KCDP"),
        ("14", 2029, "KCDP"),
        ("14", 2030, "KCDP"),
    }


def test_an_imported_appendix_keeps_the_links_of_unchanged_lines(seed_programmes):
    programme = programme_for_cli(SON_LA)
    data = programme_to_data(programme)
    renamed = tuple(
        line if line.order != 5 else type(line)(**{**line.__dict__, "name": "Dây chuyền khác"})
        for line in data.lines
    )
    programme_services.replace_lines(
        actor=None,
        programme=programme,
        data=type(data)(**{**data.__dict__, "lines": renamed}),
        expected_version=None,
    )
    linked = dict(
        ActivityLine.objects.filter(programme__code=SON_LA, norm_content__isnull=False).values_list(
            "order", "norm_content"
        )
    )
    assert 4 in linked
    assert 5 not in linked


def test_a_line_edit_sets_the_norm(seed_programmes, make_user):
    centre = make_user(Role.PROVINCE_CENTRE, "14")
    line = ActivityLine.objects.get(programme__code=SON_LA, order=16)
    cells = {(c.year, c.fund): (c.quantity, c.amount) for c in line.cells.all()}
    programme_services.update_line(
        actor=centre,
        line=line,
        expected_version=line.version,
        group=line.group,
        name=line.name,
        unit_of_measure=line.unit_of_measure,
        notes=line.notes,
        cells=cells,
        norm_content=NormContent.objects.get(code="nhan-hieu"),
    )
    line.refresh_from_db()
    assert line.norm_content_id == "nhan-hieu"
    # 300 triệu đồng (KCQG) per cluster, now read as per trademark (35): flagged.
    assert {f.line for f in over_cap()} == {"16"}
