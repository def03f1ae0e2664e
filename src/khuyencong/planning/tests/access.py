"""Access-matrix declarations of the planning URLs: rounds (read from below), extensions,
registrations (per establishment), annual plans (per province)."""

import datetime

from khuyencong.accounts.access_matrix import (
    MATRIX,
    Place,
    Reach,
    Role,
    Subject,
    change,
    probe,
    view,
)
from khuyencong.planning import services
from khuyencong.planning.models import DeadlineExtension, PlanFund, RegistrationRound
from khuyencong.planning.rules import Amounts
from khuyencong.programs.models import ContentGroup

ROUND = Subject("round", (Place.N, Place.P, Place.Q), view_reach=Reach.SUBTREE_AND_ANCESTORS)
#: The same rounds, edited only by the unit that opened them; extended by their own unit's
#: managers and, in a round opened above, by a province's for its own communes.
EXTENDED_ROUND = Subject(
    "round",
    ROUND.places,
    view_reach=Reach.SUBTREE_AND_ANCESTORS,
    change_reach=Reach.SUBTREE_AND_ANCESTORS,
)
OWN_ROUND = Subject(
    "round",
    ROUND.places,
    view_reach=Reach.SUBTREE_AND_ANCESTORS,
    change_reach=Reach.OWN_UNIT,
)
REGISTRATION = Subject("registration", (Place.E1, Place.E2, Place.E3, Place.F1))
PLAN = Subject("plan", (Place.P, Place.Q))
PLAN_ITEM = Subject("plan-item", (Place.P, Place.Q))
MANAGERS = (Role.PROVINCE_SCT, Role.PROVINCE_CENTRE, Role.NATIONAL_OFFICER)
REGISTRANTS = (Role.COMMUNE_OFFICER, Role.ESTABLISHMENT)
#: Who registers for each establishment place, and who prepares each province's plan.
COMMUNE_OFFICER = {
    Place.E1: "can-bo-xa@C1",
    Place.E2: "can-bo-xa@C1",
    Place.E3: "can-bo-xa@C2",
    Place.F1: "can-bo-xa@D1",
}
CENTRE = {Place.P: "trung-tam-khuyen-cong@P", Place.Q: "trung-tam-khuyen-cong@Q"}


def _need(world, place, group, year):
    return services.RegistrationData(
        content_group=group,
        activity=world.mark(place, "Hỗ trợ máy"),
        amounts=Amounts(500_000_000, 0, 200_000_000, 300_000_000, 0),
        start_month=datetime.date(year, 3, 1),
        end_month=datetime.date(year, 11, 1),
        description="Thay máy thủ công.",
        expected_outputs="01 dây chuyền.",
    )


@MATRIX.builder
def planning(world):
    today = services.today()
    year = today.year + 1
    group = ContentGroup.objects.get(code="nhom-1")
    for place in ROUND.places:
        round_ = RegistrationRound.objects.create(
            unit=world.units[place],
            title=world.mark(place, "Đợt đăng ký"),
            plan_year=year,
            fund=PlanFund.KCQG if place == Place.N else PlanFund.KCDP,
            commune_deadline=today + datetime.timedelta(days=30),
            province_deadline=today + datetime.timedelta(days=40),
        )
        round_.content_groups.set(ContentGroup.objects.all())
        world.put(ROUND, place, round_)
    # Extensions: each marked with the place of the unit it extends.
    for round_place, unit_place in (
        (Place.P, Place.C1),
        (Place.P, Place.C2),
        (Place.Q, Place.D1),
        (Place.N, Place.P),
        (Place.N, Place.Q),
    ):
        DeadlineExtension.objects.create(
            round=world.get(ROUND, round_place),
            unit=world.units[unit_place],
            new_deadline=today + datetime.timedelta(days=35),
            reason=world.mark(unit_place, "Lý do gia hạn"),
            granted_by=world.users["so-cong-thuong@P"],
        )
    for place in REGISTRATION.places:
        establishment = world.get("establishment", place)
        round_ = world.get(ROUND, Place.Q if place == Place.F1 else Place.P)
        actor = world.users[COMMUNE_OFFICER[place]]
        registration, _ = services.create_registration(
            actor=actor,
            round=round_,
            establishment=establishment,
            data=_need(world, place, group, year),
        )
        if place != Place.E1:  # E1's stays a draft its registrants may still send
            registration = services.transition_registration(
                actor=actor, registration=registration, action="gui"
            )
        world.put(REGISTRATION, place, registration)
    for place in PLAN.places:
        centre = world.users[CENTRE[place]]
        plan = services.create_plan(actor=centre, year=year, fund=PlanFund.KCDP)
        item = services.add_item(
            actor=centre,
            plan=plan,
            expected_version=plan.version,
            data=services.ItemData(
                name=world.mark(place, "Đề án trong kế hoạch"),
                implementing_unit="Trung tâm khuyến công",
                content_group=group,
                amounts=Amounts(500_000_000, 0, 200_000_000, 300_000_000, 0),
                start_month=datetime.date(year, 3, 1),
                end_month=datetime.date(year, 11, 1),
            ),
        )
        plan.refresh_from_db()
        world.put(PLAN, place, plan)
        world.put(PLAN_ITEM, place, item)


