"""After the result: complaints within working days (an upheld one re-scores that entry only,
sealed again) and the holders' yearly reports with reminders and the late list."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from khuyencong.accounts import policy
from khuyencong.audit.models import ActivityEvent
from khuyencong.awards.models import Certificate, Complaint, HolderReport, ScoreSheet
from khuyencong.awards.services import SelectionError, SelectionInvalid, jury, results, scoring
from khuyencong.awards.services import complaints as services
from khuyencong.awards.services import holder_reports as reports
from khuyencong.notifications.models import Notification

from .conftest import PUBLISHED_ON, publish, scores, sheet_of

D = datetime.date


@pytest.fixture
def capped(closed: dict[str, Any], sct: Any) -> dict[str, Any]:
    """The council recognises one product only (the tea); the plum (70,00) fails on the cap;
    the result is published on 15/11/2026 and the clock is on 16/11/2026."""
    round_ = closed["round"]
    round_.refresh_from_db()
    results.set_pass_cap(
        actor=sct, round_=round_, expected_version=round_.version, max_passing=1, basis="BB họp"
    )
    publish(closed, sct)
    for key in ("round", "tea", "plum"):
        closed[key].refresh_from_db()
    return closed


def lodge(user: Any, entry: Any, text: str = "Đề nghị chấm lại tiêu chí 1 và 2.") -> Complaint:
    return services.lodge_complaint(actor=user, entry=entry, text=text)


def test_the_window_is_fifteen_working_days_after_publication(capped, representative, on_day):
    plum, holder = capped["plum"], representative(capped["plum"].establishment)
    # 15/11/2026 is a Sunday and 24/11 Vietnam Culture Day (a day off from 2026): 15 working
    # days later is Monday 07/12/2026.
    assert services.complaint_deadline(capped["round"]) == D(2026, 12, 7)
    on_day(D(2026, 12, 8))
    with pytest.raises(SelectionError, match=r"hết hạn khiếu nại.*7/12/2026"):
        lodge(holder, plum)
    on_day(D(2026, 12, 7))
    complaint = lodge(holder, plum)
    # Decided within 10 working days: 21/12/2026.
    assert (complaint.lodged_on, complaint.reply_due) == (D(2026, 12, 7), D(2026, 12, 21))
    with pytest.raises(SelectionError, match="đang có một khiếu nại"):
        lodge(holder, plum)


def test_only_the_entrant_complains_and_says_why(capped, representative, sct):
    plum, tea = capped["plum"], capped["tea"]
    holder = representative(plum.establishment)
    with pytest.raises(PermissionDenied):
        lodge(holder, tea)
    with pytest.raises(PermissionDenied):
        lodge(sct, plum)
    with pytest.raises(SelectionInvalid) as caught:
        lodge(holder, plum, text="  ")
    assert "nội dung khiếu nại" in caught.value.problems["text"][0]
    assert not Complaint.objects.exists()


def test_a_complaint_before_publication_is_refused(closed, representative):
    with pytest.raises(SelectionError, match="sau khi kết quả được công bố"):
        lodge(representative(closed["plum"].establishment), closed["plum"])


def test_the_organiser_decides_with_a_reason_and_a_dismissal_changes_nothing(
    capped, representative, sct
):
    complaint = lodge(representative(capped["plum"].establishment), capped["plum"])
    assert Notification.objects.filter(recipient=sct, title__contains="Khiếu nại").exists()
    with pytest.raises(PermissionDenied):
        services.decide_complaint(
            actor=capped["judges"][0].user,
            complaint=complaint,
            expected_version=complaint.version,
            upheld=True,
            decision="x",
        )
    with pytest.raises(SelectionInvalid, match="lý do"):
        services.decide_complaint(
            actor=sct,
            complaint=complaint,
            expected_version=complaint.version,
            upheld=False,
            decision=" ",
        )
    decided = services.decide_complaint(
        actor=sct,
        complaint=complaint,
        expected_version=complaint.version,
        upheld=False,
        decision="Điểm các giám khảo chấm đúng thang điểm.",
    )
    assert decided.get_status_display() == "Không chấp nhận"
    plum = capped["plum"]
    plum.refresh_from_db()
    assert plum.scoring_closed_at is not None
    assert plum.mean is not None
    assert decided.history.count() == 2


def rescore(entry: Any, representative: Any, sct: Any, decision: str) -> None:
    """The entrant complains and the organiser upholds it: the entry is re-scored."""
    complaint = lodge(representative(entry.establishment), entry)
    services.decide_complaint(
        actor=sct,
        complaint=complaint,
        expected_version=complaint.version,
        upheld=True,
        decision=decision,
    )
    entry.refresh_from_db()


def test_an_upheld_complaint_rescores_that_entry_only_sealed_then_certifies_it(
    capped, representative, sct
):
    tea, plum, judges = capped["tea"], capped["plum"], capped["judges"]
    assert plum.passed is False
    assert not Certificate.objects.filter(entry=plum).exists()
    rescore(plum, representative, sct, "Giám khảo 1 chấm sai tiêu chí 1: chấm lại.")
    tea.refresh_from_db()
    assert plum.is_being_rescored
    assert plum.mean is None
    assert tea.scoring_closed_at is not None
    assert tea.mean is not None
    first = sheet_of(judges[0], plum)
    # Sealed again: neither the organiser nor another judge reads a sheet of the plum.
    assert not policy.can(sct, policy.Action.VIEW_SCORES, first)
    assert not policy.can(judges[1].user, policy.Action.VIEW_SCORES, first)
    assert not policy.scope_queryset(
        sct,
        ScoreSheet.objects.filter(entry=plum),
        unit_field="round__unit",
        action=policy.Action.VIEW_SCORES,
    ).exists()
    # The tea's sheets stay closed: no judge may change them.
    tea_sheet = sheet_of(judges[0], tea)
    with pytest.raises(SelectionError, match="khóa chấm"):
        scoring.save_sheet(
            actor=judges[0].user,
            sheet=tea_sheet,
            expected_version=tea_sheet.version,
            scores=scores(90),
        )
    with pytest.raises(SelectionError, match="phiếu chưa nộp"):
        services.close_rescoring(actor=judges[0].user, entry=plum, expected_version=plum.version)
    for judge in judges:
        sheet = sheet_of(judge, plum)
        scoring.save_sheet(
            actor=judge.user,
            sheet=sheet,
            expected_version=sheet.version,
            scores=scores(90),
            submit=True,
        )
    plum.refresh_from_db()
    done = services.close_rescoring(actor=judges[0].user, entry=plum, expected_version=plum.version)
    assert (str(done.mean), done.rank, done.passed) == ("90.00", 1, True)
    tea.refresh_from_db()
    assert (tea.rank, tea.passed) == (2, True)  # keeps its recognition
    certificate = Certificate.objects.get(entry=plum)
    assert certificate.valid_until == D(2028, 12, 31)
    assert "sau khiếu nại" in certificate.decision
    actions = set(ActivityEvent.objects.values_list("data__action", flat=True))
    assert {"cham-lai", "khoa-cham-lai", "chap-nhan"} <= actions


def test_the_complaint_pages(capped, representative, sct, client):
    holder = representative(capped["plum"].establishment)
    client.force_login(holder)
    create = reverse("awards:complaint_create", args=[capped["plum"].pk])
    assert "07/12/2026" in client.get(create).content.decode()
    response = client.post(create, {"text": ""})
    assert "Nội dung khiếu nại" in response.content.decode()
    response = client.post(create, {"text": "Đề nghị chấm lại tiêu chí 1."})
    complaint = Complaint.objects.get()
    assert response.url == reverse("awards:complaint_detail", args=[complaint.pk])
    client.force_login(sct)
    decide = reverse("awards:complaint_decide", args=[complaint.pk])
    page = client.post(decide, {"version": complaint.version, "upheld": "1", "decision": ""})
    assert "Lý do, căn cứ giải quyết" in page.content.decode()
    client.post(decide, {"version": complaint.version, "upheld": "1", "decision": "Chấm lại."})
    detail = client.get(reverse("awards:complaint_detail", args=[complaint.pk])).content.decode()
    assert "Chấp nhận: chấm lại hồ sơ" in detail
    assert 'id="dang-cham-lai"' in detail
    listing = client.get(reverse("awards:complaint_list")).content.decode()
    assert capped["plum"].product.name in listing


# --------------------------------------------------------------------------------------------
# Holders' yearly reports
# --------------------------------------------------------------------------------------------
def test_reports_open_for_valid_certificates_due_as_the_rule_says_and_remind(
    capped, representative, on_day
):
    holder = representative(capped["tea"].establishment)
    on_day(D(2027, 1, 20))
    assert reports.send_holder_report_reminders() == 1
    report = HolderReport.objects.get()
    assert (report.year, report.due_on) == (2026, D(2027, 1, 31))
    assert report.certificate.entry_id == capped["tea"].pk
    assert report.province_id == capped["tea"].province_id
    note = Notification.objects.get(recipient=holder)
    assert "Hạn nộp báo cáo năm 2026" in note.title
    assert "31/1/2027" in note.title
    assert reports.send_holder_report_reminders() == 0  # once only
    on_day(D(2027, 2, 3))
    assert reports.send_holder_report_reminders() == 1
    assert "Quá hạn" in Notification.objects.filter(recipient=holder).latest("pk").title


def test_a_revoked_certificate_owes_no_report_for_later_years(capped, sct):
    tea_certificate = Certificate.objects.get(entry=capped["tea"])
    Certificate.objects.filter(pk=tea_certificate.pk).update(
        revoked_on=D(2026, 12, 1), revocation_reason="Vi phạm"
    )
    assert reports.open_reports(2026) == 1
    assert reports.open_reports(2026) == 0
    assert reports.open_reports(2027) == 0


def test_the_holder_files_and_the_sct_sees_the_late_ones(
    capped, representative, sct, client, on_day
):
    holder = representative(capped["tea"].establishment)
    reports.open_reports(2026)
    report = HolderReport.objects.get()
    with pytest.raises(SelectionError, match="nộp từ ngày 01/01/2027"):
        reports.submit_report(
            actor=holder,
            report=report,
            expected_version=report.version,
            production="1 tấn",
            revenue=1,
            employees=1,
        )
    on_day(D(2027, 2, 10))
    client.force_login(sct)
    late = client.get(reverse("awards:holder_report_list"), {"tre": "1"}).content.decode()
    assert "Quá hạn, chưa nộp" in late
    assert capped["tea"].product.name in late
    url = reverse("awards:holder_report_detail", args=[report.pk])
    assert client.post(url, {"version": report.version}).status_code == 403
    client.force_login(holder)
    page = client.post(url, {"version": report.version, "production": "", "revenue": "abc"})
    text = page.content.decode()
    assert "Sản lượng trong năm" in text
    assert "không phải là số tiền" in text
    report.refresh_from_db()
    assert report.submitted_at is None
    client.post(
        url,
        {
            "version": report.version,
            "production": "12 tấn chè khô",
            "revenue": "1.250.000.000",
            "employees": "25",
            "support_received": "Hỗ trợ máy sao chè 2026",
        },
    )
    report.refresh_from_db()
    assert (report.revenue, report.employees) == (1_250_000_000, 25)
    assert report.submitted_late
    assert "1.250 triệu đồng" in client.get(url).content.decode()
    client.force_login(sct)
    late = client.get(reverse("awards:holder_report_list"), {"tre": "1"}).content.decode()
    assert capped["tea"].product.name not in late
    assert PUBLISHED_ON.year == report.year


def test_the_reminder_command(capped, representative):
    representative(capped["tea"].establishment)
    out = StringIO()
    call_command("send_holder_report_reminders", "--today", "2027-01-20", stdout=out)
    assert out.getvalue().splitlines() == [
        "Đã gửi 1 thông báo nhắc báo cáo hằng năm.",
        "Đã gửi 0 thông báo nhắc giải quyết khiếu nại.",
    ]
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_holder_report_reminders", "--today", "20/01/2027")


def test_an_undecided_complaint_reminds_the_organiser_on_its_due_day_and_once_overdue(
    capped, representative, sct, on_day, client
):
    plum = capped["plum"]
    on_day(D(2026, 12, 7))
    complaint = lodge(representative(plum.establishment), plum)
    assert complaint.reply_due == D(2026, 12, 21)  # 10 working days (DOMAIN.md §6)
    reminders = Notification.objects.filter(
        recipient=sct, dedupe_key__startswith=f"khieu-nai:{complaint.pk}:"
    ).order_by("pk")
    entry_page = reverse("awards:entry_detail", args=[plum.pk])

    def entry_page_text():
        client.force_login(sct)  # the clock moved: a fresh session
        response = client.get(entry_page)
        assert response.status_code == 200
        return response.content.decode()

    on_day(D(2026, 12, 18))
    assert services.send_complaint_reminders() == 0
    on_day(D(2026, 12, 21))
    assert services.send_complaint_reminders() == 1
    assert services.send_complaint_reminders() == 0  # once per complaint and stage
    assert reminders.get().title == (
        "Hôm nay (21/12/2026) là hạn giải quyết khiếu nại về “Mận hậu”"
    )
    assert "Quá hạn" not in entry_page_text()
    on_day(D(2026, 12, 22))
    out = StringIO()
    call_command("send_holder_report_reminders", stdout=out)
    call_command("send_holder_report_reminders", stdout=out)
    assert out.getvalue().count("Đã gửi 1 thông báo nhắc giải quyết khiếu nại.") == 1
    assert out.getvalue().count("Đã gửi 0 thông báo nhắc giải quyết khiếu nại.") == 1
    assert [n.title for n in reminders][1] == (
        "Quá hạn giải quyết khiếu nại về “Mận hậu” (hạn 21/12/2026)"
    )
    assert "Quá hạn" in entry_page_text()
    complaint.refresh_from_db()
    services.decide_complaint(
        actor=sct,
        complaint=complaint,
        expected_version=complaint.version,
        upheld=False,
        decision="Điểm các giám khảo chấm đúng thang điểm.",
    )
    on_day(D(2026, 12, 29))
    assert services.send_complaint_reminders() == 0
    assert reminders.count() == 2


def test_the_reminder_lead_time_is_the_level_rules_and_the_administrator_sets_it(
    capped, representative, on_day, client
):
    """14 days before the due date unless the administrator sets another lead (1 to 90) on the
    level's rule in the admin."""
    from django.contrib.auth import get_user_model
    from django.forms.models import model_to_dict

    from khuyencong.awards.models import LevelRule

    holder = representative(capped["tea"].establishment)
    rule = LevelRule.objects.in_force("tinh", Certificate.objects.get().issued_on)
    assert rule.report_reminder_days == 14
    on_day(D(2027, 1, 10))  # due 31/1/2027: 21 days ahead
    assert reports.send_holder_report_reminders() == 0
    root = get_user_model().objects.create_superuser(
        "root@test.khuyencong.vn", "x", full_name="Quản trị"
    )
    client.force_login(root)
    url = reverse("admin:awards_levelrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    data = {k: v for k, v in model_to_dict(rule).items() if v is not None}
    data["criteria"] = json.dumps(rule.criteria, ensure_ascii=False)
    for wrong in (0, 91):
        page = client.post(url, {**data, "report_reminder_days": wrong})
        assert page.status_code == 200, wrong
        assert "errornote" in page.content.decode(), wrong
    response = client.post(url, {**data, "report_reminder_days": 30})
    assert response.status_code == 302, response.content.decode()[:3000]
    rule.refresh_from_db()
    assert rule.report_reminder_days == 30
    assert reports.send_holder_report_reminders() == 1
    assert "Hạn nộp báo cáo năm 2026" in Notification.objects.get(recipient=holder).title
    with pytest.raises(IntegrityError), transaction.atomic():
        LevelRule.objects.filter(pk=rule.pk).update(report_reminder_days=91)


def test_no_declaration_while_an_entry_is_rescored(capped, representative, sct):
    """Re-scoring after an upheld complaint is not a new jury: a late declaration would drop
    a judge's draft (with their scores) from a panel no one may complete any more."""
    plum, judge = capped["plum"], capped["judges"][3]
    rescore(plum, representative, sct, "Chấm lại.")
    assert plum.is_being_rescored
    with pytest.raises(SelectionError, match=r"Đã công bố kết quả.*không khai báo quan hệ"):
        jury.declare_conflict(
            actor=judge.user, member=judge, establishment=plum.establishment, relation="anh ruột"
        )
    assert ScoreSheet.objects.filter(member=judge, entry=plum).count() == 1
