"""Fixtures for projects: users of every role, establishments, projects in any state."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.core.models import Visibility
from khuyencong.projects import kept_money, rules, services, workflow
from khuyencong.projects.models import Advance, BudgetLine, Payment, Project
from khuyencong.projects.workflow import KCQG, Payload, State, Step
from khuyencong.registry.models import Establishment

SON_LA, KHANH_HOA, NATION = "14", "56", "VN"
CHIENG_SON, TO_HIEU = "03985", "03646"  # two communes of Sơn La
KH_COMMUNE = "22333"  # a ward of Khánh Hòa
MILLION = 1_000_000
D = datetime.date
JUNE = D(2026, 6, 1)


@pytest.fixture(autouse=True)
def _vietnamese() -> Any:
    """Each test starts in Vietnamese and leaves no language behind: a request in English
    (the language switcher) keeps English active in the thread after the response."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _cosign_rules(request: pytest.FixtureRequest) -> None:
    """Every database test starts with the default co-signature thresholds, as a real database
    has them (migration 0006): a transactional test elsewhere may have flushed them, and whether
    a payment waits for Finance must not depend on which test ran before."""
    names = request.fixturenames
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(names):
        request.getfixturevalue("db")  # the transactional one when the test asks for it
        from khuyencong.projects.cosigning import load_default_rules

        load_default_rules()


@pytest.fixture
def seed_programmes(db: Any) -> None:
    from khuyencong.programs.services import load_seed_programmes

    load_seed_programmes()


def establishment(unit: Any, code: str, name: str) -> Establishment:
    return Establishment.objects.create(
        name=name, legal_form="hkd", commune=unit(code), product_group="2"
    )


@pytest.fixture
def tea(unit: Any) -> Establishment:
    return establishment(unit, CHIENG_SON, "Hộ kinh doanh chè Chiềng Sơn")


@pytest.fixture
def weaver(unit: Any) -> Establishment:
    return establishment(unit, TO_HIEU, "Hợp tác xã dệt thổ cẩm Tô Hiệu")


@pytest.fixture
def kh_shop(unit: Any) -> Establishment:
    return establishment(unit, KH_COMMUNE, "Cơ sở nước mắm Nha Trang")


def make_registration(
    unit: Any, establishment: Establishment, *, fund: str = "KCDP", status: str, **fields: Any
) -> Any:
    """A support registration of ``establishment`` in a Sơn La round of 2026 for ``fund``,
    straight in ``status`` (group 1, amounts and months from ``fields``)."""
    from khuyencong.planning.models import RegistrationRound, SupportRegistration
    from khuyencong.programs.models import ContentGroup

    group = ContentGroup.objects.get_or_create(
        code="nhom-1", defaults={"number": 1, "name": "Nhóm 1", "short_name": "Nhóm 1"}
    )[0]
    round_ = RegistrationRound.objects.create(
        unit=unit(SON_LA),
        title="Đợt 2026",
        plan_year=2026,
        fund=fund,
        commune_deadline=D(2026, 6, 10),
        province_deadline=D(2026, 6, 19),
    )
    return SupportRegistration.objects.create(
        round=round_,
        establishment=establishment,
        commune=establishment.commune,
        content_group=group,
        status=status,
        **fields,
    )


#: Where each role is held in these tests.
ROLE_UNITS = {
    Role.COMMUNE_OFFICER: CHIENG_SON,
    Role.PROVINCE_CENTRE: SON_LA,
    Role.PROVINCE_SCT: SON_LA,
    Role.PROVINCE_FINANCE: SON_LA,
    Role.NATIONAL_OFFICER: NATION,
    Role.COUNCIL_MEMBER: SON_LA,
    Role.ESTABLISHMENT: CHIENG_SON,
    Role.SYSTEM_ADMIN: NATION,
}


@pytest.fixture
def user_for(make_user: Any, unit: Any) -> Callable[..., Any]:
    """A user of ``role`` in Sơn La (or at the nation, or in Chiềng Sơn, as the role needs)."""

    def make(role: str, code: str | None = None, establishment: Any = None) -> Any:
        user = make_user(role, code or ROLE_UNITS[Role(role)])
        if role == Role.ESTABLISHMENT:
            est = establishment or Establishment.objects.create(
                name="Cơ sở đại diện", legal_form="hkd", commune=unit(CHIENG_SON), product_group="1"
            )
            RoleAssignment.objects.filter(user=user).update(establishment=est)
        return user

    return make


