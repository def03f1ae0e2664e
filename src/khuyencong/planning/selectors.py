"""Scoped reads of rounds, registrations and plans (already narrowed by the access policy and
loaded with their relations, so query counts stay flat)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, Prefetch, QuerySet, Sum, When
from django.http import Http404

from khuyencong.accounts import policy
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.programs.models import AllocationCell, ContentGroup, Programme, ProgrammeLevel
from khuyencong.programs.models import ProgrammeStatus as PS
from khuyencong.registry.models import Establishment

from . import deadlines, kept_counts
from .models import (
    AnnualPlan,
    DeadlineExtension,
    PlanItem,
    PlanStatus,
    RegistrationRound,
    RegistrationStatus,
    RegistrationTransition,
    SupportRegistration,
)

#: A round is a call from a level above to every unit below it: like a programme, it is read
#: by its own unit, the units below and the units above. The policy expresses that reach for
#: programmes; rounds use the same one (see the report: a ``VIEW_ROUND`` action would name it).
ROUND_READ_ACTION = policy.Action.VIEW_ROUND


# --------------------------------------------------------------------------------------------
# Rounds
# --------------------------------------------------------------------------------------------
def visible_rounds(user: Any) -> QuerySet[RegistrationRound]:
    """The rounds a user reads, without figures: the registration list's drop-down, the home
    page's open rounds and the API need no count (a count over every round's registrations was
    one GROUP BY of the whole national table, issue 11)."""
    return policy.scope_queryset(
        user, RegistrationRound.objects.select_related("unit"), action=ROUND_READ_ACTION
    ).order_by("-plan_year", "-commune_deadline", "-pk")


def round_choices(user: Any) -> list[tuple[str, str]]:
    """The registration list's round drop-down: (value, title) of the rounds the user reads,
    in ``visible_rounds``' order. Pairs, not instances: 340 rounds, each a model with its unit
    joined and its key localised as a number in the template, were about half of the national
    list's CPU (issue 11). The value is the key as text, as the option carries it; written
    out by ``planning.rows.round_options``."""
    return [(str(pk), title) for pk, title in visible_rounds(user).values_list("pk", "title")]


def rounds_with_counts(user: Any) -> QuerySet[RegistrationRound]:
    """The round list: each round with the sent registrations the user may read
    (``registration_count``, drafts not counted; a commune officer counts their commune's, a
    province its own, the nation all). A round of the user's unit or below (every round for
    the nation) has all its registrations in the user's scope (they lie within the round's
    unit, which ``create_registration`` checks): its kept count (``kept_counts``) is read, so
    the national list no longer counts ~310 registrations a round at scale 1.0 (issue 11).
    Any other round (a province's or a commune's view of a national round, a representative's
    of any) is counted per round in the (round, status) index, bounded by the user's own
    registrations."""
    whole = policy.whole_subtree_q(
        user, RegistrationRound, SupportRegistration, per_establishment=True
    )
    if whole is not None and not whole:
        return visible_rounds(user).annotate(registration_count=F("sent_count"))
    counted = kept_counts.from_rows(_scoped_registrations(user, SupportRegistration.objects.all()))
    if whole is None:
        return visible_rounds(user).annotate(registration_count=counted)
    return visible_rounds(user).annotate(
        registration_count=Case(When(whole, then=F("sent_count")), default=counted)
    )


def round_for_view(user: Any, pk: int) -> RegistrationRound:
    round_ = (
        visible_rounds(user)
        .prefetch_related(
            "content_groups",
            # A round is read by every unit it addresses; each unit's extension (reason, who
            # granted it) only by the units whose scope holds it.
            Prefetch(
                "extensions",
                queryset=policy.scope_queryset(
                    user, DeadlineExtension.objects.select_related("unit", "granted_by")
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if round_ is None:
        raise Http404
    return round_


def covering_extensions(
    round_: RegistrationRound, unit: AdministrativeUnit
) -> list[DeadlineExtension]:
    """The round's extensions that reach ``unit``: its own and its province's (one query, or
    none when ``rounds_open_for_unit`` prefetched them). Not scoped by the viewer: they only
    decide the unit's own deadline, which its officers see."""
    cached = getattr(round_, "covering", None)
    if cached is not None:
        return list(cached)
    # Not ``round_.extensions``: when prefetched for a page it is narrowed to the viewer's
    # scope, which leaves out the province-wide extensions a commune officer's deadline needs.
    return list(
        DeadlineExtension.objects.filter(
            round=round_, unit__path__in=deadlines.covering_paths(unit.path)
        ).select_related("unit")
    )


