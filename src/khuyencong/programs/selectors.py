"""Scoped reads of programmes."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from khuyencong.accounts import policy

from .models import ActivityLine, AllocationCell, Programme, Target


def visible_programmes(
    user: Any, *, level: str = "", unit_code: str = "", year: int | None = None
) -> QuerySet[Programme]:
    """Programmes the user may see: their units' own and those of the levels above."""
    programmes = policy.scope_queryset(
        user,
        Programme.objects.select_related("unit"),
        action=policy.Action.VIEW_PROGRAMME,
    )
    if level:
        programmes = programmes.filter(level=level)
    if unit_code:
        programmes = programmes.filter(unit__code=unit_code)
    if year is not None:
        programmes = programmes.filter(start_year__lte=year, end_year__gte=year)
    return programmes.order_by("level", "unit__name", "-start_year")


def _with_contents(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    return programmes.select_related("unit").prefetch_related(
        Prefetch(
            "lines",
            queryset=ActivityLine.objects.select_related("group").order_by("order"),
        ),
        Prefetch("lines__cells", queryset=AllocationCell.objects.order_by("year", "fund")),
        Prefetch("targets", queryset=Target.objects.select_related("group").order_by("order")),
        "stated_fund_totals",
        "printed_year_totals",
    )


def programme_for_view(user: Any, code: str) -> Programme:
    """A programme with all its contents in a fixed number of queries, or 404 if not visible."""
    programme = _with_contents(visible_programmes(user)).filter(code=code).first()
    if programme is None:
        raise Http404
    return programme


def programme_for_cli(code: str) -> Programme:
    """For batch commands run by provincial IT staff on the server (no user scope)."""
    programme = _with_contents(Programme.objects.all()).filter(code=code).first()
    if programme is None:
        raise Programme.DoesNotExist(f"Không có chương trình mã “{code}”.")
    return programme


def public_programmes() -> QuerySet[Programme]:
    """Approved programmes, for anyone (the public portal): the policy decides which."""
    return policy.public_queryset(Programme.objects.select_related("unit")).order_by(
        "level", "unit__name", "-start_year"
    )


def public_programme(code: str) -> Programme | None:
    return _with_contents(policy.public_queryset(Programme.objects.filter(code=code))).first()


def programme_progress_table(
    programme: Programme, year_text: str | None, *, user: Any = None, public: bool = False
) -> Any:
    """Tiến độ thực hiện of a programme's lines: the projects ``user`` may see, or with
    ``public`` every approved project counted (aggregates only, for the public portal)."""
    from khuyencong.projects import progress
    from khuyencong.projects import selectors as project_selectors
    from khuyencong.projects.models import Project

    lines = [
        progress.LineInfo(
            id=line.pk,
            order=line.order,
            name=line.name,
            unit=line.unit_of_measure,
            group_number=line.group.number,
            group_name=line.group.name,
        )
        for line in programme.lines.all()
    ]
    projects = policy.public_aggregates(Project.objects.all()) if public else None
    found = project_selectors.programme_progress(
        user, [line.id for line in lines], projects=projects
    )
    year = progress.chosen_year(year_text, programme.years)
    return progress.progress_table(found, lines, year=year)
