"""A report's life: filled at the cut-off, hand figures, submit (frozen), approve (locked),
accept or return by the level above, the province's roll-up and its missing units, late vs
locked."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from khuyencong.notifications.models import Notification
from khuyencong.projects.models import Advance
from khuyencong.reporting import selectors, services, summary
from khuyencong.reporting.aggregation import Figure
from khuyencong.reporting.models import Indicator, ReportStatus, ScheduleException

from .conftest import CHIENG_SON, MILLION, SON_LA, open_for, schedule, step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]
#: A hand-entered indicator of the default sets (staff-training conferences).
HAND = "hoi-nghi-can-bo"


def figures(report: Any) -> dict[tuple[str, str], Figure]:
    return summary.report_figures(report)


def hand(report: Any, actor: Any, code: str, value: int, narrative: str = "") -> Any:
    indicator = Indicator.objects.get(indicator_set=report.indicator_set, code=code)
    report.refresh_from_db()
    return services.save_entries(
        actor=actor,
        report=report,
        expected_version=report.version,
        narrative=narrative,
        values={indicator.pk: services.HandValue(Decimal(value), note="theo sổ theo dõi")},
    )


def test_a_draft_is_filled_from_the_data_at_the_cut_off(officers, unit, make_project):
    make_project(support=300 * MILLION)
    make_project(fund="KCDP", support=100 * MILLION, content="nhan-hieu")
    make_project(decided=datetime.date(2026, 6, 16))  # after the commune's cut-off (15/6)
    make_project(commune="03646")  # another commune
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    assert report.status == ReportStatus.DRAFT
    assert (report.due_on, report.cutoff_on) == (datetime.date(2026, 6, 15),) * 2
    got = figures(report)
    assert got[("de-an-phe-duyet", "")].numerator == 2
    assert got[("de-an-phe-duyet", "KCDP")].numerator == 1
    assert got[("kinh-phi-phe-duyet", "KCQG")].numerator == 300 * MILLION
    assert got[("kinh-phi-phe-duyet", "DOI_UNG")].numerator == 400 * MILLION
    share = got[("ty-trong-kcqg", "")]
    assert (share.numerator, share.denominator, share.value) == (
        300 * MILLION,
        400 * MILLION,
        Decimal("75.0"),
    )
    # Opening again returns the same report.
    assert open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON)).pk == report.pk


def test_submission_freezes_the_figures_and_shows_what_changed_since(officers, unit, make_project):
    make_project()
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    report = hand(report, officers["commune"], HAND, 40, "Lớp tập huấn tháng 5.")
    report = step(officers["commune"], report, "gui")
    assert report.status == ReportStatus.SUBMITTED
    assert report.submission["narrative"] == "Lớp tập huấn tháng 5."
    make_project(support=50 * MILLION)  # entered after submission, approved before the cut-off
    report.refresh_from_db()
    assert figures(report)[("de-an-phe-duyet", "")].numerator == 1
    changes = {(c.indicator.code, c.key): c for c in selectors.changes_since_submission(report)}
    assert changes[("de-an-phe-duyet", "")].difference == 1
    assert changes[("kinh-phi-phe-duyet", "KCQG")].difference == 50 * MILLION
    assert (HAND, "") not in changes  # hand figures are not recomputed


def test_approval_locks_and_only_the_level_above_accepts(officers, unit):
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    report = step(officers["commune"], report, "gui")
    report = step(officers["commune"], report, "phe-duyet")
    assert report.status == ReportStatus.APPROVED
    with pytest.raises(services.ReportingError, match="không sửa được"):
        hand(report, officers["commune"], HAND, 1)
    with pytest.raises(PermissionDenied, match="Sở Công Thương"):
        step(officers["national"], report, "chap-nhan")
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        step(officers["kh_sct"], report, "chap-nhan")
    report = step(officers["sct"], report, "chap-nhan")
    assert report.status == ReportStatus.ACCEPTED
    assert Notification.objects.filter(recipient=officers["commune"], kind="bao-cao").exists()


def test_the_level_above_returns_with_a_reason_and_the_commune_fixes_and_resubmits(officers, unit):
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    report = step(officers["commune"], report, "gui")
    report = step(officers["commune"], report, "phe-duyet")
    with pytest.raises(services.ReportingError, match="lý do"):
        step(officers["sct"], report, "tra-lai")
    report = step(officers["sct"], report, "tra-lai", reason="Thiếu số học viên.")
    assert report.status == ReportStatus.RETURNED
    report = hand(report, officers["commune"], HAND, 25)
    report = step(officers["commune"], report, "gui")
    assert (report.status, report.round) == (ReportStatus.SUBMITTED, 2)
    assert report.transitions.filter(action="tra-lai", comment="Thiếu số học viên.").exists()


def test_nobody_else_prepares_a_unit_report(officers, unit):
    with pytest.raises(PermissionDenied):
        open_for(officers["other_commune"], "xa-6-thang", unit(CHIENG_SON))
    with pytest.raises(PermissionDenied):
        open_for(officers["sct"], "trung-tam-6-thang", unit(SON_LA))  # the centre's report
    with pytest.raises(PermissionDenied):
        open_for(officers["establishment"], "xa-6-thang", unit(CHIENG_SON))
    report = open_for(officers["centre"], "trung-tam-6-thang", unit(SON_LA))
    with pytest.raises(PermissionDenied):
        step(officers["sct"], report, "gui")
    with pytest.raises(services.ReportingError, match="6 tháng"):
        open_for(officers["sct"], "tinh-6-thang", unit(SON_LA), period=_q2())


def _q2() -> Any:
    from khuyencong.reporting.periods import Period

    return Period.parse("2026-Q2")


def test_province_rolls_up_accepted_lower_reports_and_names_the_missing(officers, unit):
    commune = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    hand(commune, officers["commune"], HAND, 40)
    for name in ("gui", "phe-duyet"):
        commune = step(officers["commune"], commune, name)
    commune = step(officers["sct"], commune, "chap-nhan")
    centre = open_for(officers["centre"], "trung-tam-6-thang", unit(SON_LA))
    hand(centre, officers["centre"], HAND, 100)
    for name in ("gui", "phe-duyet"):
        centre = step(officers["centre"], centre, name)
    # The other commune (it has an officer) has not reported: missing.
    province = open_for(officers["sct"], "tinh-6-thang", unit(SON_LA))
    assert figures(province)[(HAND, "")].numerator == 40  # the centre's is not accepted yet
    centre = step(officers["sct"], centre, "chap-nhan")
    province.refresh_from_db()
    services.refill(actor=officers["sct"], report=province, expected_version=province.version)
    province.refresh_from_db()
    assert figures(province)[(HAND, "")].numerator == 140
    hand(province, officers["sct"], HAND, 10)  # the SCT's own conferences
    province.refresh_from_db()
    assert figures(province)[(HAND, "")].numerator == 150
    province = step(officers["sct"], province, "gui")
    with pytest.raises(services.ReportingError, match="Tô Hiệu"):
        step(officers["sct"], province, "phe-duyet")
    province = step(
        officers["sct"], province, "phe-duyet", missing_note="Phường Tô Hiệu báo cáo bổ sung."
    )
    with pytest.raises(PermissionDenied):
        step(officers["sct"], province, "chap-nhan")  # the SCT does not accept its own report
    province = step(officers["national"], province, "chap-nhan")
    assert province.status == ReportStatus.ACCEPTED


def test_late_and_locked_are_two_things(officers, unit, on_day):
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    assert report.lock_on == datetime.date(2026, 7, 15)
    on_day(datetime.date(2026, 6, 20))  # after the due date, before the lock date
    report = step(officers["commune"], report, "gui")
    assert report.submitted_late() is True
    assert not report.entry_closed(datetime.date(2026, 6, 20))
    # Another commune: past the lock date, entry is closed until the province reopens it.
    other = open_for(officers["other_commune"], "xa-6-thang", unit("03646"))
    on_day(datetime.date(2026, 7, 20))
    with pytest.raises(services.ReportingError, match="khóa nhập liệu"):
        hand(other, officers["other_commune"], HAND, 3)
    with pytest.raises(PermissionDenied):
        services.grant_exception(
            actor=officers["other_commune"],
            schedule=schedule("xa-6-thang"),
            unit=unit("03646"),
            period=other.period_obj,
            reason="Tự gia hạn",
            lock_until=datetime.date(2026, 7, 31),
        )
    services.grant_exception(
        actor=officers["sct"],
        schedule=schedule("xa-6-thang"),
        unit=unit("03646"),
        period=other.period_obj,
        reason="Cán bộ mới nhận việc.",
        lock_until=datetime.date(2026, 7, 31),
    )
    assert ScheduleException.objects.get().granted_by == officers["sct"]
    other = hand(other, officers["other_commune"], HAND, 3)
    other = step(officers["other_commune"], other, "gui")
    assert other.submitted_late() is True  # reopened for entry, still late


def test_an_extended_due_date_makes_a_later_submission_on_time(officers, unit, on_day):
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    services.grant_exception(
        actor=officers["sct"],
        schedule=schedule("xa-6-thang"),
        unit=unit(CHIENG_SON),
        period=report.period_obj,
        reason="Lũ quét tháng 6.",
        due_until=datetime.date(2026, 6, 30),
    )
    on_day(datetime.date(2026, 6, 25))
    report = step(officers["commune"], report, "gui")
    assert report.due_on == datetime.date(2026, 6, 30)
    assert report.submitted_late() is False


def test_the_summary_keeps_reported_and_live_figures_side_by_side(officers, unit, make_project):
    make_project()
    province = open_for(officers["sct"], "tinh-6-thang", unit(SON_LA))
    province = step(officers["sct"], province, "gui")
    province = step(officers["sct"], province, "phe-duyet", missing_note="Chưa đủ.")
    province = step(officers["national"], province, "chap-nhan")
    payment_day = datetime.date(2026, 6, 1)
    project = make_project(support=20 * MILLION)  # entered after acceptance
    Advance.objects.create(project=project, fund="KCQG", amount=5 * MILLION, paid_on=payment_day)
    summary.refresh_period(province.period_obj)
    rows = {
        (r.unit.code, r.indicator_code, r.key, r.basis): r.numerator
        for r in summary_rows(province.period)
    }
    assert rows[(SON_LA, "de-an-phe-duyet", "", "bao-cao")] == 1
    assert rows[(SON_LA, "de-an-phe-duyet", "", "truc-tuyen")] == 2
    assert rows[("VN", "de-an-phe-duyet", "", "bao-cao")] == 1
    assert rows[("VN", "de-an-phe-duyet", "", "truc-tuyen")] == 2
    assert rows[(CHIENG_SON, "kinh-phi-tam-ung", "KCQG", "truc-tuyen")] == 5 * MILLION


def summary_rows(period: str) -> Any:
    from khuyencong.reporting.models import SummaryFigure

    return SummaryFigure.objects.filter(period=period).select_related("unit")


def test_every_step_and_lock_exception_is_in_the_activity_log(officers, unit):
    from khuyencong.audit.models import ActivityEvent, EventType

    commune = unit(CHIENG_SON)
    report = open_for(officers["commune"], "xa-6-thang", commune)
    report = step(officers["commune"], report, "gui")
    report = step(officers["commune"], report, "phe-duyet")
    report = step(officers["sct"], report, "tra-lai", reason="Thiếu số học viên.")
    report = step(officers["commune"], report, "gui")
    report = step(officers["commune"], report, "phe-duyet")
    taken_on = datetime.datetime(2026, 6, 12, 9, tzinfo=datetime.UTC)
    report = step(officers["sct"], report, "chap-nhan", at=taken_on)
    services.grant_exception(
        actor=officers["sct"],
        schedule=schedule("xa-6-thang"),
        unit=commune,
        period=report.period_obj,
        reason="Bổ sung số liệu quý II.",
        lock_until=datetime.date(2026, 8, 31),
    )
    steps = list(
        ActivityEvent.objects.filter(event_type=EventType.REPORT_STEP, object_id=str(report.pk))
        .order_by("pk")
        .values_list("actor__email", "data__step", "comment", "unit_id")
    )
    commune_email, sct_email = officers["commune"].email, officers["sct"].email
    assert steps == [
        (commune_email, "gui", "", commune.pk),
        (commune_email, "phe-duyet", "", commune.pk),
        (sct_email, "tra-lai", "Thiếu số học viên.", commune.pk),
        (commune_email, "gui", "", commune.pk),
        (commune_email, "phe-duyet", "", commune.pk),
        (sct_email, "chap-nhan", "", commune.pk),
    ]
    accepted = ActivityEvent.objects.get(event_type=EventType.REPORT_STEP, data__step="chap-nhan")
    assert accepted.at == taken_on  # a step keyed in later keeps the day it was taken
    (extension,) = ActivityEvent.objects.filter(event_type=EventType.REPORT_EXCEPTION)
    assert (extension.actor, extension.unit, extension.comment) == (
        officers["sct"],
        commune,
        "Bổ sung số liệu quý II.",
    )
    assert extension.data["lock_until"] == "2026-08-31"
    assert extension.province_id == unit(SON_LA).pk  # scoped like the rest of the log
