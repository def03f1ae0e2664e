"""A commune officer reads, never changes, the province's projects located in the commune
(issue 14): the commune's periodic report counts them (``reporting.computations``), so its
drill-down must list them. One rule, in the policy (``policy.PLACE_READS`` on the project's
``policy_place``); every page, file, export, API resource and feed reads through it."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role
from khuyencong.notifications.models import Notification
from khuyencong.projects import selectors, services
from khuyencong.projects.workflow import State, Step

from .conftest import CHIENG_SON, KH_COMMUNE, KHANH_HOA, TO_HIEU, build_project, step

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def commune(user_for: Any) -> Any:
    return user_for(Role.COMMUNE_OFFICER, CHIENG_SON)


@pytest.fixture
def placed(unit: Any, tea: Any, weaver: Any) -> dict[str, Any]:
    """Sơn La's projects in Chiềng Sơn (one being carried out, one draft), in Tô Hiệu, and one
    located nowhere; a Khánh Hòa project in one of its wards."""

    def make(title: str, location: str | None, **kwargs: Any) -> Any:
        return build_project(unit, title=title, location=location, **kwargs)

    return {
        "here": make(
            "Đề án tại Chiềng Sơn", CHIENG_SON, state=State.IMPLEMENTING, beneficiaries=(tea,)
        ),
        "draft": make("Dự thảo tại Chiềng Sơn", CHIENG_SON),
        "there": make("Đề án tại Tô Hiệu", TO_HIEU, beneficiaries=(weaver,)),
        "nowhere": make("Đề án toàn tỉnh", None),
        "elsewhere": make("Đề án Khánh Hòa", KH_COMMUNE, province=KHANH_HOA),
    }


def test_the_policy_lets_the_commune_read_its_located_projects_and_nothing_else(commune, placed):
    seen = set(selectors.visible_projects(commune).values_list("title", flat=True))
    assert seen == {"Đề án tại Chiềng Sơn", "Dự thảo tại Chiềng Sơn"}
    here, there = placed["here"], placed["there"]
    assert policy.can(commune, policy.Action.VIEW, here)
    assert policy.can(commune, policy.Action.VIEW_HISTORY, here)
    assert not policy.can(commune, policy.Action.VIEW, there)
    assert not policy.can(commune, policy.Action.VIEW, placed["nowhere"])
    writes = [a for a in policy.Action if a.name.endswith("_PROJECT")] + [
        policy.Action.RECORD_PAYMENT,
        policy.Action.ATTACH_PROJECT_FILE,
        policy.Action.REPORT_PROGRESS,
        policy.Action.SIGN_OFF_FINANCE,
        policy.Action.COSIGN_PAYMENT,
    ]
    for action in writes:
        decision = policy.can(commune, action, here)
        assert not decision, action
        assert decision.reason.startswith("Vai trò “Cán bộ UBND xã/phường” không được phép")


def test_the_province_and_nation_still_read_by_the_unit(user_for, sct, national, placed):
    """The place adds nothing above the commune: Sơn La's rows by ``unit_id``, every row for
    the nation (the scope's SQL is unchanged for them)."""
    assert selectors.visible_projects(sct).count() == 4
    assert selectors.visible_projects(national).count() == 5
    sql = str(selectors.visible_projects(sct).query)
    assert "location_id" not in sql.split("WHERE")[1]


def test_a_representative_reads_only_what_its_establishment_benefits_from(user_for, tea, placed):
    representative = user_for(Role.ESTABLISHMENT, CHIENG_SON, establishment=tea)
    assert list(selectors.visible_projects(representative)) == [placed["here"]]
    # Located in its commune is not enough: the draft has no beneficiary.
    assert not policy.can(representative, policy.Action.VIEW, placed["draft"])


def test_the_list_its_filter_and_its_export_show_the_commune_s_projects(
    client, commune, placed, unit
):
    client.force_login(commune)
    page = client.get(reverse("projects:project_list")).content.decode()
    assert "Đề án tại Chiềng Sơn" in page
    assert "Dự thảo tại Chiềng Sơn" in page
    for other in ("Đề án tại Tô Hiệu", "Đề án toàn tỉnh", "Đề án Khánh Hòa"):
        assert other not in page
    assert reverse("projects:project_create") not in page  # no "Lập đề án"
    filtered = client.get(reverse("projects:project_list"), {"xa": CHIENG_SON})
    assert "Đề án tại Chiềng Sơn" in filtered.content.decode()
    response = client.get(reverse("projects:project_export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    titles = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert {"Đề án tại Chiềng Sơn", "Dự thảo tại Chiềng Sơn"} <= titles
    assert not titles & {"Đề án tại Tô Hiệu", "Đề án toàn tỉnh", "Đề án Khánh Hòa"}


def test_the_project_page_is_read_only_for_the_commune(client, commune, centre, placed):
    here = placed["here"]
    services.add_attachment(
        actor=centre,
        project=here,
        upload=SimpleUploadedFile("bien-ban.pdf", PDF),
        description="Biên bản khảo sát",
    )
    client.force_login(commune)
    response = client.get(reverse("projects:project_detail", args=[here.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đề án tại Chiềng Sơn" in page
    assert f'href="{reverse("projects:project_edit", args=[here.pk])}"' not in page
    for name in (
        "project_transition",
        "advance_create",
        "payment_create",
        "progress_create",
        "inspection_create",
        "attachment_upload",
    ):
        assert f'action="{reverse(f"projects:{name}", args=[here.pk])}"' not in page, name
    attachment = here.attachments.get()
    download = reverse("projects:attachment_download", args=[here.pk, attachment.pk])
    assert download in page
    assert client.get(download).status_code == 200
    history = reverse("audit:object_history", args=["projects.Project", here.pk])
    assert history in page
    assert client.get(history).status_code == 200
    document = reverse("projects:project_document", args=[here.pk, "quyet-dinh", "docx"])
    assert client.get(document).status_code == 200


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("project_edit", {}),
        ("project_transition", {"action": "trinh"}),
        ("advance_create", {}),
        ("payment_create", {}),
        ("progress_create", {}),
        ("inspection_create", {}),
        ("attachment_upload", {}),
    ],
)
def test_every_write_is_refused_to_the_commune_with_the_reason(client, commune, placed, name, data):
    here = placed["here"] if name != "project_edit" else placed["draft"]
    client.force_login(commune)
    response = client.post(
        reverse(f"projects:{name}", args=[here.pk]), {"version": here.version, **data}
    )
    assert response.status_code == 403
    # The policy's reason, shown (the role's name alone is on every page, in the header).
    assert "Vai trò “Cán bộ UBND xã/phường” không được phép" in response.content.decode()


def test_another_commune_s_project_and_one_located_nowhere_are_404(client, commune, placed):
    client.force_login(commune)
    for name in ("there", "nowhere", "elsewhere"):
        pk = placed[name].pk
        assert client.get(reverse("projects:project_detail", args=[pk])).status_code == 404
        history = reverse("audit:object_history", args=["projects.Project", pk])
        assert client.get(history).status_code == 404
        transition = reverse("projects:project_transition", args=[pk])
        assert client.post(transition, {"action": "trinh"}).status_code == 404


def test_the_establishment_page_lists_the_projects_located_in_the_commune(
    client, commune, placed, tea, weaver
):
    """The establishment's support history, as the commune reads it: its projects the commune
    may read (those located in the commune)."""
    placed["there"].beneficiaries.add(tea)  # tea also benefits from a Tô Hiệu project
    client.force_login(commune)
    page = client.get(reverse("registry:establishment_detail", args=[tea.pk])).content.decode()
    assert "Đề án tại Chiềng Sơn" in page
    assert "Đề án tại Tô Hiệu" not in page


def test_the_api_reads_and_refuses_writes(client, commune, placed):
    client.force_login(commune)
    listed = client.get("/api/v1/projects").json()
    rows = listed.get("results", listed)
    assert {r["title"] for r in rows} == {"Đề án tại Chiềng Sơn", "Dự thảo tại Chiềng Sơn"}
    here, draft = placed["here"], placed["draft"]
    assert client.get(f"/api/v1/projects/{here.pk}").status_code == 200
    assert client.get(f"/api/v1/projects/{placed['there'].pk}").status_code == 404
    for suffix in ("signoffs", "disbursements", "documents"):
        assert client.get(f"/api/v1/projects/{here.pk}/{suffix}").status_code == 200
    refused = client.post(
        f"/api/v1/projects/{draft.pk}/transitions/trinh",
        json.dumps({"comment": "x"}),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{draft.version}"',
    )
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["detail"].startswith("Vai trò “Cán bộ UBND xã/phường” không được phép")


def test_the_change_feed_follows_the_project_into_and_out_of_the_commune(
    client, commune, centre, placed, unit
):
    client.force_login(commune)

    def feed() -> list[tuple[int, str]]:
        body = client.get("/api/v1/changes", {"resource": "projects", "since": 0}).json()
        return [(entry["id"], entry["change"]) for entry in body["results"]]

    seen = {pk for pk, _change in feed()}
    assert seen == {placed["here"].pk, placed["draft"].pk}
    draft = placed["draft"]
    draft.location = unit(TO_HIEU)
    draft.version += 1
    draft.save()
    assert feed()[-1] == (draft.pk, "moved_out")
    # The province still holds it: no move out for Sơn La's readers.
    client.force_login(centre)
    assert (draft.pk, "moved_out") not in feed()
    # Located nowhere any more, it leaves Tô Hiệu but stays Sơn La's.
    draft.location = None
    draft.version += 1
    draft.save()
    assert (draft.pk, "moved_out") not in feed()
    client.force_login(commune)
    assert [change for pk, change in feed() if pk == draft.pk][-1] == "moved_out"


def test_the_commune_hears_nothing_of_the_province_s_workflow(
    user_for, commune, centre, sct, placed
):
    """Commune officers take no step of a project (DOMAIN.md: they register needs and report;
    the province appraises and approves): reading one is not being asked to act on it."""
    draft = placed["draft"]
    step(centre, draft, Step.SUBMIT)
    assert Notification.objects.filter(recipient__in=[sct]).exists()
    assert not Notification.objects.filter(recipient=commune).exists()


def test_the_commune_s_home_page_has_no_projects_to_handle(client, commune, placed):
    assert selectors.waiting_for(commune) is None
    client.force_login(commune)
    page = client.get(reverse("home")).content.decode()
    assert "Đề án chờ bạn xử lý" not in page


def test_the_bench_samples_for_the_commune_an_establishment_with_a_project_it_reads(
    unit: Any, tea: Any, commune: Any
) -> None:
    """The national bench samples the establishment detail of the same shape at every scale:
    for a commune, one supported by a project the commune reads (located in it). "Some
    project" sampled one supported only by a province-wide project at one scale: its support
    history was empty there, and the page's query count differed (8 → 7)."""
    from khuyencong.bench_national import _sample_establishment
    from khuyencong.registry.selectors import establishments_for

    from .conftest import establishment, make_registration

    build_project(unit, title="Đề án toàn tỉnh", location=None, beneficiaries=(tea,))
    potter = establishment(unit, CHIENG_SON, "Cơ sở gốm Chiềng Sơn")
    build_project(unit, title="Đề án tại Chiềng Sơn", location=CHIENG_SON, beneficiaries=(potter,))
    for registered in (tea, potter):
        make_registration(unit, registered, status="chap-nhan")
    sample = _sample_establishment(establishments_for(commune), selectors.visible_projects(commune))
    assert sample == potter
