import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied

from khuyencong.accounts.models import Role
from khuyencong.core.concurrency import StaleEditError
from khuyencong.programs.models import ProgrammeStatus
from khuyencong.programs.seeds import SEED_PROGRAMMES
from khuyencong.programs.services import (
    ProgrammeError,
    record_approval,
    save_programme_data,
    supersede_programme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    data = dataclasses.replace(SEED_PROGRAMMES["son-la-2026-2030"], code="son-la-du-thao")
    return save_programme_data(data, status=ProgrammeStatus.DRAFT)


def approve(actor, programme, **overrides):
    values = {
        "expected_version": programme.version,
        "decision_number": "1113/QĐ-UBND",
        "decision_date": datetime.date(2026, 5, 11),
        "issuing_body": "Ủy ban nhân dân tỉnh Sơn La",
    }
    values.update(overrides)
    return record_approval(actor=actor, programme=programme, **values)


def test_draft_to_approved_to_superseded(make_user, draft):
    centre = make_user(Role.PROVINCE_CENTRE, "14")
    approved = approve(centre, draft)
    assert approved.status == ProgrammeStatus.APPROVED
    assert approved.decision_number == "1113/QĐ-UBND"
    with pytest.raises(ProgrammeError, match="dự thảo"):
        approve(centre, approved)
    with pytest.raises(ProgrammeError, match="lý do"):
        supersede_programme(
            actor=centre, programme=approved, expected_version=approved.version, reason=" "
        )
    done = supersede_programme(
        actor=centre, programme=approved, expected_version=approved.version, reason="QĐ 200/QĐ-UBND"
    )
    assert done.status == ProgrammeStatus.SUPERSEDED
    assert done.history.count() >= 3


def test_approval_needs_a_decision_and_the_right_person(make_user, draft):
    with pytest.raises(ProgrammeError, match="số và ngày"):
        approve(make_user(Role.PROVINCE_SCT, "14"), draft, decision_date=None)
    with pytest.raises(PermissionDenied):
        approve(make_user(Role.PROVINCE_SCT, "56"), draft)
    with pytest.raises(StaleEditError):
        approve(make_user(Role.PROVINCE_SCT, "14"), draft, expected_version=draft.version - 1)
    draft.refresh_from_db()
    assert draft.status == ProgrammeStatus.DRAFT


def test_approval_over_http_with_a_vietnamese_date(make_user, client, draft):
    from django.urls import reverse

    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    url = reverse("programs:programme_status", args=[draft.code])
    bad = client.post(
        url,
        {
            "action": "approve",
            "decision_number": "1",
            "decision_date": "31/2/2026",
            "issuing_body": "UBND",
            "version": draft.version,
        },
        follow=True,
    )
    assert "ngày/tháng/năm" in bad.content.decode()
    draft.refresh_from_db()
    assert draft.status == ProgrammeStatus.DRAFT
    client.post(
        url,
        {
            "action": "approve",
            "decision_number": "1113/QĐ-UBND",
            "decision_date": "11/5/2026",
            "issuing_body": "UBND tỉnh Sơn La",
            "version": draft.version,
        },
    )
    draft.refresh_from_db()
    assert draft.status == ProgrammeStatus.APPROVED
    assert draft.decision_date == datetime.date(2026, 5, 11)