@pytest.fixture
def centre(user_for: Any) -> Any:
    return user_for(Role.PROVINCE_CENTRE)


@pytest.fixture
def sct(user_for: Any) -> Any:
    return user_for(Role.PROVINCE_SCT)


@pytest.fixture
def finance(user_for: Any) -> Any:
    return user_for(Role.PROVINCE_FINANCE)


@pytest.fixture
def national(user_for: Any) -> Any:
    return user_for(Role.NATIONAL_OFFICER)


#: States in which the approval decision (and so the approved amounts) exists.
DECIDED = workflow.HAS_DECISION
CONTRACTED_OR_LATER = {
    State.CONTRACTED,
    State.IMPLEMENTING,
    State.ACCEPTED,
    State.SETTLED,
    State.CLOSED,
}


def build_project(
    unit: Any,
    *,
    fund: str = KCQG,
    state: str = State.DRAFT,
    content: str = "may-moc-thiet-bi",
    support: int = 300 * MILLION,
    counterpart: int = 300 * MILLION,
    province: str = SON_LA,
    title: str = "Hỗ trợ máy sao chè tự động",
    year: int = 2026,
    creator: Any = None,
    location: str | None = None,
    beneficiaries: tuple[Any, ...] = (),
) -> Project:
    """A project put straight into ``state`` (with what that state implies), for table tests;
    ``location``: the code of the commune it is carried out in."""
    kcqg, kcdp = (support, 0) if fund == KCQG else (0, support)
    project = Project.objects.create(
        unit=unit(province),
        fund=fund,
        plan_year=year,
        content=content,
        title=title,
        implementing_unit="Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La",
        support_kcqg=kcqg,
        support_kcdp=kcdp,
        counterpart=counterpart,
        total_cost=support + counterpart,
        status=state,
        round=0 if state == State.DRAFT else 1,
        created_by=creator,
        location=unit(location) if location else None,
    )
    if beneficiaries:
        project.beneficiaries.set(beneficiaries)
    BudgetLine.objects.create(
        project=project, order=1, item="Mua máy sao chè", kcqg=kcqg, kcdp=kcdp, counterpart=0
    )
    BudgetLine.objects.create(
        project=project, order=2, item="Lắp đặt, chạy thử", counterpart=counterpart
    )
    changed = []
    if state in DECIDED:
        project.decision_number, project.decision_date = "125/QĐ-SCT", D(2026, 3, 2)
        project.approved_kcqg, project.approved_kcdp = kcqg, kcdp
        changed += ["decision_number", "decision_date", "approved_kcqg", "approved_kcdp"]
    if state in CONTRACTED_OR_LATER:
        project.contract_number, project.contract_date = "15/HĐ-KC", D(2026, 3, 20)
        changed += ["contract_number", "contract_date"]
    if state in (State.SETTLED, State.CLOSED):
        project.settled_kcqg, project.settled_kcdp = kcqg, kcdp
        project.settled_on = D(2026, 12, 20)
        changed += ["settled_kcqg", "settled_kcdp", "settled_on"]
    if changed:
        project.save(update_fields=changed)
    return project


@pytest.fixture
def make_project(unit: Any) -> Callable[..., Project]:
    def make(**kwargs: Any) -> Project:
        return build_project(unit, **kwargs)

    return make


def valid_payload(signoff: workflow.SignOff, project: Project) -> dict[str, Any]:
    """What a sign-off of this kind needs, filled in correctly."""
    kind = signoff.payload
    if kind == Payload.APPRAISAL:
        return {
            "sheet": "Đề án phù hợp quy định, dự toán hợp lý.",
            "score": 85,
            "conclusion": "dat",
        }
    if kind == Payload.DECISION:
        return {
            "decision_number": "125/QĐ-SCT",
            "decision_date": D(2026, 3, 2),
            "approved_kcqg": project.support_kcqg,
            "approved_kcdp": project.support_kcdp,
        }
    if kind == Payload.CONTRACT:
        return {"contract_number": "15/HĐ-KC", "contract_date": D(2026, 3, 20)}
    if kind == Payload.ACCEPTANCE:
        return {
            "minutes": "Biên bản nghiệm thu: máy chạy ổn định.",
            "accepted_on": D(2026, 11, 30),
            "actual": {o.pk: o.planned_quantity for o in project.outputs.all()},
        }
    if kind == Payload.SETTLEMENT:
        return {
            "settled_kcqg": project.approved_kcqg,
            "settled_kcdp": project.approved_kcdp,
            "settled_on": D(2026, 12, 20),
        }
    return {}