def deadline_for(round_: RegistrationRound, unit: AdministrativeUnit) -> datetime.date:
    return deadlines.effective_deadline(round_, unit, covering_extensions(round_, unit))


@dataclass(frozen=True)
class OpenRound:
    round: RegistrationRound
    deadline: datetime.date
    days_left: int
    extended: bool


def rounds_open_for_unit(
    user: Any, unit: AdministrativeUnit, today: datetime.date
) -> list[OpenRound]:
    """Rounds addressed to a commune whose (possibly extended) deadline has not passed."""
    rounds = visible_rounds(user).prefetch_related(
        Prefetch(
            "extensions",
            queryset=DeadlineExtension.objects.filter(
                unit__path__in=deadlines.covering_paths(unit.path)
            ).select_related("unit"),
            to_attr="covering",
        )
    )
    ancestors = [*_ancestor_paths(unit), unit.path]
    found = []
    for round_ in rounds.filter(unit__path__in=ancestors):
        deadline = deadline_for(round_, unit)
        if deadlines.is_open(deadline, today):
            found.append(
                OpenRound(
                    round_,
                    deadline,
                    (deadline - today).days,
                    deadline != deadlines.base_deadline(round_, unit),
                )
            )
    return found


def _ancestor_paths(unit: AdministrativeUnit) -> list[str]:
    parts = unit.path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def rounds_addressed_to(unit: AdministrativeUnit) -> QuerySet[RegistrationRound]:
    """Rounds whose unit is ``unit`` or one above it (no user scope: for services)."""
    return RegistrationRound.objects.filter(unit__path__in=[*_ancestor_paths(unit), unit.path])


def commune_summary(round_: RegistrationRound, user: Any) -> list[dict[str, Any]]:
    """Registrations of the round per commune and state (within the user's scope)."""
    rows = (
        visible_registrations(user)
        .filter(round=round_)
        .values("commune__code", "commune__name", "status")
        .annotate(n=Count("pk"))
        .order_by("commune__name")
    )
    by_commune: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = by_commune.setdefault(
            row["commune__code"],
            {"code": row["commune__code"], "name": row["commune__name"], "counts": {}, "n": 0},
        )
        entry["counts"][row["status"]] = row["n"]
        entry["n"] += row["n"]
    return list(by_commune.values())


# --------------------------------------------------------------------------------------------
# Registrations
# --------------------------------------------------------------------------------------------
def _scoped_registrations(
    user: Any, queryset: QuerySet[SupportRegistration]
) -> QuerySet[SupportRegistration]:
    return policy.scope_queryset(
        user, queryset, unit_field="commune", establishment_field="establishment_id"
    )


def visible_registrations(user: Any) -> QuerySet[SupportRegistration]:
    return _scoped_registrations(
        user,
        SupportRegistration.objects.select_related(
            "round", "establishment", "commune", "content_group", "author"
        ),
    )


def registrations(
    user: Any,
    *,
    round_id: int | None = None,
    status: str = "",
    commune_code: str = "",
    year: int | None = None,
) -> QuerySet[SupportRegistration]:
    found = visible_registrations(user)
    if round_id is not None:
        found = found.filter(round_id=round_id)
    if status:
        found = found.filter(status=status)
    if commune_code:
        found = found.filter(commune__code=commune_code)
    if year is not None:
        found = found.filter(round__plan_year=year)
    return found.order_by("-updated_at", "-pk")


def registration_rows(
    found: QuerySet[SupportRegistration],
) -> QuerySet[SupportRegistration, Mapping[str, Any]]:
    """The list page's rows (``found``: :func:`registrations`): only the columns it shows, as
    dicts with the joined names. A registration built with its round, establishment, commune,
    content group and author as model instances (and their dates parsed) cost ~0.2 ms a row
    (issue 11: the commune's list grew ×2.3 from 3 rows at scale 0.01 to 50 at 1.0); label
    them with ``planning.rows.labelled_registration_rows``. Count ``found``, not these: the
    joins would stay in the count."""
    return found.values(
        "pk",
        "activity",
        "status",
        "total_cost",
        "support_kcqg",
        "support_kcdp",
        establishment_name=F("establishment__name"),
        commune_name=F("commune__name"),
        group_number=F("content_group__number"),
        group_name=F("content_group__short_name"),
        round_title=F("round__title"),
    )


