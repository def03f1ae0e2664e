"""Giải ngân kept on the project: ``Project.disbursed_kcqg`` / ``disbursed_kcdp`` are the sums,
per fund, of the project's advances (tạm ứng) and of its payments that count as disbursed
(``cosign.DISBURSED``: not awaiting Finance's co-signature, not refused).

The rows stay the record; the two columns are what roll-ups read, so that the national roll-up
is one scan of projects instead of a join of every advance and payment (issue 11). They are
kept by :func:`keep`, which every service that records or co-signs money calls inside its
transaction, recomputed from the rows (never incremented, so a retried or repeated call cannot
drift), and :func:`drifted` finds the projects whose kept figures differ from their rows (the
tests and the synthetic generator's checks use it)."""

from __future__ import annotations

from typing import Any

from django.db.models import BigIntegerField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from . import cosign
from .models import Advance, Payment, Project
from .workflow import KCDP, KCQG

#: The kept column of each fund.
COLUMNS = {KCQG: "disbursed_kcqg", KCDP: "disbursed_kcdp"}


def disbursed_rows(model: type[Advance] | type[Payment]) -> QuerySet[Any]:
    """The advances, or the payments that count as disbursed (giải ngân): every reader of
    money paid — the kept figures, reporting, the drill-downs, open data — counts these."""
    rows: QuerySet[Any] = model.objects.all()
    if model is Payment:
        rows = rows.filter(cosign_status__in=cosign.DISBURSED)
    return rows


def rows_sum(model: type[Advance] | type[Payment], fund: str) -> Coalesce:
    """The sum of a project's advances (or disbursed payments) of ``fund``, 0 when there are
    none: a subquery of the outer project row."""
    rows = disbursed_rows(model).filter(project=OuterRef("pk"), fund=fund)
    total = rows.order_by().values("project").annotate(total=Sum("amount")).values("total")[:1]
    return Coalesce(
        Subquery(total, output_field=BigIntegerField()),
        Value(0),
        output_field=BigIntegerField(),
    )


def from_rows(fund: str) -> Any:
    """What ``COLUMNS[fund]`` must hold: advances + disbursed payments of that fund."""
    return rows_sum(Advance, fund) + rows_sum(Payment, fund)


def recompute(projects: QuerySet[Project]) -> int:
    """Set the kept figures of ``projects`` from their rows, in one UPDATE."""
    return projects.update(**{column: from_rows(fund) for fund, column in COLUMNS.items()})


def keep(project: Project) -> None:
    """Recompute the project's kept figures from its rows and set them on ``project``. Call
    it inside the transaction that changed an advance or a payment."""
    recompute(Project.objects.filter(pk=project.pk))
    project.refresh_from_db(fields=list(COLUMNS.values()))


def drifted(projects: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """The projects (of ``projects``, every one by default) whose kept figures are not the sum
    of their rows: empty when every service kept them."""
    if projects is None:
        projects = Project.objects.all()
    found = projects.annotate(**{f"rows_{column}": from_rows(f) for f, column in COLUMNS.items()})
    wrong = Q()
    for column in COLUMNS.values():
        wrong |= ~Q(**{column: F(f"rows_{column}")})
    return found.filter(wrong)
