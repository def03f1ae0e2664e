"""Access-matrix declarations of the project (đề án) URLs: projects belong to a province; one
located in a commune (C1, C2: a Sơn La project carried out there, for an establishment of it) is
read by that commune's officers too, and changed only by the province."""

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.access_matrix import (
    MATRIX,
    UNIT_CODES,
    Place,
    Role,
    Subject,
    change,
    probe,
    view,
)
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.projects import services
from khuyencong.projects.cosigning import load_default_rules
from khuyencong.projects.models import Project
from khuyencong.projects.tests.conftest import MILLION, D, build_project
from khuyencong.projects.workflow import KCDP, State

#: A draft (edited, submitted) and a project being carried out (money, reports, files).
PLACES = (Place.P, Place.Q, Place.C1, Place.C2)
DRAFT = Subject("project", PLACES)
LIVE = Subject("project-live", PLACES)
ATTACHMENT = Subject("project-attachment", PLACES)
CENTRE, SCT, FINANCE, NATIONAL = (
    Role.PROVINCE_CENTRE,
    Role.PROVINCE_SCT,
    Role.PROVINCE_FINANCE,
    Role.NATIONAL_OFFICER,
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _unit(code):
    return AdministrativeUnit.objects.current().get(code=code)


CENTRES = {Place.P: "trung-tam-khuyen-cong@P", Place.Q: "trung-tam-khuyen-cong@Q"}
#: Where the projects at a commune place are carried out: Sơn La's, for the commune's first
#: establishment (so its representative reads it too, and only its shared files).
COMMUNES = {Place.C1: Place.E1, Place.C2: Place.E3}


@MATRIX.builder
def projects(world):
    for place in DRAFT.places:
        province = place if place in CENTRES else Place.P
        where = {"province": UNIT_CODES[province]}
        if place in COMMUNES:
            where |= {
                "location": UNIT_CODES[place],
                "beneficiaries": (world.get("establishment", COMMUNES[place]),),
            }
        world.put(DRAFT, place, build_project(_unit, title=world.mark(place), **where))
        live = build_project(_unit, state=State.IMPLEMENTING, title=world.mark(place), **where)
        world.put(LIVE, place, live)
        attachment = services.add_attachment(
            actor=world.users[CENTRES[province]],
            project=live,
            upload=SimpleUploadedFile("bien-ban.pdf", PDF),
            description=world.mark(place, "Tệp"),
            shared=place in COMMUNES,
        )
        world.put(ATTACHMENT, place, attachment)


def _pk(project):
    return {"pk": project.pk}


def _version(prefix=""):
    return lambda w, p: {f"{prefix}version": p.version}


LIST_QUERIES = [
    lambda w: {"dong": w.get("programme-line", Place.Q).pk},
    lambda w: {"xa": w.units[Place.D1].code},
    lambda w: {"q": probe(w.get(LIVE, Place.Q).title)},
]
MATRIX.page("projects:project_list", get=view(), queries=LIST_QUERIES)
MATRIX.page("projects:project_export", get=view(), queries=LIST_QUERIES)
MATRIX.page(
    "projects:project_create",
    get=view(CENTRE, at=[Place.P]),
    post=view(CENTRE, at=[Place.P]),
    queries=[lambda w: {"phieu": w.get("registration", Place.F1).pk}],
)
MATRIX.object("projects:project_detail", LIVE, _pk, get=view())
MATRIX.object(
    "projects:project_edit", DRAFT, _pk, get=change(CENTRE), post=change(CENTRE), data=_version()
)
MATRIX.object(
    "projects:project_transition",
    DRAFT,
    _pk,
    post=change(CENTRE),
    data=lambda w, p: {"action": "trinh", "version": p.version},
    participants=[CENTRE, SCT, FINANCE, NATIONAL],
)
MATRIX.object("projects:advance_create", LIVE, _pk, post=change(CENTRE), data=_version("tamung-"))
MATRIX.object(
    "projects:payment_create", LIVE, _pk, post=change(CENTRE), data=_version("thanhtoan-")
)
MATRIX.object("projects:progress_create", LIVE, _pk, post=change(CENTRE), data=_version())
MATRIX.object("projects:inspection_create", LIVE, _pk, post=change(SCT, NATIONAL), data=_version())
MATRIX.object(
    "projects:attachment_upload",
    LIVE,
    _pk,
    post=change(CENTRE, SCT, FINANCE, NATIONAL),
    data=lambda w, p: {"file": SimpleUploadedFile("a.pdf", PDF), "description": "Biên bản"},
)
MATRIX.object(
    "projects:attachment_download",
    ATTACHMENT,
    lambda a: {"pk": a.project_id, "attachment_pk": a.pk},
    get=view(),
)
MATRIX.object(
    "projects:project_document",
    LIVE,
    lambda p: {"pk": p.pk, "kind": "quyet-dinh", "fmt": "docx"},
    get=view(),
)

#: A final settlement payment of a local-fund project awaiting Finance's co-signature.
AWAITING = Subject("payment-awaiting-cosign", (Place.P, Place.Q))


@MATRIX.builder
def payments_awaiting_cosign(world):
    load_default_rules()  # a transactional test may have emptied the database
    for place in AWAITING.places:
        project = build_project(
            _unit,
            province=UNIT_CODES[place],
            fund=KCDP,
            state=State.ACCEPTED,
            title=world.mark(place),
        )
        payment = services.record_payment(
            actor=world.users[CENTRES[place]],
            project=project,
            expected_version=project.version,
            fund=KCDP,
            amount=100 * MILLION,
            paid_on=D(2026, 11, 22),
            note=world.mark(place, "Thanh toán"),
        )
        world.put(AWAITING, place, payment)


MATRIX.page(
    "projects:disbursement",
    get=view(CENTRE, SCT, FINANCE, NATIONAL),
    queries=[lambda w: {"nam": 2026}],
)
MATRIX.page("projects:disbursement_export", get=view(CENTRE, SCT, FINANCE, NATIONAL))
MATRIX.object(
    "projects:payment_cosign",
    AWAITING,
    lambda p: {"pk": p.project_id, "payment_pk": p.pk},
    post=change(FINANCE),
    data=lambda w, p: {
        "version": Project.objects.get(pk=p.project_id).version,
        "decision": "dong-y",
    },
)
