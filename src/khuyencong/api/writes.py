"""The write side of /api/v1/: the web's forms read the body, the apps' services write, the
policy decides — in the order the web pages use (scope 404, If-Match 428/412, role 403, then
the body 400)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.accounts import policy
from khuyencong.projects import forms as project_forms
from khuyencong.projects import selectors as project_selectors
from khuyencong.projects import services as project_services
from khuyencong.projects import workflow
from khuyencong.registry import selectors as registry_selectors
from khuyencong.registry import services as registry_services

from . import forms
from .etags import expected_version, with_etag
from .serializers import ArtisanSerializer, EstablishmentSerializer, ProjectSerializer


def _require(decision: policy.Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


@dataclass(frozen=True)
class RegistryWrites:
    """How a registry resource is written: its form reads the body (over what the record
    holds: a PATCH changes only what it sends), its service writes, its page's read answers."""

    path: str
    current: Callable[[Any], dict[str, Any]]
    form: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]  # (actor=, <model name>=record, expected_version=, data=)
    read: Callable[[Any, int], Any]
    serializer: type[serializers.BaseSerializer[Any]]

    def _shown(self, request: Request, pk: int, answer: int = status.HTTP_200_OK) -> Response:
        """The record as the reader now sees it, with its ETag (a 201 with its Location)."""
        shown = self.read(request.user, pk)
        body = self.serializer(shown, context={"request": request}).data
        response = with_etag(Response(body, status=answer), shown)
        if answer == status.HTTP_201_CREATED:
            response["Location"] = f"/api/v1/{self.path}/{pk}"
        return response

    def create_from(self, request: Request) -> Response:
        _require(policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT))
        data = {**self.current(None), **forms.form_data(request.data)}
        made = self.create(actor=request.user, data=forms.valid(self.form(request.user, data)))
        return self._shown(request, made.pk, status.HTTP_201_CREATED)

    def update_from(self, request: Request, record: Any) -> Response:
        _require(policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT, record))
        version = expected_version(request, record)
        data = {**self.current(record), **forms.form_data(request.data)}
        shown = type(record).objects.get(pk=record.pk)  # the form changes its instance
        form = self.form(request.user, data, instance=shown)
        record_kw = {record._meta.model_name: record}  # the service's keyword for the record
        self.update(
            actor=request.user, expected_version=version, data=forms.valid(form), **record_kw
        )
        return self._shown(request, record.pk)


ESTABLISHMENTS = RegistryWrites(
    "establishments",
    forms.current_values,
    forms.establishment_form,
    registry_services.create_establishment,
    registry_services.update_establishment,
    registry_selectors.establishment_for_view,
    EstablishmentSerializer,
)
ARTISANS = RegistryWrites(
    "artisans",
    forms.current_artisan_values,
    forms.artisan_form,
    registry_services.create_artisan,
    registry_services.update_artisan,
    registry_selectors.artisan_for_view,
    ArtisanSerializer,
)


def transition_project(request: Request, pk: int, step: str) -> Response:
    """One step of the project's life, as the web's step form takes it. A stale If-Match is
    answered before the step is looked up in the new state (reload, not "not allowed now")."""
    project = project_selectors.project_for_view(request.user, pk)
    steps = [policy.Action(p) for p in sorted(workflow.STEP_PERMISSIONS)]
    _require(policy.can_any(request.user, steps, project))
    if request.headers.get("If-Match"):
        expected_version(request, project)
    t = workflow.find(project.status, step, project.fund)
    assignment = policy.active_assignment(request.user)
    signoff = t.signoff_for(assignment.role) if assignment is not None else None
    if signoff is None:
        raise project_services._refuse_role(request.user, project, t)
    version = expected_version(request, project)
    form = project_forms.step_form(
        signoff, project, step, forms.form_data(request.data, prefix=step)
    )
    forms.valid(form)
    payload = {**form.payload(), "visibility": form.visibility()}
    outcome = project_services.transition(
        actor=request.user,
        project=project,
        action=step,
        expected_version=version,
        comment=form.cleaned_data.get("comment", ""),
        **payload,
    )
    fresh = project_selectors.project_page(request.user, outcome.project.pk)
    body = {
        "advanced": outcome.advanced,
        "pending": [str(s.role_label) for s in outcome.pending],
        "project": ProjectSerializer(fresh, context={"request": request}).data,
    }
    return with_etag(Response(body), fresh)
