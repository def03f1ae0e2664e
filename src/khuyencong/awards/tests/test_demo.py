"""The selection's demo data (make run): a completed Sơn La round with results, certificates,
a complaint and yearly reports; an open national round the national demo judge scores."""

from __future__ import annotations

from decimal import Decimal

import pytest

from khuyencong.accounts.models import User
from khuyencong.awards.models import (
    Certificate,
    Complaint,
    CouncilMember,
    Entry,
    HolderReport,
    ScoreSheet,
    SelectionRound,
)
from khuyencong.awards.selectors import jury as jury_selectors
from khuyencong.awards.services import jury as jury_services
from khuyencong.awards.services import scoring
from khuyencong.core.demo import DEMO_DOMAIN, seed_demo
from khuyencong.portal.models import PublicationConsent

from .conftest import scores

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_completed_provincial_round_and_an_open_national_one():
    seed_demo()
    provincial = SelectionRound.objects.get(is_demo=True, level="tinh")
    assert provincial.status == "da-cong-bo"
    entries = Entry.objects.filter(round=provincial)
    assert entries.count() == 12
    assert entries.values("commune").distinct().count() >= 3
    assert CouncilMember.objects.filter(round=provincial, is_judge=True).count() == 7
    means = sorted(Decimal(m) for m in entries.values_list("mean", flat=True))
    assert means[0] < provincial.pass_mark <= means[-1]
    certificates = Certificate.objects.filter(round=provincial)
    assert certificates.count() == entries.filter(passed=True).count() == 9
    sct = User.objects.get(email=f"sct.sonla@{DEMO_DOMAIN}")
    flags = jury_selectors.outlier_flags(sct, provincial)
    assert {f.judge for f in flags} == {"Giám khảo 7 tỉnh Sơn La (mẫu)"}
    assert Complaint.objects.filter(round=provincial, status="bac").count() == 1
    reports = HolderReport.objects.filter(certificate__round=provincial)
    assert reports.count() == 9
    assert reports.filter(submitted_at__isnull=False).count() == 1
    # The portal publishes the selection's certificates (its own products are not added; it
    # adds an expired and a revoked older certificate for the public paths, in a demo round).
    assert PublicationConsent.objects.filter(product__certificates__round=provincial).exists()
    assert not Certificate.objects.filter(is_demo=True).exclude(round__is_demo=True).exists()
    assert (
        not Certificate.objects.filter(is_demo=True, round__level="xa")
        .exclude(product__certificates__round=provincial)
        .exists()
    )

    national = SelectionRound.objects.get(is_demo=True, level="quoc-gia")
    assert national.status == "dang-cham"
    judge = User.objects.get(email=f"hoidong.tw@{DEMO_DOMAIN}")
    assert judge.check_password("KhuyenCong@2026")
    sheet = ScoreSheet.objects.filter(round=national, member__user=judge).first()
    assert sheet is not None
    assert sheet.entry.forwarding is not None
    assert sheet.entry.basis_certificate.round_id == provincial.pk
    saved = scoring.save_sheet(
        actor=judge, sheet=sheet, expected_version=sheet.version, scores=scores(85), submit=True
    )
    assert saved.total == Decimal(85)
    # A reserve judge waits, unassigned and outside the jury's odd count, for the chair.
    reserve = CouncilMember.objects.get(round=national, is_reserve=True)
    assert not reserve.sheets.exists()
    assert jury_services.council_problems(national) == []
    assert jury_services.jury_size(national) == 11

    seed_demo()  # once only
    assert SelectionRound.objects.filter(is_demo=True).count() == 3
    assert Certificate.objects.filter(is_demo=True).count() == 11
