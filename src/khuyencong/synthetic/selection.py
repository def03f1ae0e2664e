"""Synthetic commune-level selection rounds (bình chọn sản phẩm CNNT tiêu biểu cấp xã), walked
as ``awards.services`` walk them: created from the level rule in force, opened, scored by a
council of five judges, closed (mean, pass, rank from ``awards.rules``) and published with a
certificate for each product that passed; a few certificates revoked later. Each save writes
its history record, each step its transition row and activity event (notifications are not
written, as for the other synthetic steps).

The commune level needs no lower-level short-list (PL5) nor certificate, so every round here
is complete on its own; province, regional and national rounds are left out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from khuyencong.accounts.models import Role, User
from khuyencong.audit.models import EventType
from khuyencong.awards import rules
from khuyencong.awards.models import (
    Certificate,
    CouncilMember,
    CouncilRole,
    Entry,
    EntryStatus,
    EntryTransition,
    LevelRule,
    RoundStatus,
    RoundTransition,
    ScoreSheet,
    SelectionLevel,
    SelectionRound,
    SheetStatus,
)
from khuyencong.awards.services.results import CODE_ALPHABET, CODE_LENGTH, certificate_number
from khuyencong.awards.services.rounds import round_code_base
from khuyencong.awards.workflow import EntryStep, RoundStep
from khuyencong.core.formatting import format_date
from khuyencong.core.text import sort_key

from .base import UTC, Run
from .world import Unit

#: A commune organises a round when it has at least this many products entered before the
#: round opens (one is enough: small scales have few products a commune).
MIN_PRODUCTS = 1
#: Share of the issued certificates revoked later (thu hồi).
REVOKED_SHARE = 0.03


@dataclass(frozen=True)
class ProductRef:
    pk: int
    name: str
    establishment: int
    commune: Unit
    at: datetime.datetime


def generate_selection(run: Run, products: list[ProductRef]) -> int:
    """One commune round for each commune with enough products; returns the rounds written."""
    by_commune: dict[int, list[ProductRef]] = {}
    for product in products:
        by_commune.setdefault(product.commune.pk, []).append(product)
    rule = LevelRule.objects.in_force(SelectionLevel.COMMUNE, run.as_of.date())
    assert rule is not None, "the level rules are loaded by the awards migrations"
    council = _council_names(run)
    codes: set[str] = set()  # certificates' public codes
    round_codes: set[str] = set()
    written = 0
    for commune_pk in sorted(by_commune):
        found = by_commune[commune_pk]
        year = run.rng.randint(run.first_year + 1, run.as_of.year)
        opens = datetime.datetime(year, 3, 1, 1, tzinfo=UTC)
        entered = [p for p in found if p.at < opens]
        if len(entered) < MIN_PRODUCTS:
            continue
        _round(run, rule, council, (round_codes, codes), entered, year)
        written += 1
    return written


def _council_names(run: Run) -> dict[int, str]:
    ids = {user for pool in run.world.council.values() for user in pool}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))


def _round(
    run: Run,
    rule: LevelRule,
    names: dict[int, str],
    taken: tuple[set[str], set[str]],
    products: list[ProductRef],
    year: int,
) -> None:
    rng = run.rng
    round_codes, codes = taken
    commune = products[0].commune
    assert commune.province is not None
    officer = run.world.officer(commune.pk, Role.COMMUNE_OFFICER)
    created = datetime.datetime(year, 2, 1, 2, tzinfo=UTC)
    decision_date = datetime.date(year, 6, 15)
    values: dict[str, Any] = {
        "id": run.tables[SelectionRound].new_id(),
        "code": _code(round_codes, commune, year),
        "title": f"Bình chọn sản phẩm CNNT tiêu biểu cấp xã năm {year} — {commune.name}",
        "year": year,
        "level": SelectionLevel.COMMUNE,
        "unit_id": commune.pk,
        "province_id": commune.province,
        "legal_basis": rule.legal_basis,
        "registration_opens": datetime.date(year, 3, 1),
        "registration_closes": datetime.date(year, 4, 30),
        "scoring_opens": datetime.date(year, 5, 5),
        "scoring_closes": datetime.date(year, 5, 31),
        "pass_mark": rule.pass_mark,
        "pass_mark_basis": rule.legal_basis,
        "criteria": rule.criteria,
        "outlier_margin": rule.outlier_margin,
        "quorum_numerator": rule.quorum_numerator,
        "quorum_denominator": rule.quorum_denominator,
        "validity_years": rule.validity_years,
        "complaint_days": rule.complaint_days,
        "complaint_decision_days": rule.complaint_decision_days,
        "council_min": rule.council_min,
        "council_max": rule.council_max,
        "fund": rule.fund,
        "council_decision": f"Quyết định số {rng.randint(10, 300)}/QĐ-UBND thành lập hội đồng",
        "status": RoundStatus.DRAFT,
        "created_by_id": officer,
        "created_at": created,
        "updated_at": created,
        "version": 1,
    }
    text = values["title"]

    def step(action: str, target: str, at: datetime.datetime, actor: int) -> None:
        source = values["status"]
        values.update(status=target, updated_at=at)
        if action != "tao":
            values["version"] += 1
        run.history(SelectionRound, values, at=at, kind="+" if action == "tao" else "~", user=actor)
        run.tables[RoundTransition].add(
            round_id=values["id"], action=action, from_state=source, to_state=target,
            actor_id=actor, at=at, comment="",
        )  # fmt: skip
        run.event(
            EventType.SELECTION_ROUND, at=at, actor=actor, unit=commune.pk,
            province=commune.province, obj=(SelectionRound, values["id"], text),
            data={"action": action, "from": source, "to": target},
        )  # fmt: skip

    step("tao", RoundStatus.DRAFT, created, officer)
    step(RoundStep.OPEN, RoundStatus.OPEN, created + datetime.timedelta(days=7), officer)
    members = _members(run, values["id"], commune, officer, names, created)
    entries = [_entry(run, values, product, officer) for product in products]
    scoring = datetime.datetime(year, 5, 5, 1, tzinfo=UTC)
    step(RoundStep.START_SCORING, RoundStatus.SCORING, scoring, officer)
    criteria = rules.criteria_from_data(rule.criteria)
    totals = {e["id"]: _sheets(run, values["id"], e, members, criteria, scoring) for e in entries}
    closed = datetime.datetime(year, 6, 2, 2, tzinfo=UTC)
    values["closed_at"] = closed
    step(RoundStep.CLOSE, RoundStatus.CLOSED, closed, next(iter(members.values())))
    means = {e: rules.result_of(t, rule.pass_mark).mean for e, t in totals.items()}
    ranked = {r.key: r for r in rules.rank(means, pass_mark=rule.pass_mark)}
    passed = []
    for entry in entries:
        result = ranked[entry["id"]]
        entry.update(mean=means[entry["id"]], rank=result.rank, passed=result.passed)
        entry["scoring_closed_at"] = closed
        run.tables[Entry].add(**entry)
        if result.passed:
            passed.append(entry)
    number = f"{rng.randint(100, 999)}/QĐ-UBND"
    values.update(decision_number=number, decision_date=decision_date)
    decision = f"Quyết định số {number} ngày {format_date(decision_date)}"
    published = datetime.datetime(year, 6, 15, 3, tzinfo=UTC)
    passed.sort(key=lambda e: (e["rank"], e["_sort"], e["id"]))
    certificate_table = run.tables[Certificate]
    for n, entry in enumerate(passed, start=1):
        code = "".join(rng.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        while code in codes:
            code = "".join(rng.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        codes.add(code)
        certificate = {
            "id": certificate_table.new_id(),
            "number": certificate_number(_Round(values["id"], year), n),  # type: ignore[arg-type]
            "code": code,
            "entry_id": entry["id"],
            "product_id": entry["product_id"],
            "establishment_id": entry["establishment_id"],
            "round_id": values["id"],
            "level": SelectionLevel.COMMUNE,
            "commune_id": commune.pk,
            "province_id": commune.province,
            "issued_on": decision_date,
            "valid_until": rules.valid_until(decision_date, rule.validity_years),
            "decision": decision,
            "created_at": published,
            "version": 1,
        }
        run.history(Certificate, certificate, at=published, kind="+", user=officer)
        run.event(
            EventType.CERTIFICATE, at=published, actor=officer, unit=commune.pk,
            province=commune.province, obj=(Certificate, certificate["id"], certificate["number"]),
            establishment=entry["establishment_id"], comment=decision,
            data={"action": "cap", "round": values["id"], "entry": entry["id"]},
        )  # fmt: skip
        if rng.random() < REVOKED_SHARE:
            _revoke(run, certificate, officer, commune)
        certificate_table.add(**certificate)
    step(RoundStep.PUBLISH, RoundStatus.PUBLISHED, published, officer)
    run.tables[SelectionRound].add(**values)


def _code(taken: set[str], commune: Unit, year: int) -> str:
    """The round's code as ``services.rounds`` makes it (a namesake commune: ``-2``, ``-3``)."""
    base = round_code_base("xa", commune.name, year)
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code[:64]


