"""A judge scores their own sheet over the API (issue 15) through the sheet page's form and the
scoring service: the same messages and rules, If-Match 428/412, a submitted sheet 409 until it
is reopened (Idempotency-Key on the reopen), a service's item problems 400 under
``scores.<code>``; nobody else writes (another judge: 404; a role that reads closed sheets, or
an API client: 403 with the reason)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.api import examples
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.awards.forms import ScoreForm
from khuyencong.awards.models import RoundStatus, ScoreSheet, SelectionRound
from khuyencong.awards.tests.conftest import (
    build_entry,
    build_establishment,
    build_product,
    build_round,
    build_sheet,
    seat,
)

from .conftest import SON_LA

pytestmark = pytest.mark.django_db
SHEETS = "/api/v1/awards/sheets"
FULL = {"thi-truong": "35,5", "kinh-te-ky-thuat": "34", "van-hoa": "8", "khac": "7.5"}


@pytest.fixture
def scoring(unit, make_user) -> dict[str, Any]:
    """A Sơn La round being scored; two judges, each with an unscored sheet of the tea."""
    round_ = build_round(unit, status=RoundStatus.SCORING)
    tea = build_entry(round_, build_product(build_establishment(unit)))
    judges = [make_user(Role.COUNCIL_MEMBER, SON_LA) for _ in range(2)]
    sheets = [build_sheet(tea, seat(round_, judge)) for judge in judges]
    return {"round": round_, "tea": tea, "judges": judges, "sheets": sheets}


def _put(api, sheet, body, version=None, method="put", **headers):
    version = sheet.version if version is None else version
    send = getattr(api, method)
    return send(
        f"{SHEETS}/{sheet.pk}", body, format="json", headers={"If-Match": f'"{version}"', **headers}
    )


def test_a_judge_saves_a_draft_then_submits_through_the_service(as_user, scoring):
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    api = as_user(judge)
    draft = _put(api, sheet, {"scores": {"thi-truong": "30"}, "comment": "Tạm"})
    assert draft.status_code == 200, draft.json()
    assert draft.json()["status"] == "nhap"
    assert draft.json()["scores"]["thi-truong"] == "30.00"
    assert draft["ETag"] == f'"{sheet.version + 1}"'
    sheet.refresh_from_db()
    done = _put(api, sheet, {"scores": FULL, "comment": "Tốt", "submit": True})
    assert done.status_code == 200, done.json()
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total, sheet.comment) == ("da-nop", 85, "Tốt")
    assert sheet.scores["thi-truong"] == "35.50"
    assert ActivityEvent.objects.filter(event_type=EventType.SCORE_SHEET).count() == 1


def test_patch_changes_only_what_it_sends(as_user, scoring):
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    api = as_user(judge)
    _put(api, sheet, {"scores": {"thi-truong": "30", "van-hoa": "5"}, "comment": "Giữ"})
    sheet.refresh_from_db()
    patched = _put(api, sheet, {"scores": {"van-hoa": "6"}}, method="patch")
    assert patched.status_code == 200, patched.json()
    sheet.refresh_from_db()
    assert (sheet.scores["thi-truong"], sheet.scores["van-hoa"], sheet.comment) == (
        "30.00",
        "6.00",
        "Giữ",
    )
    replaced = _put(api, sheet, {"scores": {"khac": "1"}})  # PUT: the whole sheet
    assert replaced.status_code == 200
    sheet.refresh_from_db()
    assert ("thi-truong" not in sheet.scores, sheet.comment) == (True, "")


def test_the_services_item_problems_are_400_under_the_item(as_user, scoring):
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    response = _put(
        as_user(judge), sheet, {"scores": {**FULL, "van-hoa": "11", "khac": ""}, "submit": True}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert set(errors) == {"scores.van-hoa", "scores.khac"}
    assert errors["scores.van-hoa"] == [
        "Điểm tiêu chí “Giá trị văn hóa, thẩm mỹ” tối đa là 10, không thể chấm 11."
    ]
    assert errors["scores.khac"] == ["Chưa chấm tiêu chí “Tiêu chí khác”."]
    sheet.refresh_from_db()
    assert (sheet.status, sheet.version) == ("chua-cham", 1)


def test_the_sheet_forms_field_rules_give_its_messages(as_user, scoring):
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    response = _put(as_user(judge), sheet, {"scores": {"khac": "123456789"}})
    assert response.status_code == 400
    form = ScoreForm({"khac": "123456789"}, criteria=scoring["round"].criteria_list)
    assert not form.is_valid()
    assert response.json()["errors"] == {"scores.khac": form.errors["khac"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("không phải đối tượng", "non_field_errors"),
        ({"scores": ["35"]}, "scores"),
        ({"scores": {"khong-co": "1"}}, "scores"),
        ({"submit": "co"}, "submit"),
    ],
)
def test_bad_bodies_are_400_never_ignored(as_user, scoring, body, field):
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    response = _put(as_user(judge), sheet, body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert ScoreSheet.objects.get(pk=sheet.pk).version == sheet.version


def test_if_match_is_required_and_checked(as_user, scoring):
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    api = as_user(judge)
    missing = api.put(f"{SHEETS}/{sheet.pk}", {"scores": FULL}, format="json")
    assert missing.status_code == 428
    assert missing.json()["current_version"] == sheet.version
    stale = _put(api, sheet, {"scores": FULL}, version=sheet.version + 5)
    assert stale.status_code == 412
    assert ScoreSheet.objects.get(pk=sheet.pk).status == "chua-cham"


def test_a_submitted_or_closed_sheet_is_409_with_the_services_sentence(as_user, scoring):
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    api = as_user(judge)
    _put(api, sheet, {"scores": FULL, "submit": True})
    sheet.refresh_from_db()
    again = _put(api, sheet, {"scores": FULL})
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "Phiếu đã nộp: muốn sửa, hãy mở lại phiếu trước (có ghi nhật ký)."
    )
    scoring["tea"].scoring_closed_at = timezone.now()
    scoring["tea"].save(update_fields=["scoring_closed_at"])
    reopened = api.post(
        f"{SHEETS}/{sheet.pk}/reopen",
        {"reason": "Nhầm"},
        format="json",
        headers={"If-Match": f'"{sheet.version}"'},
    )
    assert reopened.status_code == 409
    assert "khóa chấm" in reopened.json()["detail"]


def test_a_judge_reopens_a_submitted_sheet_once_per_key(as_user, scoring):
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    api = as_user(judge)
    _put(api, sheet, {"scores": FULL, "submit": True})
    sheet.refresh_from_db()
    url = f"{SHEETS}/{sheet.pk}/reopen"
    headers = {"If-Match": f'"{sheet.version}"', "Idempotency-Key": "mo-lai-1"}
    no_reason = api.post(url, {"reason": " "}, format="json", headers=headers)
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"] == {"reason": ["Cần ghi lý do mở lại phiếu đã nộp."]}
    headers["Idempotency-Key"] = "mo-lai-2"
    first = api.post(url, {"reason": "Chấm nhầm"}, format="json", headers=headers)
    assert first.status_code == 200, first.json()
    assert (first.json()["status"], first.json()["reopen_count"]) == ("nhap", 1)
    replayed = api.post(url, {"reason": "Chấm nhầm"}, format="json", headers=headers)
    assert replayed.status_code == 200
    assert replayed["Idempotent-Replayed"] == "true"
    sheet.refresh_from_db()
    assert (sheet.reopen_count, sheet.status) == (1, "nhap")
    not_submitted = api.post(
        url, {"reason": "x"}, format="json", headers={"If-Match": f'"{sheet.version}"'}
    )
    assert not_submitted.status_code == 409
    assert not_submitted.json()["detail"] == "Phiếu chưa nộp: cứ sửa và lưu."


def test_another_judges_sheet_is_not_found(as_user, scoring):
    judge, theirs = scoring["judges"][0], scoring["sheets"][1]
    api = as_user(judge)
    assert _put(api, theirs, {"scores": FULL}).status_code == 404
    assert _put(api, theirs, {}, method="patch").status_code == 404
    assert api.post(f"{SHEETS}/{theirs.pk}/reopen", {"reason": "x"}).status_code == 404


@pytest.fixture
def closed(scoring) -> ScoreSheet:
    """The first judge's sheet, submitted; its entry's scoring closed (no longer sealed)."""
    sheet = scoring["sheets"][0]
    ScoreSheet.objects.filter(pk=sheet.pk).update(status="da-nop", total=80, scores=FULL)
    scoring["tea"].scoring_closed_at = timezone.now()
    scoring["tea"].save(update_fields=["scoring_closed_at"])
    sheet.refresh_from_db()
    return sheet


@pytest.mark.parametrize("role", [Role.PROVINCE_SCT, Role.NATIONAL_OFFICER])
def test_a_reader_of_closed_sheets_may_not_write_them(as_user, make_user, closed, role):
    where = "VN" if role == Role.NATIONAL_OFFICER else SON_LA
    api = as_user(make_user(role, where))
    assert api.get(f"{SHEETS}/{closed.pk}").status_code == 200
    for response in (
        _put(api, closed, {"scores": FULL}),
        _put(api, closed, {}, method="patch"),
        api.post(f"{SHEETS}/{closed.pk}/reopen", {"reason": "x"}, format="json"),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Chỉ giám khảo được phân công mới chấm phiếu này."


def test_an_api_client_is_never_a_judge(issue, bearer, closed, scoring, unit):
    api = bearer(issue(Role.PROVINCE_SCT, SON_LA)[1])
    refused = _put(api, closed, {"scores": FULL})
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Máy khách API không chấm điểm")
    plum = build_entry(scoring["round"], build_product(build_establishment(unit), "Mận"))
    open_sheet = build_sheet(plum, closed.member)  # sealed: the client does not learn of it
    assert _put(api, open_sheet, {"scores": FULL}).status_code == 404
    reader = bearer(issue(Role.PROVINCE_SCT, SON_LA, scopes=("awards:read",))[1])
    unscoped = _put(reader, closed, {"scores": FULL})
    assert unscoped.status_code == 403
    assert "awards:write" in unscoped.json()["detail"]


def test_a_round_not_yet_scoring_refuses_with_the_services_sentence(as_user, scoring):
    SelectionRound.objects.filter(pk=scoring["round"].pk).update(status=RoundStatus.OPEN)
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    response = _put(as_user(judge), sheet, {"scores": FULL})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Ban giám khảo đã khóa chấm hồ sơ này: không sửa phiếu được nữa."
    )


def test_the_sheet_example_is_what_the_api_answers(as_user, scoring):
    judge, sheet = scoring["judges"][0], scoring["sheets"][0]
    answer = _put(as_user(judge), sheet, examples.SHEET_SCORES)
    assert answer.status_code == 200, answer.content
    shown = examples.SHEET_SUBMITTED
    assert set(answer.json()) == set(shown)
    same = {"status", "scores", "total", "comment", "reopen_count"}
    assert {k: answer.json()[k] for k in same} == {k: shown[k] for k in same}
