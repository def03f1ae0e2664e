"""The project detail page's content, pinned (issue 11: its reads were rewritten for CPU).

A project with every list of the page filled in (budget, tasks, outputs, two beneficiaries,
steps with internal and shared comments, appraisal sign-offs, progress, an inspection,
advances, payments one of which waits for Finance, an internal and a shared file, a rule
finding) is rendered for each role that reads it, on a fixed day, and the page's ``<main>``
is compared with the HTML kept in ``golden/`` (ids, CSRF tokens and nonces replaced by
placeholders). The files were written by the page as it was before the rewrite: a change of
what the page shows fails here. After a deliberate change of the page, write them again with
``KHUYENCONG_WRITE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.programs.models import ActivityLine
from khuyencong.projects import services, workflow
from khuyencong.projects.models import CoSignRule
from khuyencong.projects.workflow import KCQG, Step

from .conftest import CHIENG_SON, MILLION, D, project_data, step, walk_to_contract

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime.datetime(2026, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _full_project(user_for, make_project, unit, tea, weaver):
    earlier = make_project(state=workflow.State.APPROVED, year=2025, title="Máy sao chè năm trước")
    earlier.beneficiaries.add(tea)  # a rule finding: support again within the years
    centre, sct, finance, national = (
        user_for(role)
        for role in (
            Role.PROVINCE_CENTRE,
            Role.PROVINCE_SCT,
            Role.PROVINCE_FINANCE,
            Role.NATIONAL_OFFICER,
        )
    )
    line = ActivityLine.objects.filter(programme__unit__code="14").order_by("order").first()
    assert line is not None
    data = project_data(
        beneficiaries=[tea, weaver],
        outputs=[services.OutputRow(line, Decimal(2))],
        location=unit(CHIENG_SON),  # the commune officer's
    )
    project, _warnings = services.create_project(actor=centre, data=data)
    walk_to_contract(
        project,
        centre,
        sct,
        finance,
        national,
        sct_comment="Ý kiến nội bộ của Sở",
        finance_comment="Nhận xét của Sở Tài chính",
        approval_comment="Triển khai đúng tiến độ",
        contract_note="Ghi chú nội bộ về hợp đồng",
    )
    step(centre, project, Step.START)

    def version() -> int:
        project.refresh_from_db()
        return project.version

    services.report_progress(
        actor=centre,
        project=project,
        expected_version=version(),
        month=D(2026, 5, 1),
        percent=40,
        text="Đã lắp đặt máy",
    )
    services.record_inspection(
        actor=sct,
        project=project,
        expected_version=version(),
        inspected_on=D(2026, 5, 20),
        findings="Máy chạy ổn định",
    )
    services.record_advance(
        actor=centre,
        project=project,
        expected_version=version(),
        fund=KCQG,
        amount=100 * MILLION,
        paid_on=D(2026, 4, 2),
        note="Tạm ứng đợt 1",
    )
    # A payment from 100 million waits for the finance department's co-signature.
    CoSignRule.objects.create(
        fund=KCQG, min_amount=100 * MILLION, legal_basis="Thử nghiệm", effective_from=D(2026, 1, 1)
    )
    for amount, note in ((20 * MILLION, "Thanh toán nhỏ"), (120 * MILLION, "Thanh toán lớn")):
        services.record_payment(
            actor=centre,
            project=project,
            expected_version=version(),
            fund=KCQG,
            amount=amount,
            paid_on=D(2026, 6, 1),
            note=note,
        )
    for name, shared in (("ghi-chu-noi-bo.pdf", False), ("hop-dong-da-ky.pdf", True)):
        services.add_attachment(
            actor=centre,
            project=project,
            upload=SimpleUploadedFile(name, b"%PDF-1.4 " + name.encode()),
            shared=shared,
        )
    return project


def _normalised(page: str, project) -> str:
    main = page[page.index("<main") : page.index("</main>") + len("</main>")]
    main = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', r"\1CSRF", main)
    main = re.sub(r'nonce="[^"]*"', 'nonce="NONCE"', main)
    # Ids differ between runs and databases (sequences are not rolled back): any number in a
    # link, a form's target or an element's id, name or label target.
    main = re.sub(
        r'((?:href|action|id|for|name|value|hx-\w+)="[^"]*)',
        lambda m: re.sub(r"\d+", "N", m.group(1)),
        main,
    )
    return main.replace(project.code, "MÃ-ĐỀ-ÁN") + "\n"


@pytest.mark.parametrize(
    "role",
    [
        Role.PROVINCE_CENTRE,
        Role.PROVINCE_SCT,
        Role.PROVINCE_FINANCE,
        Role.NATIONAL_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.ESTABLISHMENT,
    ],
)
def test_the_detail_page_shows_what_it_showed(
    role, client, user_for, make_project, unit, tea, weaver, seed_programmes, time_machine
):
    time_machine.move_to(NOW, tick=False)
    project = _full_project(user_for, make_project, unit, tea, weaver)
    reader = user_for(role, establishment=tea) if role == Role.ESTABLISHMENT else user_for(role)
    client.force_login(reader)
    response = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert response.status_code == 200
    page = _normalised(response.content.decode(), project)
    golden = GOLDEN / f"project_detail_{role}.html"
    if os.environ.get("KHUYENCONG_WRITE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")