def step(actor: Any, project: Project, action: str, comment: str = "", **payload: Any) -> Any:
    """Take ``action`` with a valid payload for the actor's role (unless one is given)."""
    from khuyencong.accounts import policy

    project.refresh_from_db()
    try:
        t = workflow.find(project.status, action, project.fund)
    except workflow.TransitionError:
        t = None  # the service refuses it
    role = policy.active_assignment(actor).role
    signoff = t.signoff_for(role) if t is not None else None
    if not payload and signoff is not None:
        payload = valid_payload(signoff, project)
    if t is not None and t.reason_required and not comment:
        comment = "Lý do thử nghiệm"
    return services.transition(
        actor=actor,
        project=project,
        action=action,
        expected_version=project.version,
        comment=comment,
        **payload,
    )


def walk_to_contract(
    project: Project,
    centre: Any,
    sct: Any,
    finance: Any,
    national: Any,
    *,
    sct_comment: str,
    finance_comment: str,
    approval_comment: str,
    contract_note: str,
) -> None:
    """Submit, appraise at both levels (with the given opinions and scores), approve 250 triệu
    đồng of KCQG (with a shared comment) and contract ``project`` with an internal note."""
    step(centre, project, Step.SUBMIT)
    step(
        sct,
        project,
        Step.APPRAISE_PROVINCE,
        sct_comment,
        sheet="Phiếu SCT",
        score=85,
        conclusion="dat",
    )
    step(
        finance,
        project,
        Step.APPRAISE_PROVINCE,
        finance_comment,
        sheet="Phiếu TC",
        score=77,
        conclusion="dat",
    )
    step(national, project, Step.APPRAISE_NATIONAL, sheet="Phiếu Cục", score=91, conclusion="dat")
    step(
        national,
        project,
        Step.APPROVE,
        approval_comment,
        decision_number="45/QĐ-ĐCK",
        decision_date=D(2026, 3, 2),
        approved_kcqg=250 * MILLION,
        approved_kcdp=0,
    )
    project.refresh_from_db()
    t = workflow.find(project.status, Step.CONTRACT, project.fund)
    services.transition(
        actor=centre,
        project=project,
        action=Step.CONTRACT,
        expected_version=project.version,
        comment=contract_note,
        visibility=Visibility.INTERNAL,  # the officer unticked "the establishment may read"
        **valid_payload(t.signoff_for(workflow.CENTRE), project),
    )


def project_data(
    *,
    beneficiaries: list[Any] | None = None,
    fund: str = KCQG,
    content: str = "may-moc-thiet-bi",
    kcqg: int = 300 * MILLION,
    kcdp: int = 0,
    counterpart: int = 300 * MILLION,
    title: str = "Hỗ trợ máy sao chè tự động",
    year: int = 2026,
    outputs: list[Any] | None = None,
    location: Any = None,
) -> services.ProjectData:
    return services.ProjectData(
        title=title,
        fund=fund,
        plan_year=year,
        content=content,
        implementing_unit="Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La",
        location=location,
        need="Cơ sở sao chè thủ công, năng suất thấp.",
        objectives="Tăng năng suất 30%.",
        beneficiaries=beneficiaries or [],
        budget=[
            rules.BudgetRow("Mua máy sao chè", kcqg=kcqg, kcdp=kcdp),
            rules.BudgetRow("Lắp đặt, chạy thử", counterpart=counterpart),
        ],
        tasks=[
            rules.TaskRow("Mua sắm, lắp đặt", D(year, 3, 1), D(year, 6, 30)),
            rules.TaskRow("Vận hành, nghiệm thu", D(year, 7, 1), D(year, 11, 30)),
        ],
        outputs=outputs or [],
    )


def disburse(
    model: type[Advance] | type[Payment],
    project: Project,
    amount: int,
    *,
    on: datetime.date = JUNE,
    **fields: Any,
) -> None:
    """An advance or payment of the project's fund written straight to the table (past the
    services' state checks), its giải ngân kept on the project as the services keep it."""
    model.objects.create(project=project, fund=project.fund, amount=amount, paid_on=on, **fields)
    kept_money.keep(project)
