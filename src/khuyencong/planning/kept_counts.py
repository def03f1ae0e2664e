"""Sent registrations kept on the round: ``RegistrationRound.sent_count`` is the number of the
round's registrations in any state but the draft (sent once: submitted, returned, accepted or
rejected).

The registrations stay the record; the column is what the round list reads, so that the
national list is 50 rows of rounds instead of a count of each round's registrations, which
grew with them (~3 index entries a round at scale 0.01, ~310 at 1.0; issue 11). It is moved by
:func:`moved`, which every write that changes a registration's state or round calls inside its
transaction (``services.transition_registration``, the Django admin): an ``UPDATE … SET
sent_count = sent_count ± n``, so two sends of one round, whatever their timing, each add
theirs (the second waits for the first's row lock and adds to what it committed); no save of a
round writes it back (``RegistrationRound.save``). :func:`drifted` finds the rounds whose count
differs from their rows and :func:`recompute` sets it from them (``manage.py check_counts``,
the tests and the synthetic generator's checks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import RegistrationRound, RegistrationStatus, SupportRegistration

#: A sent registration: every state but the draft.
SENT = ~Q(status=RegistrationStatus.DRAFT)


def is_sent(status: str) -> bool:
    return status != RegistrationStatus.DRAFT


def add(per_round: Mapping[int, int]) -> None:
    """Add ``n`` (negative: take away) to the count of each round in ``per_round``."""
    for round_id, n in per_round.items():
        if n:
            RegistrationRound.objects.filter(pk=round_id).update(sent_count=F("sent_count") + n)


def moved(before: tuple[int, str] | None, after: tuple[int, str] | None) -> None:
    """A registration went from (round, status) ``before`` to ``after`` (None: it did not
    exist yet, or no longer exists): move the counts of the rounds concerned."""
    change: Counter[int] = Counter()
    if before is not None and is_sent(before[1]):
        change[before[0]] -= 1
    if after is not None and is_sent(after[1]):
        change[after[0]] += 1
    add(change)


def removed(registrations: Iterable[SupportRegistration]) -> None:
    """The registrations are about to be deleted: take their sent ones off their rounds."""
    change: Counter[int] = Counter()
    for registration in registrations:
        if is_sent(registration.status):
            change[registration.round_id] -= 1
    add(change)


def from_rows(registrations: QuerySet[SupportRegistration] | None = None) -> Coalesce:
    """What ``sent_count`` must hold: the round's sent registrations (of ``registrations``,
    every one by default), a subquery of the outer round row. ``COUNT(*)``, not of the key:
    the (round, status) index alone answers (index-only scan), no registration row is read."""
    if registrations is None:
        registrations = SupportRegistration.objects.all()
    sent = (
        registrations.filter(SENT, round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(sent, output_field=IntegerField()), Value(0))


def drifted(rounds: QuerySet[RegistrationRound] | None = None) -> QuerySet[RegistrationRound]:
    """The rounds (of ``rounds``, every one by default) whose count is not that of their rows,
    each with ``counted``, the right figure: empty when every write kept it."""
    if rounds is None:
        rounds = RegistrationRound.objects.all()
    return rounds.annotate(counted=from_rows()).filter(~Q(sent_count=F("counted")))


def recompute(rounds: QuerySet[RegistrationRound]) -> int:
    """Set the count of ``rounds`` from their rows. The rounds are locked first and counted in
    a later statement: a send under way either committed before (and is counted) or waits for
    this transaction and adds its own after. Call it inside a transaction."""
    locked = list(rounds.select_for_update().values_list("pk", flat=True))
    return RegistrationRound.objects.filter(pk__in=locked).update(sent_count=from_rows())
