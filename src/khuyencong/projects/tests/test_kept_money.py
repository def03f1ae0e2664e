"""Giải ngân kept on the project (``disbursed_kcqg`` / ``disbursed_kcdp``, ``kept_money``): every
service path that records, co-signs or refuses money, and every later step, leaves the kept
figures equal to the sum of the rows that count as disbursed; the migration backfills them;
``drifted`` finds a project whose rows were written past the services."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from khuyencong.projects import cosign, cosigning, kept_money, services
from khuyencong.projects.models import Advance, Payment, Project
from khuyencong.projects.workflow import KCDP, KCQG, State, Step

from .conftest import MILLION, D, step

pytestmark = pytest.mark.django_db
APRIL, SEPTEMBER = D(2026, 4, 1), D(2026, 9, 1)

backfill = importlib.import_module("khuyencong.projects.migrations.0008_kept_disbursed").backfill


def kept(project: Project) -> tuple[int, int]:
    project.refresh_from_db()
    assert not kept_money.drifted().exists()
    return project.disbursed_kcqg, project.disbursed_kcdp


def advance(actor, project, amount, *, fund=KCQG, on=APRIL):
    project.refresh_from_db()
    return services.record_advance(
        actor=actor,
        project=project,
        expected_version=project.version,
        fund=fund,
        amount=amount,
        paid_on=on,
    )


def pay(actor, project, amount, *, fund=KCQG, on=SEPTEMBER):
    project.refresh_from_db()
    return services.record_payment(
        actor=actor,
        project=project,
        expected_version=project.version,
        fund=fund,
        amount=amount,
        paid_on=on,
    )


def sign(actor, payment, *, agree):
    payment.project.refresh_from_db()
    return cosigning.cosign_payment(
        actor=actor,
        payment=payment,
        expected_version=payment.project.version,
        agree=agree,
        note="" if agree else "Thiếu chứng từ",
    )


def test_a_new_project_has_nothing_disbursed(make_project):
    assert kept(make_project(state=State.IMPLEMENTING)) == (0, 0)


def test_advances_and_payments_are_kept_per_fund_as_they_are_recorded(centre, make_project):
    project = make_project(fund=KCQG, state=State.IMPLEMENTING)  # 300 triệu KCQG approved
    advance(centre, project, 150 * MILLION)
    assert kept(project) == (150 * MILLION, 0)
    pay(centre, project, 100 * MILLION)
    assert kept(project) == (250 * MILLION, 0)
    returned = advance(centre, project, 20 * MILLION)
    assert returned.project.disbursed_kcqg == 270 * MILLION  # the service's instance too


def test_a_payment_awaiting_cosignature_is_kept_only_once_finance_signs(
    centre, finance, make_project
):
    project = make_project(fund=KCDP, state=State.ACCEPTED)  # final KCĐP payments are co-signed
    waiting = pay(centre, project, 100 * MILLION, fund=KCDP)
    assert waiting.cosign_status == cosign.PENDING
    assert kept(project) == (0, 0)
    sign(finance, waiting, agree=True)
    assert kept(project) == (0, 100 * MILLION)


def test_a_refused_payment_is_never_kept(centre, finance, make_project):
    project = make_project(fund=KCDP, state=State.ACCEPTED)
    refused = pay(centre, project, 100 * MILLION, fund=KCDP)
    sign(finance, refused, agree=False)
    assert Payment.objects.get(pk=refused.pk).cosign_status == cosign.REFUSED
    assert kept(project) == (0, 0)
    corrected = pay(centre, project, 80 * MILLION, fund=KCDP)
    sign(finance, corrected, agree=True)
    assert kept(project) == (0, 80 * MILLION)


def test_settling_and_closing_keep_the_disbursed_figures(centre, sct, make_project):
    project = make_project(fund=KCQG, state=State.ACCEPTED)
    pay(centre, project, 300 * MILLION)
    step(centre, project, Step.SETTLE)
    assert Project.objects.get(pk=project.pk).status == State.SETTLED
    assert kept(project) == (300 * MILLION, 0)
    step(sct, project, Step.CLOSE)
    assert kept(project) == (300 * MILLION, 0)


def test_cancelling_keeps_what_was_disbursed(centre, sct, make_project):
    project = make_project(fund=KCQG, state=State.IMPLEMENTING)
    advance(centre, project, 90 * MILLION)
    step(sct, project, Step.CANCEL)
    assert Project.objects.get(pk=project.pk).status == State.CANCELLED
    assert kept(project) == (90 * MILLION, 0)


def test_drifted_finds_money_written_past_the_services(centre, make_project):
    project = make_project(fund=KCQG, state=State.IMPLEMENTING)
    clean = make_project(fund=KCQG, state=State.IMPLEMENTING)
    advance(centre, clean, 50 * MILLION)
    Advance.objects.create(project=project, fund=KCQG, amount=5 * MILLION, paid_on=D(2026, 4, 1))
    assert list(kept_money.drifted()) == [project]
    kept_money.keep(project)
    assert project.disbursed_kcqg == 5 * MILLION
    assert not kept_money.drifted().exists()


def test_the_migration_backfills_every_project_from_its_rows(make_project):
    both = make_project(fund=KCQG, state=State.ACCEPTED)
    local = make_project(fund=KCDP, state=State.ACCEPTED)
    untouched = make_project(fund=KCQG, state=State.IMPLEMENTING)
    day = D(2026, 5, 1)
    Advance.objects.create(project=both, fund=KCQG, amount=90 * MILLION, paid_on=day)
    Payment.objects.create(project=both, fund=KCQG, amount=60 * MILLION, paid_on=day)
    Advance.objects.create(project=both, fund=KCDP, amount=7 * MILLION, paid_on=day)
    for status, amount in (
        (cosign.COSIGNED, 40 * MILLION),
        (cosign.PENDING, 11 * MILLION),
        (cosign.REFUSED, 13 * MILLION),
    ):
        Payment.objects.create(
            project=local, fund=KCDP, amount=amount, paid_on=day, cosign_status=status
        )
    assert set(kept_money.drifted()) == {both, local}
    backfill(apps, None)
    assert not kept_money.drifted().exists()
    assert kept(both) == (150 * MILLION, 7 * MILLION)
    assert kept(local) == (0, 40 * MILLION)
    assert kept(untouched) == (0, 0)
