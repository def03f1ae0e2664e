"""The fixed part of the synthetic country: units, programmes, norms and the officers.

The unit tree, the four seed programmes and the norms are loaded by the real services; every
other province gets a programme of its own, made by ``programs.services.save_programme_data``
from Sơn La's structure under the province's name. Officers are written in bulk: one centre,
SCT and Finance officer per province, one officer per commune, two at the national department;
their passwords are unusable (the benchmarks sign in by session).
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from khuyencong.accounts.models import Role, RoleAssignment, User
from khuyencong.core.text import fold
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.geo.services import load_units
from khuyencong.norms.models import NormContent
from khuyencong.programs.models import ActivityLine, Programme, ProgrammeLevel
from khuyencong.programs.seeds import SEED_PROGRAMMES
from khuyencong.programs.services import load_seed_programmes, save_programme_data

from . import names
from .tables import Tables, historical

EMAIL_DOMAIN = "tonghop.khuyencong.vn"
PROVINCE_ROLES = (Role.PROVINCE_CENTRE, Role.PROVINCE_SCT, Role.PROVINCE_FINANCE)
#: Council members of each province (the commune level needs five to seven).
COUNCIL_SIZE = 5
#: Contents projects are generated for (the overseas ones have yearly allowances of their own).
PROJECT_CONTENTS = tuple(names.PROJECT_TITLES)
UNUSABLE_PASSWORD = make_password(None)


@dataclass(frozen=True)
class Unit:
    pk: int
    code: str
    name: str
    province: int | None


@dataclass(frozen=True)
class Line:
    pk: int
    programme: int
    group: int
    order: int
    start_year: int
    end_year: int
    label: str  # as a snapshot names it: "<programme code> · <order>. <name>"


@dataclass
class World:
    nation: Unit
    provinces: list[Unit]
    communes: dict[int, list[Unit]]  # by province
    officers: dict[tuple[int, str], int]  # (unit, role) → user id
    national_officers: list[int]
    #: Each province's selection council pool (users holding the council-member role): they
    #: sit on its communes' selection councils.
    council: dict[int, list[int]] = field(default_factory=dict)  # by province
    lines: dict[int, list[Line]] = field(default_factory=dict)  # by programme unit
    content_groups: dict[str, int] = field(default_factory=dict)  # norm content → group
    group_ids: list[int] = field(default_factory=list)

    def officer(self, unit: int, role: str) -> int:
        return self.officers[(unit, role)]


def province_programme_data(province: AdministrativeUnit) -> Any:
    """A province programme shaped like Sơn La's (the same lines and cells), in its own name."""
    template = SEED_PROGRAMMES["son-la-2026-2030"]
    return dataclasses.replace(
        template,
        code=f"{slugify(fold(province.name))}-2026-2030",
        unit_code=province.code,
        title=f"Chương trình khuyến công {province.name} giai đoạn 2026 - 2030 (dữ liệu tổng hợp)",
        decision_number=f"{province.code}/QĐ-UBND",
        issuing_body=f"Ủy ban nhân dân {province.name}",
        source="Dữ liệu tổng hợp (seed_national)",
        remarks=(),
        targets=(),
    )


def load_reference_data() -> None:
    """Units, seed programmes (with their norms) and a programme for every other province."""
    load_units()
    load_seed_programmes()
    with_programme = set(
        Programme.objects.filter(level=ProgrammeLevel.PROVINCE).values_list("unit_id", flat=True)
    )
    for province in AdministrativeUnit.objects.current().provinces().order_by("code"):
        if province.pk not in with_programme:
            save_programme_data(province_programme_data(province))


def _units() -> tuple[Unit, list[Unit], dict[int, list[Unit]]]:
    current = AdministrativeUnit.objects.current().order_by("path")
    nation = current.get(level=UnitLevel.NATIONAL)
    provinces = [Unit(u.pk, u.code, u.name, u.pk) for u in current.filter(level=UnitLevel.PROVINCE)]
    communes: dict[int, list[Unit]] = defaultdict(list)
    for u in current.filter(level=UnitLevel.COMMUNE):
        assert u.parent_id is not None
        communes[u.parent_id].append(Unit(u.pk, u.code, u.name, u.parent_id))
    return Unit(nation.pk, nation.code, nation.name, None), provinces, dict(communes)


