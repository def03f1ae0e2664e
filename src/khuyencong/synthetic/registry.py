"""Synthetic establishments (cơ sở CNNT): one import per commune, as the registry import writes
it (rows with folded names and their province, one history record each with the import's
reason, one activity event per file).

A scale below 1.0 is a pilot: the system rolled out in that share of the communes, province by
province, each at the national density. Spreading fewer establishments over every commune
would give a commune or a province a handful of rows at a small scale, and the growth
benchmark would compare a page of three rows with a page of fifty (issue 11)."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from khuyencong.accounts.models import Role
from khuyencong.audit.models import EventType
from khuyencong.core.text import fold, sort_key
from khuyencong.registry.models import Establishment, Gender, LegalForm, search_text

from . import names
from .base import Run
from .world import Unit

#: (legal form, weight): household businesses are most of the rural registry.
LEGAL_FORMS = [
    (LegalForm.HOUSEHOLD, 55),
    (LegalForm.SME, 20),
    (LegalForm.COOPERATIVE, 15),
    (LegalForm.COOPERATIVE_GROUP, 8),
    (LegalForm.UNION_OF_COOPERATIVES, 2),
]
GROUP_WEIGHTS = [("1", 30), ("2", 45), ("3", 10), ("4", 15)]


@dataclass(frozen=True)
class EstablishmentRef:
    """What the other generators need of an establishment."""

    pk: int
    name: str
    commune: Unit
    product: str
    at: datetime.datetime  # registered (imported)


def pilot_communes(
    provinces: list[Unit], communes: dict[int, list[Unit]], scale: float, rng: random.Random
) -> list[Unit]:
    """The communes of the pilot at ``scale``: ``round(scale × communes)`` of them (at least
    one), whole provinces in an order drawn from ``rng``, the last province's first communes;
    returned in the country's order (``provinces``, then each province's ``communes``).

    At 1.0 that is every commune in the country's order, whatever ``rng`` draws. ``rng`` is a
    source of its own: the run's draws, hence the country at 1.0, are those of before pilots."""
    everywhere = [c for p in provinces for c in communes.get(p.pk, [])]
    wanted = max(1, round(scale * len(everywhere)))
    order = list(provinces)
    rng.shuffle(order)
    chosen: set[int] = set()
    for province in order:
        chosen.update(c.pk for c in communes.get(province.pk, [])[: wanted - len(chosen)])
    return [c for c in everywhere if c.pk in chosen]


def generate_establishments(
    run: Run, count: int, communes: list[Unit]
) -> dict[int, list[EstablishmentRef]]:
    """``count`` establishments spread unevenly over ``communes`` (the pilot's); returns them by
    province (every province, those outside the pilot with none)."""
    rng = run.rng
    weights = [rng.lognormvariate(0, 0.8) for _ in communes]
    per_commune = Counter(rng.choices(range(len(communes)), weights=weights, k=count))
    provinces = {p.pk: p for p in run.world.provinces}
    forms, form_weights = zip(*LEGAL_FORMS, strict=True)
    groups, group_weights = zip(*GROUP_WEIGHTS, strict=True)
    table = run.tables[Establishment]
    by_province: dict[int, list[EstablishmentRef]] = {p.pk: [] for p in run.world.provinces}
    period = (run.as_of - run.start_of(run.first_year)).days
    serial = 0  # numbers the tax codes the same whatever keys the database gives out
    for index in sorted(per_commune):
        commune = communes[index]
        assert commune.province is not None
        province = provinces[commune.province]
        code = province.code
        officer = run.world.officer(commune.pk, Role.COMMUNE_OFFICER)
        at = run.moment(run.start_of(run.first_year), period * 0.6)
        filename = f"co-so-{commune.code}.xlsx"
        seen: set[str] = set()
        for _n in range(per_commune[index]):
            form = rng.choices(forms, form_weights)[0]
            group = rng.choices(groups, group_weights)[0]
            product = rng.choice(names.PRODUCTS[group])
            owner = names.person(rng, code)
            name = names.establishment_name(rng, form, product, owner.name, commune.name)
            while fold(name) in seen:  # the import refuses two namesakes in one commune
                name = f"{name} {rng.randint(2, 99)}"
            seen.add(fold(name))
            pk = table.new_id()
            serial += 1
            values = _establishment(
                rng, serial, name, form, group, product, owner, commune, province
            )
            values["id"] = pk
            values.update(created_at=at, updated_at=at)
            table.add(**values)
            run.history(
                Establishment,
                values,
                at=at,
                kind="+",
                user=officer,
                reason=f"Nhập từ tệp {filename}",
            )
            by_province[commune.province].append(EstablishmentRef(pk, name, commune, product, at))
        run.event(
            EventType.ESTABLISHMENTS_IMPORTED,
            at=at,
            actor=officer,
            unit=commune.pk,
            province=commune.province,
            data={"file": filename, "count": per_commune[index], "communes": [commune.code]},
        )
    return by_province


def _establishment(
    rng: random.Random,
    serial: int,
    name: str,
    form: str,
    group: str,
    product: str,
    owner: names.Person,
    commune: Unit,
    province: Unit,
) -> dict[str, object]:
    province_code = province.code
    if form == LegalForm.HOUSEHOLD:
        tax_code = f"{province_code}A{serial:07d}" if rng.random() < 0.7 else ""
    elif form == LegalForm.COOPERATIVE_GROUP:
        tax_code = ""
    else:
        tax_code = f"{province_code}{serial:08d}"
    total = max(1, int(rng.paretovariate(1.6) * 3))
    total = min(total, 500)
    village = rng.choice(names.CRAFT_VILLAGES)
    return {
        "name": name,
        "name_folded": fold(name),
        "name_sort": sort_key(name),
        "legal_form": form,
        "tax_code": tax_code,
        "address": f"Thôn {rng.randint(1, 15)}, {commune.name}",
        "commune_id": commune.pk,
        "province_id": commune.province,
        "product_group": group,
        "main_products": product,
        "search_folded": search_text(
            name, product, owner.name, tax_code, commune.name, province.name
        ),
        "owner_name": owner.name,
        "owner_gender": Gender.FEMALE if owner.female else Gender.MALE,
        "owner_ethnic_minority": owner.minority,
        "employees_total": total,
        "employees_female": rng.randint(0, total),
        "employees_ethnic_minority": rng.randint(0, total) if owner.minority else 0,
        "founded_year": rng.randint(1990, 2025),
        "craft_village": f"{village} {product.lower()} {commune.name}" if village else "",
        "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
        "version": 1,
    }
