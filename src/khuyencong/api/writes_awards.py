"""A judge's own score sheets written over the API (issue 15: "for council members, their own
score sheets"): the sheet page's form (``ScoreForm``) reads the body, ``awards.services.scoring``
writes, in the page's order — scope 404 (sealed sheets are nobody else's), not the judge 403,
If-Match 428/412, the body 400, the service's rules 400 (by item) or 409."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.awards.forms import ScoreForm
from khuyencong.awards.models import ScoreSheet
from khuyencong.awards.selectors import jury as jury_selectors
from khuyencong.awards.services import SelectionInvalid, scoring

from . import forms
from .etags import expected_version, with_etag
from .models import ApiClient
from .serializers_awards import ScoreSheetSerializer

#: The body's key holding the scores by criterion item; errors name an item as ``scores.<code>``.
SCORES = "scores"


def _own_sheet(request: Request, pk: int) -> ScoreSheet:
    found = jury_selectors.sheet_for_view(request.user, pk)
    if found.member.user_id != request.user.pk:
        if isinstance(request.auth, ApiClient):
            # A client acts for a unit, never for a person seated on a council.
            raise PermissionDenied(
                _(
                    "Máy khách API không chấm điểm: chỉ giám khảo được phân công, đăng nhập bằng "
                    "tài khoản của mình, mới chấm hoặc mở lại phiếu này."
                )
            )
        raise PermissionDenied(_("Chỉ giám khảo được phân công mới chấm phiếu này."))
    return found


def _by_item(problems: Mapping[str, Any], items: list[str]) -> dict[str, list[str]]:
    """The form's and the service's problems, an item's under ``scores.<code>``."""
    return {
        (f"{SCORES}.{name}" if name in items else name or "non_field_errors"): list(messages)
        for name, messages in problems.items()
    }


def _score_data(
    body: Mapping[str, Any], sheet: ScoreSheet, items: list[str], partial: bool
) -> tuple[dict[str, Any], bool]:
    """The sheet form's data: PUT sends the whole sheet (an item left out is unscored), PATCH
    only what changes. An item the round's criteria do not have is refused, never ignored."""
    scores = body.get(SCORES, {})
    if not isinstance(scores, Mapping):
        raise ValidationError(
            {SCORES: [_("Điểm gửi dạng đối tượng JSON: mã mục chấm → điểm (ví dụ 35,5).")]}
        )
    unknown = sorted(str(code)[:64] for code in scores if code not in items)
    if unknown:
        raise ValidationError(
            {
                SCORES: [
                    _("Tiêu chí của kỳ bình chọn không có mục: %(codes)s. Các mục: %(items)s.")
                    % {"codes": ", ".join(unknown), "items": ", ".join(items)}
                ]
            }
        )
    submit = body.get("submit", False)
    if not isinstance(submit, bool):
        raise ValidationError({"submit": [_("Chỉ nhận true hoặc false.")]})
    kept: dict[str, Any] = {**sheet.scores, "comment": sheet.comment} if partial else {}
    sent = {**scores, **({"comment": body["comment"]} if "comment" in body else {})}
    return {**kept, **forms.form_data(sent)}, submit


def save_sheet(request: Request, pk: int, *, partial: bool) -> Response:
    """Lưu nháp, or nộp phiếu with ``"submit": true``, as the sheet page's two buttons."""
    sheet = _own_sheet(request, pk)
    version = expected_version(request, sheet)
    body = forms.json_object(request.data)
    criteria = sheet.round.criteria_list
    form = ScoreForm(None, criteria=criteria)
    data, submit = _score_data(body, sheet, form.items, partial)
    form = ScoreForm({**data, "version": version}, criteria=criteria)
    if not form.is_valid():
        raise ValidationError(_by_item(form.errors, form.items))
    try:
        scoring.save_sheet(
            actor=request.user,
            sheet=sheet,
            expected_version=version,
            scores=form.scores,
            comment=form.cleaned_data["comment"],
            submit=submit,
        )
    except SelectionInvalid as exc:
        raise SelectionInvalid(_by_item(exc.problems, form.items)) from None
    return _answer(request, pk)


def reopen_sheet(request: Request, pk: int) -> Response:
    """Mở lại phiếu đã nộp (before the close), with the reason the activity log keeps."""
    sheet = _own_sheet(request, pk)
    version = expected_version(request, sheet)
    data = forms.form_data(request.data)
    scoring.reopen_sheet(
        actor=request.user,
        sheet=sheet,
        expected_version=version,
        reason=str(data.get("reason", "")),
    )
    return _answer(request, pk)


def _answer(request: Request, pk: int) -> Response:
    fresh = jury_selectors.sheet_for_view(request.user, pk)
    body = ScoreSheetSerializer(fresh, context={"request": request}).data
    return with_etag(Response(body), fresh)