def _user(
    tables: Tables, rng: random.Random, *, email: str, unit: Unit, role: str, at: datetime.datetime
) -> int:
    person = names.person(rng, unit.code if unit.province == unit.pk else "")
    user_table = tables[User]
    values = {
        "password": UNUSABLE_PASSWORD,
        "email": email,
        "full_name": person.name,
        "date_joined": at,
        "is_active": True,
    }
    user_id = user_table.add(**values)
    tables[historical(User)].add(**values, id=user_id, history_date=at, history_type="+")
    assignment = {
        "user_id": user_id,
        "role": role,
        "unit_id": unit.pk,
        "title": str(Role(role).label),
        "is_active": True,
        "created_at": at,
    }
    assignment_id = tables[RoleAssignment].add(**assignment)
    tables[historical(RoleAssignment)].add(
        **assignment, id=assignment_id, history_date=at, history_type="+"
    )
    return user_id


def build_world(tables: Tables, seed: int, at: datetime.datetime) -> World:
    """Write the officers (once per database) and describe the country for the generators.

    The officers' names have a random source of their own: the rest of the data comes out the
    same whether the officers were written by this run or an earlier one."""
    rng = random.Random(f"{seed}-officers")
    nation, provinces, communes = _units()
    existing = {
        (a.unit_id, a.role): a.user_id
        for a in RoleAssignment.objects.filter(user__email__endswith="@" + EMAIL_DOMAIN)
    }
    officers: dict[tuple[int, str], int] = dict(existing)

    def ensure(unit: Unit, role: str, email: str) -> int:
        if (unit.pk, role) not in officers:
            officers[(unit.pk, role)] = _user(tables, rng, email=email, unit=unit, role=role, at=at)
        return officers[(unit.pk, role)]

    council_existing: dict[int, list[int]] = defaultdict(list)
    for a in RoleAssignment.objects.filter(
        user__email__endswith="@" + EMAIL_DOMAIN, role=Role.COUNCIL_MEMBER
    ).order_by("user__email"):
        council_existing[a.unit_id].append(a.user_id)
    council: dict[int, list[int]] = {}
    national = [ensure(nation, Role.NATIONAL_OFFICER, f"cuc@{EMAIL_DOMAIN}")]
    for province in provinces:
        for role in PROVINCE_ROLES:
            ensure(province, role, f"{role}.{province.code}@{EMAIL_DOMAIN}")

        for commune in communes.get(province.pk, []):
            ensure(commune, Role.COMMUNE_OFFICER, f"xa.{commune.code}@{EMAIL_DOMAIN}")
    for province in provinces:  # after the officers, whose names stay as they were
        council[province.pk] = council_existing.get(province.pk) or [
            _user(
                tables, rng, email=f"hoi-dong.{n}.{province.code}@{EMAIL_DOMAIN}",
                unit=province, role=Role.COUNCIL_MEMBER, at=at,
            )
            for n in range(1, COUNCIL_SIZE + 1)
        ]  # fmt: skip
    tables[User].flush()
    tables[RoleAssignment].flush()
    _set_current_assignments()
    world = World(nation, provinces, communes, officers, national, council)
    _describe_programmes(world)
    return world


def _set_current_assignments() -> None:
    """Each synthetic officer acts through their one role."""
    pending = User.objects.filter(
        email__endswith="@" + EMAIL_DOMAIN, current_assignment__isnull=True
    )
    assignments = dict(RoleAssignment.objects.filter(user__in=pending).values_list("user_id", "pk"))
    users = list(pending.only("pk"))
    for user in users:
        user.current_assignment_id = assignments[user.pk]
    User.objects.bulk_update(users, ["current_assignment"], batch_size=1000)


def _describe_programmes(world: World) -> None:
    lines: dict[int, list[Line]] = defaultdict(list)
    for pk, programme, group, order, unit, start, end, code, name in (
        ActivityLine.objects.filter(programme__status="approved")
        .order_by("programme__unit_id", "programme_id", "order")
        .values_list(
            "pk",
            "programme_id",
            "group_id",
            "order",
            "programme__unit_id",
            "programme__start_year",
            "programme__end_year",
            "programme__code",
            "name",
        )
    ):
        label = f"{code} · {order}. {name}"
        lines[unit].append(Line(pk, programme, group, order, start, end, label))
    world.lines = dict(lines)
    world.content_groups = dict(
        NormContent.objects.filter(code__in=PROJECT_CONTENTS).values_list("code", "group_id")
    )
    world.group_ids = sorted({line.group for found in lines.values() for line in found})
