"""The public API over the seeded rate table: support_limit, advance_ceiling, dating, provinces."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from khuyencong.norms.models import NormContent, SupportNorm
from khuyencong.norms.selectors import advance_ceiling, norm_table, support_limit

pytestmark = pytest.mark.django_db
M = 1_000_000
ON = datetime.date(2026, 6, 1)
BASIS = "Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC"


def limit(content, cost, **kwargs):
    kwargs.setdefault("fund", "KCQG")
    kwargs.setdefault("on", ON)
    return support_limit(content=content, eligible_cost=cost, **kwargs)


@pytest.mark.parametrize(
    ("content", "cost", "maximum"),
    [
        ("may-moc-thiet-bi", 700 * M, 300 * M),
        ("may-moc-thiet-bi", 400 * M, 200 * M),
        ("mo-hinh-trinh-dien", 2000 * M, 600 * M),
        ("mo-hinh-trinh-dien", 4000 * M, 1000 * M),
        ("day-chuyen-cong-nghe", 1000 * M, 450 * M),
        ("thanh-lap-doanh-nghiep", 50 * M, 10 * M),
        ("xu-ly-moi-truong-ccn", 10_000 * M, 1500 * M),
    ],
)
def test_the_issue_figures_from_the_seeded_table(content, cost, maximum):
    result = limit(content, cost)
    assert result is not None
    assert result.maximum == maximum
    assert result.legal_basis == BASIS
    assert BASIS in result.sentence
    assert SupportNorm.objects.get(pk=result.norm_id).content.code == content


def test_the_seed_holds_every_domain_row_with_its_status():
    national = SupportNorm.objects.filter(fund="KCQG", jurisdiction=None)
    assert national.count() == 12
    assert set(national.values_list("effective_from", flat=True)) == {datetime.date(2018, 5, 15)}
    confirmed = set(
        national.filter(needs_verification=False).values_list("content__code", flat=True)
    )
    assert confirmed == {
        "thanh-lap-doanh-nghiep",
        "mo-hinh-trinh-dien",
        "may-moc-thiet-bi",
        "day-chuyen-cong-nghe",
    }
    line = national.get(content__code="day-chuyen-cong-nghe")
    machinery = national.get(content__code="may-moc-thiet-bi")
    assert line.cap_per_unit == machinery.cap_per_unit * Decimal("1.5") == 450 * M
    assert national.get(content__code="xu-ly-moi-truong-ccn").advance_ceiling == Decimal("0.30")
    assert national.get(content__code="nhan-hieu").advance_ceiling == Decimal("0.70")
    assert limit("nhan-hieu", 100 * M).needs_verification
    assert not limit("may-moc-thiet-bi", 100 * M).needs_verification
    # Every seeded row has its first version in the history.
    assert all(norm.history.count() == 1 for norm in national)


def test_no_norm_before_the_circular_nor_for_unknown_contents_or_funds():
    assert limit("may-moc-thiet-bi", 700 * M, on=datetime.date(2018, 5, 14)) is None
    assert limit("may-moc-thiet-bi", 700 * M, on=datetime.date(2018, 5, 15)).maximum == 300 * M
    assert limit("khong-co", 700 * M) is None
    assert limit("hoi-cho-nuoc-ngoai", 700 * M) is None  # in the catalogue, no rate yet
    assert limit("may-moc-thiet-bi", 700 * M, fund="KCDP") is None  # no local rate seeded


def test_a_date_before_a_newer_rate_uses_the_older_one():
    machinery = NormContent.objects.get(code="may-moc-thiet-bi")
    newer = SupportNorm.objects.create(
        content=machinery,
        fund="KCQG",
        legal_basis="Thông tư giả định 99/2027/TT-BTC",
        max_percent=Decimal(60),
        cap_per_unit=500 * M,
        unit="cơ sở",
        effective_from=datetime.date(2027, 1, 1),
    )
    before = limit("may-moc-thiet-bi", 1000 * M, on=datetime.date(2026, 12, 31))
    after = limit("may-moc-thiet-bi", 1000 * M, on=datetime.date(2027, 1, 1))
    assert (before.maximum, after.maximum) == (300 * M, 500 * M)
    assert after.norm_id == newer.pk
    assert "99/2027" in after.sentence
    # Closing the new rate brings the old one back after its end.
    newer.effective_to = datetime.date(2028, 1, 1)
    newer.save()
    assert limit("may-moc-thiet-bi", 1000 * M, on=datetime.date(2028, 1, 1)).maximum == 300 * M
    statuses = {row.norm.pk: row.status for row in norm_table(on=datetime.date(2027, 6, 1))}
    assert statuses[newer.pk] == "applied"
    assert statuses[before.norm_id] == "superseded"


def test_a_province_row_wins_for_local_funds_only(unit):
    son_la, khanh_hoa = unit("14"), unit("56")
    machinery = NormContent.objects.get(code="may-moc-thiet-bi")
    common = {"content": machinery, "unit": "cơ sở", "effective_from": datetime.date(2025, 7, 1)}
    national_local = SupportNorm.objects.create(
        fund="KCDP",
        legal_basis="Mức chung KCĐP",
        max_percent=Decimal(50),
        cap_per_unit=200 * M,
        **common,
    )
    son_la_row = SupportNorm.objects.create(
        fund="KCDP",
        jurisdiction=son_la,
        legal_basis="Nghị quyết 109/2025/NQ-HĐND tỉnh Sơn La",
        max_percent=Decimal(70),
        cap_per_unit=250 * M,
        **common,
    )
    assert (
        limit("may-moc-thiet-bi", 1000 * M, fund="KCDP", province=son_la).norm_id == son_la_row.pk
    )
    assert limit("may-moc-thiet-bi", 300 * M, fund="KCDP", province=son_la).maximum == 210 * M
    # A commune of Sơn La counts as Sơn La.
    commune = unit("03985")
    assert limit("may-moc-thiet-bi", 10 * M, fund="KCDP", province=commune).norm_id == son_la_row.pk
    # Another province, or none, falls back on the national row of that fund.
    assert (
        limit("may-moc-thiet-bi", 1000 * M, fund="KCDP", province=khanh_hoa).norm_id
        == national_local.pk
    )
    assert limit("may-moc-thiet-bi", 1000 * M, fund="KCDP").norm_id == national_local.pk
    # National funds follow the national rate even in Sơn La.
    national = limit("may-moc-thiet-bi", 1000 * M, province=son_la)
    assert national.maximum == 300 * M
    assert national.legal_basis == BASIS


def test_the_database_keeps_the_table_sound(unit):
    machinery = NormContent.objects.get(code="may-moc-thiet-bi")
    good = {
        "content": machinery,
        "fund": "KCDP",
        "legal_basis": "x",
        "unit": "cơ sở",
        "max_percent": Decimal(50),
        "effective_from": datetime.date(2030, 1, 1),
    }
    for bad in (
        {"max_percent": Decimal(101)},
        {"cap_per_unit": -1},
        {"max_percent": None, "cap_per_unit": None},
        {"effective_to": datetime.date(2029, 12, 31)},
        {"priority_multiplier": Decimal("0.5")},
        {"advance_ceiling": Decimal("1.5")},
        {"fund": "KCQG", "jurisdiction": unit("14")},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            SupportNorm.objects.create(**{**good, **bad})
    SupportNorm.objects.create(**good)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportNorm.objects.create(**good)  # same content, fund, scope and start


def test_advance_ceiling():
    assert advance_ceiling(content="may-moc-thiet-bi", fund="KCQG", on=ON) == Decimal("0.70")
    assert advance_ceiling(content="xu-ly-moi-truong-ccn", fund="KCQG", on=ON) == Decimal("0.30")
    assert advance_ceiling(content="khong-co", fund="KCQG", on=ON) == Decimal("0.70")


def test_priority_through_the_api():
    result = limit("may-moc-thiet-bi", 1000 * M, priority=True)
    assert result.maximum == 450 * M
    assert "1,5 lần" in result.sentence


def test_the_national_rows_reload_into_an_emptied_table_without_overwriting_edits():
    from khuyencong.norms.services import load_national_norms

    assert load_national_norms() == 0
    machinery = SupportNorm.objects.get(content__code="may-moc-thiet-bi")
    machinery.cap_per_unit = 310 * M
    machinery.save()
    SupportNorm.objects.exclude(pk=machinery.pk).delete()
    assert load_national_norms() == 11
    machinery.refresh_from_db()
    assert machinery.cap_per_unit == 310 * M
    assert limit("mo-hinh-trinh-dien", 4000 * M).maximum == 1000 * M
