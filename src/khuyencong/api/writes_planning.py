"""Registrations (phiếu đăng ký nhu cầu hỗ trợ) written over the API: the web's form reads the
body (same fields, bounds and messages; amounts in integer đồng, content group by its code),
the planning services write; order as on the pages: scope 404, role 403, If-Match, body 400."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.accounts import policy
from khuyencong.planning import selectors as planning_selectors
from khuyencong.planning import services as planning_services
from khuyencong.planning import workflow
from khuyencong.planning.forms import RegistrationForm, TransitionForm
from khuyencong.programs.models import ContentGroup

from . import forms
from .etags import expected_version, with_etag
from .serializers import RegistrationSerializer


def _form_data(body: Any) -> dict[str, Any]:
    data = forms.form_data(body)
    group = str(data.get("content_group", ""))
    if group and not group.isdigit():  # the API names a content group by its code
        found = ContentGroup.objects.filter(code=group[:64]).values_list("pk", flat=True).first()
        data["content_group"] = found if found is not None else group
    return data


def _answer(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    shown = planning_selectors.registration_for_view(request.user, pk)
    body = RegistrationSerializer(shown, context={"request": request}).data
    return with_etag(Response(body, status=code), shown)


def create_registration(request: Request) -> Response:
    decision = policy.can(request.user, policy.Action.REGISTER_NEED)
    if not decision:
        raise PermissionDenied(decision.reason)
    data = _form_data(request.data)
    round_id = str(data.get("round", ""))
    if not round_id.isdigit() or len(round_id) > 18:
        raise ValidationError({"round": [_("Hãy ghi mã (id) của đợt đăng ký.")]})
    round_ = planning_selectors.round_for_view(request.user, int(round_id))
    establishments = planning_selectors.establishments_for_registration(request.user).filter(
        commune__path__startswith=round_.unit.path + "/"
    )
    form = RegistrationForm(
        data,
        round=round_,
        establishments=establishments,
        check=lambda found: planning_services.check_registration(round_, found),
    )
    cleaned = forms.valid(form)
    try:
        registration, _warnings = planning_services.create_registration(
            actor=request.user,
            round=round_,
            establishment=cleaned["establishment"],
            data=form.data_for_service(),
        )
    except planning_services.RegistrationInvalid as exc:
        raise ValidationError({"non_field_errors": [f.message for f in exc.findings]}) from None
    response = _answer(request, registration.pk, status.HTTP_201_CREATED)
    response["Location"] = f"/api/v1/registrations/{registration.pk}"
    return response


def transition_registration(request: Request, pk: int, step: str) -> Response:
    """Gửi, trả lại, gửi lại, chấp nhận, từ chối: as the registration page's step form."""
    registration = planning_selectors.registration_for_view(request.user, pk)
    actions = sorted(
        {policy.Action(t.permission) for t in workflow.REGISTRATION_TRANSITIONS.values()}
    )
    decision = policy.can_any(request.user, actions, registration)
    if not decision:
        raise PermissionDenied(decision.reason)
    if request.headers.get("If-Match"):  # a stale version: reload, not "not allowed now"
        expected_version(request, registration)
    # The step's own right before a missing If-Match: a reviewer sending "gui" is refused, not
    # asked for a version (a step the state does not have: 409 with the state's steps).
    step_decision = policy.can(
        request.user,
        policy.Action(workflow.registration_transition(registration.status, step).permission),
        registration,
    )
    if not step_decision:
        raise PermissionDenied(step_decision.reason)
    version = expected_version(request, registration)
    form = TransitionForm({**forms.form_data(request.data), "action": step, "version": version})
    planning_services.transition_registration(
        actor=request.user,
        registration=registration,
        action=step,
        comment=forms.valid(form).get("comment", ""),
        expected_version=version,
    )
    return _answer(request, pk)