def registration_for_view(user: Any, pk: int) -> SupportRegistration:
    registration = (
        visible_registrations(user)
        .select_related("round__unit", "commune__parent", "norm_content__group")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=RegistrationTransition.objects.select_related("actor"),
            ),
            Prefetch("plan_items", queryset=PlanItem.objects.select_related("plan", "plan__unit")),
        )
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise Http404
    for step in registration.transitions.all():  # the policy decides who reads each comment
        if not policy.may_read(user, step.visibility):
            step.comment = ""
    return registration


def establishments_for_registration(user: Any) -> QuerySet[Establishment]:
    """Establishments the user may register for: their commune's, or the one they represent."""
    return policy.scope_queryset(
        user,
        Establishment.objects.select_related("commune"),
        unit_field="commune",
        establishment_field="pk",
        action=policy.Action.REGISTER_NEED,
    ).order_by("name_sort", "pk")


def registrations_for_establishment(
    user: Any, establishment: Establishment
) -> QuerySet[SupportRegistration]:
    return (
        visible_registrations(user)
        .filter(establishment=establishment)
        .order_by("-round__plan_year", "-created_at")
    )


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------
def visible_plans(user: Any) -> QuerySet[AnnualPlan]:
    return policy.scope_queryset(user, AnnualPlan.objects.select_related("unit"))


def plans(
    user: Any, *, year: int | None = None, fund: str = "", current_only: bool = False
) -> QuerySet[AnnualPlan]:
    found = visible_plans(user).annotate(
        item_count=Count("items"),
        total_cost=Sum("items__total_cost"),
        total_kcqg=Sum("items__support_kcqg"),
        total_kcdp=Sum("items__support_kcdp"),
    )
    if year is not None:
        found = found.filter(year=year)
    if fund:
        found = found.filter(fund=fund)
    if current_only:
        found = found.exclude(status=PlanStatus.ADJUSTED)
    return found.order_by("-year", "unit__name", "fund", "-revision")


def plan_for_view(user: Any, pk: int) -> AnnualPlan:
    plan = (
        visible_plans(user)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=PlanItem.objects.select_related(
                    "establishment", "commune", "content_group", "registration"
                ).order_by("order"),
            ),
            "transitions__actor",
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def plan_revisions(plan: AnnualPlan) -> QuerySet[AnnualPlan]:
    """Every revision of the plan (the same province, year and fund), the newest first."""
    return AnnualPlan.objects.filter(unit=plan.unit, year=plan.year, fund=plan.fund).order_by(
        "-revision"
    )


def province_programme(unit: AdministrativeUnit, year: int) -> Programme | None:
    """The province's programme covering ``year``: the approved one, else a draft."""
    return (
        Programme.objects.filter(
            level=ProgrammeLevel.PROVINCE, unit=unit, start_year__lte=year, end_year__gte=year
        )
        .exclude(status=PS.SUPERSEDED)
        .order_by("status", "-start_year")  # "approved" sorts before "draft"
        .first()
    )


def allocation_by_group(programme: Programme | None, year: int, fund: str) -> dict[str, int]:
    """Sum of the programme's cells for ``year`` and ``fund``, per content group code."""
    if programme is None:
        return {}
    rows = (
        AllocationCell.objects.filter(line__programme=programme, year=year, fund=fund)
        .values("line__group__code")
        .annotate(amount=Sum("amount"))
    )
    return {row["line__group__code"]: row["amount"] or 0 for row in rows}


def content_groups() -> list[ContentGroup]:
    return list(ContentGroup.objects.order_by("number"))


def accepted_not_in_plan(plan: AnnualPlan) -> QuerySet[SupportRegistration]:
    """Accepted registrations of the plan's province, year and fund not yet in this plan."""
    return (
        SupportRegistration.objects.filter(
            status=RegistrationStatus.ACCEPTED,
            round__plan_year=plan.year,
            round__fund=plan.fund,
            commune__path__startswith=plan.unit.path + "/",
        )
        .exclude(plan_items__plan=plan)
        .select_related("establishment", "commune", "content_group", "round")
        .order_by("commune__name", "pk")
    )


# --------------------------------------------------------------------------------------------
# Home page
# --------------------------------------------------------------------------------------------
def waiting_registrations(user: Any) -> QuerySet[SupportRegistration]:
    return visible_registrations(user).filter(status=RegistrationStatus.SUBMITTED)


def registrations_needing_author(user: Any) -> QuerySet[SupportRegistration]:
    return visible_registrations(user).filter(
        status__in=[RegistrationStatus.DRAFT, RegistrationStatus.RETURNED]
    )
