"""Demo data (dữ liệu trình diễn): one user per role at the national level, in Sơn La,
Khánh Hòa, Đắk Lắk and one Sơn La commune. Clearly marked ``is_demo``; idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from khuyencong.accounts.models import Role, RoleAssignment, User
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.awards.demo import seed_selection_demo
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.geo.services import load_units
from khuyencong.norms.services import load_national_norms
from khuyencong.planning.demo import seed_demo_planning
from khuyencong.portal.demo import seed_portal_demo
from khuyencong.programs.services import load_seed_programmes
from khuyencong.projects.cosigning import load_default_rules as load_default_cosign_rules
from khuyencong.projects.demo import seed_demo_projects
from khuyencong.registry.demo import demo_represented_establishment, seed_demo_establishments
from khuyencong.reporting.demo import seed_demo_reports

DEMO_PASSWORD = "KhuyenCong@2026"
DEMO_DOMAIN = "demo.khuyencong.vn"
#: The demo commune: Xã Chiềng Sơn (Mộc Châu area, tea and dairy processing).
DEMO_COMMUNE_CODE = "03985"

PROVINCES = {"14": "sonla", "56": "khanhhoa", "66": "daklak"}
PROVINCE_ROLES = [
    (Role.PROVINCE_CENTRE, "trungtam", "Cán bộ Trung tâm"),
    (Role.PROVINCE_SCT, "sct", "Chuyên viên Sở Công Thương"),
    (Role.PROVINCE_FINANCE, "taichinh", "Chuyên viên Sở Tài chính"),
    (Role.COUNCIL_MEMBER, "hoidong", "Thành viên hội đồng tỉnh"),
    (Role.SYSTEM_ADMIN, "quantri", "Quản trị hệ thống tỉnh"),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    unit: str


def _user(email: str, full_name: str, password_hash: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        # One hash for every demo user: hashing is deliberately slow, twenty times is seconds.
        user = User(email=email, full_name=full_name, is_demo=True, password=password_hash)
        user.save()
    return user


def _assign(user: User, role: Role, unit: AdministrativeUnit, title: str) -> RoleAssignment:
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"title": title}
    )
    if user.current_assignment_id is None:
        user.current_assignment = assignment
        user.save(update_fields=["current_assignment"])
    return assignment


def demo_commune() -> AdministrativeUnit:
    return AdministrativeUnit.objects.current().get(level=UnitLevel.COMMUNE, code=DEMO_COMMUNE_CODE)


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create (or keep) the demo users; returns their logins for printing."""
    if not AdministrativeUnit.objects.exists():
        load_units()
    current = AdministrativeUnit.objects.current()
    nation = current.get(level=UnitLevel.NATIONAL)
    plan: list[tuple[str, str, Role, AdministrativeUnit, str]] = [
        ("cuc", "Cán bộ Cục ĐCK (mẫu)", Role.NATIONAL_OFFICER, nation, "Chuyên viên"),
        ("hoidong.tw", "Thành viên hội đồng trung ương (mẫu)", Role.COUNCIL_MEMBER, nation, ""),
        ("quantri", "Quản trị hệ thống (mẫu)", Role.SYSTEM_ADMIN, nation, ""),
    ]
    for code, slug in PROVINCES.items():
        province = current.get(level=UnitLevel.PROVINCE, code=code)
        for role, prefix, title in PROVINCE_ROLES:
            plan.append(
                (f"{prefix}.{slug}", f"{title} {province.name} (mẫu)", role, province, title)
            )
    commune = demo_commune()
    plan += [
        ("xa.sonla", f"Cán bộ {commune.name} (mẫu)", Role.COMMUNE_OFFICER, commune, "Công chức"),
        ("coso.sonla", "Đại diện cơ sở CNNT (mẫu)", Role.ESTABLISHMENT, commune, "Chủ cơ sở"),
    ]
    logins = []
    password_hash = make_password(DEMO_PASSWORD)
    for local, full_name, role, unit, title in plan:
        email = f"{local}@{DEMO_DOMAIN}"
        user = _user(email, full_name, password_hash)
        _assign(user, role, unit, title)
        logins.append(DemoLogin(email=email, role=str(role.label), unit=unit.name))
    establishments = seed_demo_establishments()
    represented = demo_represented_establishment()
    RoleAssignment.objects.filter(
        user__email=f"coso.sonla@{DEMO_DOMAIN}", role=Role.ESTABLISHMENT
    ).update(establishment=represented)
    load_seed_programmes()
    seed_demo_planning()
    load_national_norms()
    load_default_cosign_rules()
    seed_demo_projects()
    seed_demo_reports()
    seed_selection_demo()  # before the portal's: it publishes these certificates
    seed_portal_demo()
    record_event(
        EventType.DEMO_SEEDED,
        unit=nation,
        data={"users": len(logins), "establishments": establishments},
    )
    return logins