@dataclass(frozen=True)
class _Round:
    """What ``certificate_number`` reads of a round."""

    pk: int
    year: int


def _members(
    run: Run, round_id: int, commune: Unit, officer: int, names: dict[int, str], at: Any
) -> dict[int, int]:
    """The province's council pool sits as the commune's council, every one a judge (the
    first chairs, the second is vice-chair, the last the secretary); returns seat → user."""
    assert commune.province is not None
    pool = run.world.council[commune.province]
    roles = [CouncilRole.CHAIR, CouncilRole.VICE_CHAIR]
    roles += [CouncilRole.MEMBER] * (len(pool) - 3) + [CouncilRole.SECRETARY]
    members = {}
    for user, role in zip(pool, roles, strict=True):
        values = {
            "id": run.tables[CouncilMember].new_id(),
            "round_id": round_id,
            "user_id": user,
            "full_name": names[user],
            "position": "Hội đồng bình chọn sản phẩm CNNT tiêu biểu",
            "council_role": role,
            "is_judge": True,
            "added_by_id": officer,
            "added_at": at,
            "version": 1,
        }
        run.tables[CouncilMember].add(**values)
        run.history(CouncilMember, values, at=at, kind="+", user=officer)
        members[values["id"]] = user
    return members


def _entry(run: Run, round_: dict[str, Any], product: ProductRef, officer: int) -> dict[str, Any]:
    """The entry filed, submitted and accepted by the commune's officer (written after its
    results)."""
    at = run.moment(datetime.datetime(round_["year"], 3, 2, 1, tzinfo=UTC), 50)
    values: dict[str, Any] = {
        "id": run.tables[Entry].new_id(),
        "round_id": round_["id"],
        "product_id": product.pk,
        "establishment_id": product.establishment,
        "commune_id": product.commune.pk,
        "province_id": product.commune.province,
        "status": EntryStatus.DRAFT,
        "representative": "Chủ cơ sở",
        "phone": f"09{run.rng.randint(10_000_000, 99_999_999)}",
        "commitment": True,
        "description": f"{product.name}: sản phẩm chủ lực của cơ sở, sản xuất hàng loạt.",
        "created_by_id": officer,
        "created_at": at,
        "updated_at": at,
        "version": 1,
        "_sort": sort_key(product.name),
    }
    text = f"{product.name} — {round_['title']}"
    for action, target in (
        ("tao", EntryStatus.DRAFT),
        (EntryStep.SUBMIT, EntryStatus.SUBMITTED),
        (EntryStep.ACCEPT, EntryStatus.ACCEPTED),
    ):
        source = values["status"] if action != "tao" else ""
        if action != "tao":
            at = run.moment(at, 3)
            values.update(status=target, updated_at=at, version=values["version"] + 1)
        if action == EntryStep.SUBMIT:
            values["submitted_at"] = at
        run.history(Entry, values, at=at, kind="+" if action == "tao" else "~", user=officer)
        run.tables[EntryTransition].add(
            entry_id=values["id"], action=action, from_state=source, to_state=target,
            actor_id=officer, at=at, comment="",
        )  # fmt: skip
        run.event(
            EventType.SELECTION_ENTRY, at=at, actor=officer, unit=product.commune.pk,
            province=product.commune.province, obj=(Entry, values["id"], text),
            establishment=product.establishment,
            data={"action": action, "from": source, "to": target, "round": round_["id"]},
        )  # fmt: skip
    return values