def _pk(obj):
    return {"pk": obj.pk}


def _item(item):
    return {"pk": item.plan_id, "item_pk": item.pk}


def _deadline():
    return (services.today() + datetime.timedelta(days=50)).strftime("%d/%m/%Y")


# Rounds and extensions
MATRIX.page("planning:round_list", get=view())
MATRIX.page("planning:round_create", get=view(*MANAGERS), post=view(*MANAGERS))
MATRIX.object("planning:round_detail", ROUND, _pk, get=view())
MATRIX.object(
    "planning:round_edit",
    OWN_ROUND,
    _pk,
    get=change(*MANAGERS),
    post=change(*MANAGERS),
    data=lambda w, r: {"version": r.version},
)
MATRIX.object(
    "planning:extension_create",
    EXTENDED_ROUND,
    _pk,
    post=change(*MANAGERS),
    data=lambda w, r: {
        "unit_code": w.units[Place.C1].code,
        "new_deadline": _deadline(),
        "reason": "Mưa lũ",
    },
)

# Registrations
MATRIX.page(
    "planning:registration_list",
    get=view(),
    queries=[
        lambda w: {"xa": w.units[Place.D1].code},
        lambda w: {"xa": w.units[Place.C2].code},
        lambda w: {"dot": w.get(ROUND, Place.Q).pk},
        lambda w: {"q": probe(w.get(REGISTRATION, Place.E2).activity)},
    ],
)
MATRIX.page(
    "planning:registration_create",
    get=view(*REGISTRANTS),
    queries=[
        lambda w: {"dot": w.get(ROUND, Place.P).pk},
        lambda w: {"dot": w.get(ROUND, Place.Q).pk},
        lambda w: {"dot": w.get(ROUND, Place.P).pk, "co_so": w.get("establishment", Place.E2).pk},
    ],
)
MATRIX.object("planning:registration_detail", REGISTRATION, _pk, get=view())
MATRIX.object(
    "planning:registration_edit",
    REGISTRATION,
    _pk,
    get=change(*REGISTRANTS),
    post=change(*REGISTRANTS),
    data=lambda w, r: {"version": r.version},
)
MATRIX.object(
    "planning:registration_transition",
    REGISTRATION,
    _pk,
    post=change(*REGISTRANTS),
    data=lambda w, r: {"action": "gui", "version": r.version},
    participants=[*REGISTRANTS, Role.PROVINCE_CENTRE, Role.PROVINCE_SCT],
)

# Annual plans
MATRIX.page(
    "planning:plan_list", get=view(), queries=[lambda w: {"nam": services.today().year + 1}]
)
MATRIX.page(
    "planning:plan_create",
    post=view(Role.PROVINCE_CENTRE),
    data=lambda w, _: {"year": services.today().year + 2, "fund": PlanFund.KCDP},
)
MATRIX.object("planning:plan_detail", PLAN, _pk, get=view())
MATRIX.object(
    "planning:plan_consolidate",
    PLAN,
    _pk,
    post=change(Role.PROVINCE_CENTRE),
    data=lambda w, p: {"version": p.version},
)
MATRIX.object(
    "planning:plan_transition",
    PLAN,
    _pk,
    post=change(Role.PROVINCE_CENTRE),
    data=lambda w, p: {"action": "trinh", "version": p.version},
    participants=[Role.PROVINCE_CENTRE, Role.PROVINCE_SCT, Role.PROVINCE_FINANCE],
)
MATRIX.object(
    "planning:item_create",
    PLAN,
    _pk,
    get=change(Role.PROVINCE_CENTRE),
    post=change(Role.PROVINCE_CENTRE),
    data=lambda w, p: {"version": p.version},
)
MATRIX.object(
    "planning:item_edit",
    PLAN_ITEM,
    _item,
    get=change(Role.PROVINCE_CENTRE),
    post=change(Role.PROVINCE_CENTRE),
    data=lambda w, i: {"version": i.plan.version},
)
MATRIX.object(
    "planning:item_delete",
    PLAN_ITEM,
    _item,
    post=change(Role.PROVINCE_CENTRE),
    data=lambda w, i: {"version": i.plan.version, "reason": "Bỏ"},
)
MATRIX.object("planning:plan_xlsx", PLAN, _pk, get=view())
MATRIX.object("planning:plan_docx", PLAN, _pk, get=view())
