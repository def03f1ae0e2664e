"""The synthetic national data set: deterministic, the right size, and what the services could
have written — the project rules find no error in it, the state tables explain every logged
step, and the services carry its projects on to their next step."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role, User
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.awards import rules as awards_rules
from khuyencong.awards import workflow as awards_workflow
from khuyencong.awards.models import (
    Certificate,
    Entry,
    EntryStatus,
    Product,
    RoundStatus,
    ScoreSheet,
    SelectionRound,
)
from khuyencong.awards.services import products as product_services
from khuyencong.awards.services import scoring
from khuyencong.awards.services.products import ProductData
from khuyencong.awards.services.results import certificate_number
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.planning import kept_counts
from khuyencong.planning import workflow as planning_workflow
from khuyencong.planning.models import (
    RegistrationRound,
    RegistrationTransition,
    SupportRegistration,
)
from khuyencong.planning.services import CREATED as REGISTRATION_CREATED
from khuyencong.programs.models import Programme, ProgrammeLevel
from khuyencong.projects import kept_money, rules, services, workflow
from khuyencong.projects.models import Advance, Payment, Project, ProjectTransition
from khuyencong.projects.services import CREATED
from khuyencong.registry.models import Establishment
from khuyencong.synthetic.generate import NATIONAL, Sizes, generate
from khuyencong.synthetic.world import EMAIL_DOMAIN, load_reference_data

pytestmark = pytest.mark.django_db
SCALE = 0.001
FIRST_YEAR_END = datetime.date(2030, 12, 31)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class _Rollback(Exception):
    pass


def _fingerprint() -> dict[str, Any]:
    """The generated content, without database keys."""
    return {
        "establishments": sorted(
            Establishment.objects.values_list(
                "name", "tax_code", "commune__code", "province__code", "owner_name", "created_at"
            )
        ),
        "registrations": sorted(
            SupportRegistration.objects.values_list(
                "activity", "establishment__name", "status", "total_cost", "updated_at"
            )
        ),
        "projects": sorted(
            Project.objects.values_list(
                "title",
                "status",
                "fund",
                "plan_year",
                "approved_kcqg",
                "approved_kcdp",
                "settled_kcdp",
                "version",
                "updated_at",
            )
        ),
        "products": sorted(
            Product.objects.values_list("name", "establishment__name", "group", "created_at")
        ),
        "events": sorted(Counter(ActivityEvent.objects.values_list("event_type", flat=True))),
    }


def _generate_and_forget(seed: int) -> dict[str, Any]:
    try:
        with transaction.atomic():
            generate(scale=SCALE, seed=seed)
            found = _fingerprint()
            raise _Rollback
    except _Rollback:
        return found


def test_the_same_seed_gives_the_same_country_and_another_seed_another():
    load_reference_data()
    first = _generate_and_forget(7)
    assert first == _generate_and_forget(7)
    assert first["projects"] != _generate_and_forget(8)["projects"]


def test_the_generated_country_is_what_the_services_could_have_written(time_machine):
    """One generation (it takes a while), every check: sizes, the rules, the logged steps, the
    services carrying projects on, and a second run refused."""
    generate(scale=SCALE)
    _sizes_and_every_province_with_a_programme()
    _the_establishments_are_a_pilot_at_the_national_density()
    _the_project_rules_find_no_error_in_any_project()
    _every_logged_step_is_one_the_state_tables_allow()
    _products_are_what_create_product_writes()
    _selection_rounds_are_what_the_services_write()
    # The generated country is as of 31/12/2030: the services take the next steps on that day
    # (they refuse dates after today), whatever the real date is.
    time_machine.move_to(datetime.datetime(2030, 12, 31, 12, tzinfo=VIETNAM))
    _the_services_carry_generated_projects_on()
    with pytest.raises(CommandError, match="CSDL trống"):
        call_command("seed_national", "--scale", "0.001")


def _sizes_and_every_province_with_a_programme() -> None:
    sizes = Sizes.at(SCALE)
    assert Establishment.objects.count() == sizes.establishments
    assert SupportRegistration.objects.count() == sizes.registrations
    assert Project.objects.count() == sizes.projects
    assert Product.objects.count() == sizes.products
    assert Programme.objects.filter(level=ProgrammeLevel.PROVINCE).count() == 34
    assert User.objects.filter(email__endswith=EMAIL_DOMAIN).count() == 34 * (3 + 5) + 3321 + 1
    assert not Establishment.objects.filter(province__isnull=True).exists()
    assert set(Project.objects.values_list("status", flat=True)) >= {
        workflow.State.DRAFT, workflow.State.IMPLEMENTING, workflow.State.CLOSED,
    }  # fmt: skip
    assert set(ActivityEvent.objects.values_list("event_type", flat=True)) >= {
        EventType.ESTABLISHMENTS_IMPORTED, EventType.PROJECT_STEP, EventType.REGISTRATION_CHANGED,
    }  # fmt: skip


def _the_establishments_are_a_pilot_at_the_national_density() -> None:
    """round(S × 3,321) communes, whole provinces first (the last one's first communes), each
    with about the national number of establishments a commune; the rest follows them."""
    communes = AdministrativeUnit.objects.current().filter(level=UnitLevel.COMMUNE)
    per_commune = Counter(Establishment.objects.values_list("commune_id", flat=True))
    assert len(per_commune) == round(SCALE * communes.count())
    national = NATIONAL["establishments"] / communes.count()
    assert national / 2 < Establishment.objects.count() / len(per_commune) < national * 2
    in_pilot = communes.filter(pk__in=per_commune)
    partial = []
    for province in {c.parent_id for c in in_pilot}:
        everyone = list(communes.filter(parent_id=province).order_by("path"))
        taken = [c for c in everyone if c.pk in per_commune]
        if taken != everyone:
            partial.append(province)
            assert taken == everyone[: len(taken)]
    assert len(partial) <= 1
    provinces = {c.parent_id for c in in_pilot}
    for model, field in (
        (SupportRegistration, "province_id"),
        (Project, "unit_id"),
        (Product, "province_id"),
    ):
        assert set(model.objects.values_list(field, flat=True)) <= provinces


def _the_project_rules_find_no_error_in_any_project() -> None:
    for project in Project.objects.select_related("unit", "location").prefetch_related(
        "beneficiaries__commune", "budget_lines", "tasks", "outputs__line__programme"
    ):
        findings = services.check_project(
            project.unit,
            services.data_of(project),
            project_id=project.pk,
            on=project.decision_date or FIRST_YEAR_END,
        )
        assert rules.errors(findings) == [], project.title


def _every_logged_step_is_one_the_state_tables_allow() -> None:
    logs: dict[int, list[ProjectTransition]] = defaultdict(list)
    for t in ProjectTransition.objects.order_by("at", "pk"):
        logs[t.project_id].append(t)
    for project in Project.objects.all():
        steps = logs[project.pk]
        assert (steps[0].action, steps[0].to_state) == (CREATED, workflow.State.DRAFT)
        state = workflow.State.DRAFT
        for step in steps[1:]:
            assert step.from_state == state
            t = workflow.find(state, step.action, project.fund)
            assert step.role in t.roles
            assert step.to_state in (t.target, state)
            state = step.to_state
        assert state == project.status
        disbursed = sum(
            m.objects.filter(project=project).aggregate(s=Sum("amount"))["s"] or 0
            for m in (Advance, Payment)
        )
        assert disbursed <= project.approved_support
        if project.status in workflow.LOCKED:
            assert project.settled_kcqg + project.settled_kcdp == disbursed
    assert not kept_money.drifted().exists()  # giải ngân kept as the services keep it
    for registration in SupportRegistration.objects.prefetch_related("transitions"):
        steps = sorted(registration.transitions.all(), key=lambda t: (t.at, t.pk))
        assert steps[0].action == REGISTRATION_CREATED
        for step in steps[1:]:
            t = planning_workflow.registration_transition(step.from_state, step.action)
            assert step.to_state == t.target
        assert steps[-1].to_state == registration.status
    assert RegistrationTransition.objects.count() >= SupportRegistration.objects.count()
    # Each round's sent registrations kept as the services' sends keep them.
    assert not kept_counts.drifted().exists()
    sent = SupportRegistration.objects.filter(kept_counts.SENT).count()
    assert RegistrationRound.objects.aggregate(n=Sum("sent_count"))["n"] == sent > 0


def _products_are_what_create_product_writes() -> None:
    """Each product: what ``create_product``'s checks keep of it (nothing refused), the keys
    ``save`` derives, its establishment's commune and province, entered after the
    establishment by an officer who may, one history record and one event."""
    events = Counter(
        ActivityEvent.objects.filter(event_type=EventType.PRODUCT_CHANGED).values_list(
            "object_id", "establishment_id", "unit_id", "data__action"
        )
    )
    for product in Product.objects.select_related("establishment", "commune", "created_by"):
        data = ProductData(
            product.name, product.group, product.description, product.gtin, product.standards
        )
        cleaned = product_services._cleaned(data, product_id=product.pk)
        assert cleaned == {
            "name": product.name,
            "group": product.group,
            "description": product.description,
            "gtin": product.gtin,
            "standards": product.standards,
        }
        stored = (product.name_folded, product.name_sort, product.province_id)
        product.fill_derived_fields()
        assert (product.name_folded, product.name_sort) == stored[:2]
        assert product.commune_id == product.establishment.commune_id
        assert product.province_id == product.establishment.province_id
        assert product.created_at > product.establishment.created_at
        assert policy.can(product.created_by, policy.Action.MANAGE_PRODUCT, product)
        assert [h.history_type for h in product.history.all()] == ["+"]
        key = (str(product.pk), product.establishment_id, product.commune_id, "tao")
        assert events[key] == 1
    assert sum(events.values()) == Product.objects.count()


def _selection_rounds_are_what_the_services_write() -> None:
    """Every generated round closed and published as the services do: its council within the
    rule, each step one the state tables allow, every sheet one ``check_scores`` accepts with
    its total, the results ``write_results`` gives, the jury's closing checks met, one
    certificate per passed entry numbered in rank order, valid for the rule's years."""
    rounds = list(SelectionRound.objects.all())
    assert rounds
    assert {r.status for r in rounds} == {RoundStatus.PUBLISHED}
    for round_ in rounds:
        assert round_.council_min <= round_.members.count() <= round_.council_max
        state = ""
        for step in round_.transitions.order_by("at", "pk"):
            if step.action != "tao":
                t = awards_workflow.find_round(state, step.action)
                assert step.to_state == t.target
                assert policy.can(step.actor, policy.Action(t.permission), round_)
            state = step.to_state
        assert state == round_.status
        criteria = round_.criteria_list
        for sheet in ScoreSheet.objects.filter(round=round_):
            read, problems = awards_rules.check_scores(criteria, sheet.scores, complete=True)
            assert problems == []
            assert sheet.total == awards_rules.sheet_total(criteria, read)
        entries = list(Entry.objects.filter(round=round_).order_by("pk"))
        assert {e.status for e in entries} == {EntryStatus.ACCEPTED}
        for entry in entries:
            steps = list(entry.transitions.order_by("at", "pk"))
            state = EntryStatus.DRAFT
            for step in steps[1:]:
                t = awards_workflow.find_entry(state, step.action, needs_forwarding=False)
                assert step.to_state == t.target
                state = step.to_state
            assert state == entry.status
        assert scoring.closing_problems(round_, entries) == []
        stored = [(e.mean, e.rank, e.passed) for e in entries]
        scoring.write_results(round_)
        assert [
            (e.mean, e.rank, e.passed) for e in Entry.objects.filter(round=round_).order_by("pk")
        ] == stored
        passed = sorted(
            (e for e in entries if e.passed), key=lambda e: (e.rank, e.product.name_sort, e.pk)
        )
        certificates = list(Certificate.objects.filter(round=round_).order_by("number"))
        assert [c.entry_id for c in certificates] == [e.pk for e in passed]
        assert [c.number for c in certificates] == [
            certificate_number(round_, n) for n in range(1, len(passed) + 1)
        ]
        for certificate in certificates:
            assert certificate.issued_on == round_.decision_date
            assert certificate.valid_until == awards_rules.valid_until(
                round_.decision_date, round_.validity_years
            )
    # Commune certificates last three years counting the year of issue: those of 2027 have
    # expired by the end of 2030 (a small scale may have none of them), the rest are in force
    # unless revoked.
    expected = {
        c.pk: awards_rules.CertificateStatus.REVOKED
        if c.revoked_on is not None
        else awards_rules.CertificateStatus.EXPIRED
        if c.valid_until < FIRST_YEAR_END
        else awards_rules.CertificateStatus.VALID
        for c in Certificate.objects.all()
    }
    assert {c.pk: c.status_on(FIRST_YEAR_END) for c in Certificate.objects.all()} == expected
    assert awards_rules.CertificateStatus.VALID in expected.values()


def _officer(project: Project, role: str) -> User:
    return User.objects.get(
        email__endswith=EMAIL_DOMAIN, assignments__role=role, assignments__unit=project.unit
    )


def _the_services_carry_generated_projects_on() -> None:
    """The next step of a generated project, taken through the real services, dated today
    (the day the generated data set ends)."""
    today = timezone.localdate()
    assert today == FIRST_YEAR_END
    approved = Project.objects.filter(status=workflow.State.APPROVED).first()
    if approved is not None:
        done = services.transition(
            actor=_officer(approved, Role.PROVINCE_CENTRE),
            project=approved,
            action=workflow.Step.CONTRACT,
            expected_version=approved.version,
            contract_number="99/HĐ-KC",
            contract_date=today,
        )
        assert done.project.status == workflow.State.CONTRACTED
    settled = Project.objects.filter(status=workflow.State.SETTLED).first()
    assert settled is not None
    closed = services.transition(
        actor=_officer(settled, Role.PROVINCE_SCT),
        project=settled,
        action=workflow.Step.CLOSE,
        expected_version=settled.version,
    )
    assert closed.project.status == workflow.State.CLOSED
    implementing = Project.objects.filter(status=workflow.State.IMPLEMENTING).first()
    assert implementing is not None
    services.record_payment(
        actor=_officer(implementing, Role.PROVINCE_CENTRE),
        project=implementing,
        expected_version=implementing.version,
        fund=implementing.fund,
        amount=1_000_000,
        paid_on=today,
        note="Thanh toán thử",
    )