def _sheets(
    run: Run,
    round_id: int,
    entry: dict[str, Any],
    members: dict[int, int],
    criteria: tuple[rules.Criterion, ...],
    start: datetime.datetime,
) -> list[Decimal]:
    """Each judge's submitted sheet: every item scored around one level of quality for the
    product (so judges mostly agree); returns the totals."""
    quality = run.rng.uniform(0.45, 0.95)
    judges = members  # seat → user
    chair = next(iter(members.values()))
    totals = []
    for member in members:
        scores: dict[str, Decimal] = {}
        for criterion in criteria:
            for code, _name, cap in criterion.items:
                share = min(1.0, max(0.0, quality + run.rng.uniform(-0.08, 0.08)))
                scores[code] = rules.two_decimals(cap * Decimal(str(round(share, 2))))
        values: dict[str, Any] = {
            "id": run.tables[ScoreSheet].new_id(),
            "round_id": round_id,
            "entry_id": entry["id"],
            "member_id": member,
            "status": SheetStatus.ASSIGNED,
            "assigned_by_id": chair,
            "updated_at": start,
            "version": 1,
        }
        run.history(ScoreSheet, values, at=start, kind="+", user=chair)
        total = rules.sheet_total(criteria, scores)
        at = run.moment(start, 20)
        values.update(
            status=SheetStatus.SUBMITTED,
            scores={code: str(value) for code, value in scores.items()},
            total=total,
            submitted_at=at,
            updated_at=at,
            version=2,
        )
        run.history(ScoreSheet, values, at=at, kind="~", user=judges[member])
        run.tables[ScoreSheet].add(**values)
        totals.append(total)
    return totals


def _revoke(run: Run, certificate: dict[str, Any], officer: int, commune: Unit) -> None:
    day = certificate["issued_on"] + datetime.timedelta(days=run.rng.randint(60, 500))
    at = datetime.datetime(day.year, day.month, day.day, 3, tzinfo=UTC)
    if at > run.as_of:
        return
    certificate.update(
        revoked_on=day,
        revocation_reason="Cơ sở không duy trì chất lượng sản phẩm như hồ sơ đã công nhận.",
        revocation_decision=f"Quyết định số {run.rng.randint(300, 999)}/QĐ-UBND",
        version=2,
    )
    run.history(Certificate, certificate, at=at, kind="~", user=officer)
    run.event(
        EventType.CERTIFICATE, at=at, actor=officer, unit=commune.pk, province=commune.province,
        obj=(Certificate, certificate["id"], certificate["number"]),
        establishment=certificate["establishment_id"],
        comment=certificate["revocation_reason"],
        data={"action": "thu-hoi", "decision": certificate["revocation_decision"]},
    )  # fmt: skip
