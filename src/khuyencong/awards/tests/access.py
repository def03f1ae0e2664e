"""Access-matrix declarations of the selection (bình chọn) URLs: products of establishments,
rounds, entries, the jury, results and certificates."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from khuyencong.accounts.access_matrix import (
    MATRIX,
    UNIT_CODES,
    Place,
    Reach,
    Role,
    Subject,
    change,
    one_level_up,
    probe,
    view,
)
from khuyencong.accounts.models import RoleAssignment, User
from khuyencong.awards import rules
from khuyencong.awards.models import Certificate, Complaint, Entry, Forwarding, HolderReport
from khuyencong.awards.services import products as services
from khuyencong.geo.models import AdministrativeUnit

from .conftest import build_entry, build_product, build_round, build_sheet, seat
from .samples import PDF, colour_jpeg, upload

PLACES = (Place.E1, Place.E2, Place.E3, Place.F1)
SEATED = frozenset({Role.COUNCIL_MEMBER})  # they see the products their council judges
PRODUCT = Subject("product", PLACES, unseen_by=SEATED)
PHOTO = Subject("product-photo", PLACES, unseen_by=SEATED)
PAPER = Subject("product-paper", PLACES, unseen_by=SEATED)
#: Rounds are read from below and run by their organiser's own unit; entries follow the
#: establishment; a commune's short-list (PL5) for its province's round.
ROUND = Subject(
    "selection-round",
    (Place.N, Place.P, Place.Q),
    view_reach=Reach.SUBTREE_AND_ANCESTORS,
    change_reach=Reach.OWN_UNIT,
    unseen_by=SEATED,
)
ENTRY = Subject("selection-entry", PLACES, unseen_by=SEATED)
FORWARDING = Subject("selection-forwarding", (Place.C1, Place.C2, Place.D1), unseen_by=SEATED)
RUNNERS = (Role.COMMUNE_OFFICER, Role.PROVINCE_SCT, Role.NATIONAL_OFFICER)
FILERS = (Role.ESTABLISHMENT, Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE)
#: A council member of each round (seated by its organiser, read with the round); the score
#: sheets of a closed entry (read by the round's unit and above with VIEW_SCORES; changed only
#: by their judge, who is not in the cast).
MEMBER = Subject(
    "council-member",
    ROUND.places,
    view_reach=Reach.SUBTREE_AND_ANCESTORS,
    change_reach=Reach.OWN_UNIT,
    unseen_by=SEATED,
)
SCORE_READERS = (Role.COMMUNE_OFFICER, Role.PROVINCE_SCT, Role.NATIONAL_OFFICER)
SHEET = Subject(
    "score-sheet", (Place.P, Place.Q), unseen_by=frozenset(Role) - frozenset(SCORE_READERS)
)
#: Whose entry each round's sheet scores.
SCORED = {Place.P: Place.E2, Place.Q: Place.F1}
ROUND_LEVELS = {
    Place.N: rules.Level.NATION,
    Place.P: rules.Level.PROVINCE,
    Place.Q: rules.Level.PROVINCE,
}
MANAGERS = (Role.ESTABLISHMENT, Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE)
#: Who adds each establishment's products in the world: an officer of its commune.
OFFICERS = {
    Place.E1: "can-bo-xa@C1",
    Place.E2: "can-bo-xa@C1",
    Place.E3: "can-bo-xa@C2",
    Place.F1: "can-bo-xa@D1",
}


@MATRIX.builder
def products(world):
    for place in PLACES:
        actor = world.users[OFFICERS[place]]
        product = services.create_product(
            actor=actor,
            establishment=world.get("establishment", place),
            data=services.ProductData(
                name=world.mark(place, "Chè"), group="2", description=world.mark(place, "Mô tả")
            ),
        )
        world.put(PRODUCT, place, product)
        photo = services.add_photo(
            actor=actor, product=product, view="truoc", upload=upload(colour_jpeg())
        )
        world.put(PHOTO, place, photo)
        paper = services.add_paper(
            actor=actor,
            product=product,
            kind="dkkd",
            upload=SimpleUploadedFile("gcn.pdf", PDF),
            description=world.mark(place, "Giấy"),
        )
        world.put(PAPER, place, paper)
    for place, level in ROUND_LEVELS.items():
        round_ = build_round(
            _unit, level=level, code=f"ma-tran-{place.value.lower()}", organiser=UNIT_CODES[place]
        )
        round_.title = world.mark(place, "Bình chọn")
        round_.save(update_fields=["title"])
        world.put(ROUND, place, round_)
    for place in PLACES:
        round_ = world.get(ROUND, Place.Q if place == Place.F1 else Place.P)
        entry = build_entry(
            round_, world.get(PRODUCT, place), status="nhap" if place == Place.E1 else "da-nop"
        )
        entry.description = world.mark(place, "Hồ sơ")
        entry.save(update_fields=["description"])
        world.put(ENTRY, place, entry)
    for place in FORWARDING.places:
        round_ = world.get(ROUND, Place.Q if place == Place.D1 else Place.P)
        forwarding = Forwarding.objects.create(
            round=round_, unit=world.units[place], letter=world.mark(place, "CV")
        )
        world.put(FORWARDING, place, forwarding)


@MATRIX.builder
def jury(world):
    """A judge on every round (marked name), and a submitted sheet for E2's and F1's entries,
    whose scoring is closed (so the sheets are no longer sealed)."""
    for place in ROUND.places:
        judge = User.objects.create_user(
            f"giam-khao.{place.value.lower()}@matrix.test", "x", full_name=world.mark(place, "GK")
        )
        RoleAssignment.objects.create(user=judge, role=Role.COUNCIL_MEMBER, unit=world.units[place])
        world.put(MEMBER, place, seat(world.get(ROUND, place), judge, "chu-tich"))
    for place, scored in SCORED.items():
        entry = world.get(ENTRY, scored)
        entry.status = "hop-le"
        entry.scoring_closed_at = timezone.now()
        entry.save(update_fields=["status", "scoring_closed_at"])
        sheet = build_sheet(entry, world.get(MEMBER, place), total=80)
        sheet.comment = world.mark(place, "Nhận xét")
        sheet.save(update_fields=["comment"])
        world.put(SHEET, place, sheet)


def _unit(code):
    return AdministrativeUnit.objects.current().get(code=code)


def _pk(product):
    return {"pk": product.pk}


MATRIX.page(
    "awards:product_list",
    get=view(),
    queries=[
        lambda w: {"q": probe(w.get(PRODUCT, Place.F1).name)},
        lambda w: {"q": probe(w.get(PRODUCT, Place.E2).name)},
        lambda w: {"xa": w.units[Place.D1].code},
    ],
)
MATRIX.page(
    "awards:product_create",
    get=view(*MANAGERS),
    queries_only=True,  # bare, it sends the user to choose an establishment
    queries=[
        lambda w: {"co_so": w.get("establishment", Place.E1).pk},
        lambda w: {"co_so": w.get("establishment", Place.F1).pk},
        lambda w: {"co_so": w.get("establishment", Place.E2).pk},
    ],
    post=view(*MANAGERS),
    data=lambda w, _: {"co_so": w.get("establishment", Place.E1).pk, "name": ""},
)
MATRIX.object("awards:product_detail", PRODUCT, _pk, get=view())
MATRIX.object(
    "awards:product_edit",
    PRODUCT,
    _pk,
    get=change(*MANAGERS),
    post=change(*MANAGERS),
    data=lambda w, p: {"version": p.version},
)
MATRIX.object(
    "awards:photo_upload", PRODUCT, _pk, post=change(*MANAGERS), data=lambda w, p: {"view": "x"}
)
MATRIX.object(
    "awards:photo_file",
    PHOTO,
    lambda f: {"pk": f.product_id, "photo_pk": f.pk, "size": "nho"},
    get=view(),
)
MATRIX.object(
    "awards:photo_delete",
    PHOTO,
    lambda f: {"pk": f.product_id, "photo_pk": f.pk},
    post=change(*MANAGERS),
)
MATRIX.object(
    "awards:paper_upload", PRODUCT, _pk, post=change(*MANAGERS), data=lambda w, p: {"kind": "x"}
)
MATRIX.object(
    "awards:paper_download",
    PAPER,
    lambda f: {"pk": f.product_id, "paper_pk": f.pk},
    get=view(),
)
MATRIX.object(
    "awards:paper_delete",
    PAPER,
    lambda f: {"pk": f.product_id, "paper_pk": f.pk},
    post=change(*MANAGERS),
)


def _code(round_):
    return {"code": round_.code}


MATRIX.page(
    "awards:round_list",
    get=view(),
    queries=[lambda w: {"cap": rules.Level.PROVINCE.value}, lambda w: {"nam": "2026"}],
)
MATRIX.page(
    "awards:round_create",
    get=view(*RUNNERS),
    post=view(*RUNNERS),
)
MATRIX.object("awards:round_detail", ROUND, _code, get=view())
MATRIX.object(
    "awards:round_edit",
    ROUND,
    _code,
    get=change(*RUNNERS),
    post=change(*RUNNERS),
    data=lambda w, r: {"version": r.version},
)
MATRIX.object(
    "awards:round_extend",
    ROUND,
    _code,
    post=change(*RUNNERS),
    data=lambda w, r: {"version": r.version},
)
MATRIX.object(
    "awards:round_step",
    ROUND,
    _code,
    post=change(*RUNNERS),
    data=lambda w, r: {"action": "huy", "version": r.version, "reason": "Hủy thử"},
)
MATRIX.object(  # a commune to its province's round, the SCT to the nation's
    "awards:forward",
    ROUND,
    _code,
    get=view(Role.COMMUNE_OFFICER, Role.PROVINCE_SCT, where=one_level_up),
)
MATRIX.object(
    "awards:shortlist_export",
    FORWARDING,
    lambda f: {"code": f.round.code, "pk": f.pk},
    get=view(),
)
MATRIX.object(
    "awards:entry_create",
    ROUND,
    _code,
    get=view(*FILERS),
    post=view(*FILERS),
    data=lambda w, r: {"san_pham": w.get(PRODUCT, Place.E1).pk},
)
MATRIX.object("awards:entry_detail", ENTRY, _pk, get=view())
MATRIX.object(
    "awards:entry_edit",
    ENTRY,
    _pk,
    get=change(*FILERS),
    post=change(*FILERS),
    data=lambda w, e: {"version": e.version},
)
MATRIX.object(
    "awards:entry_step",
    ENTRY,
    _pk,
    post=change(*FILERS),
    data=lambda w, e: {"action": "nop", "version": e.version},
    participants=[*FILERS, *RUNNERS],
)


# Hội đồng, giám khảo, chấm điểm: the organiser seats, the chair assigns and records absences
# (no chair is in the cast: everyone who sees the round is refused), a judge scores their sheet.
def _member(m):
    return {"code": m.round.code, "member_pk": m.pk}


MATRIX.object("awards:council", ROUND, _code, get=view())
MATRIX.object(
    "awards:member_add",
    ROUND,
    _code,
    post=change(*RUNNERS),
    data=lambda w, r: {"email": "khong-co@matrix.test", "council_role": "uy-vien"},
)
MATRIX.object("awards:member_remove", MEMBER, _member, post=change(*RUNNERS))
MATRIX.object(
    "awards:member_absence",
    MEMBER,
    _member,
    post=change(),
    data=lambda w, m: {"version": m.version, "reason": "Ốm"},
)
MATRIX.object(
    "awards:assign",
    ROUND,
    _code,
    post=change(),
    data=lambda w, r: {"entry": w.get(ENTRY, Place.E2).pk, "member": w.get(MEMBER, Place.P).pk},
)
MATRIX.object(
    "awards:judge_home",
    ROUND,
    _code,
    get=change(),
    post=change(),
    data=lambda w, r: {"establishment": w.get("establishment", Place.E1).pk, "relation": "x"},
)
MATRIX.object(
    "awards:sheet",
    SHEET,
    _pk,
    get=view(*SCORE_READERS),
    post=change(),
    data=lambda w, s: {"version": s.version, "comment": "Sửa"},
)


# Kết quả, công bố, văn bản, giấy chứng nhận: a published round at P and at Q, each with one
# recognised entry (of E1, of F1: a published decision lists its whole round, so each round
# holds only what every reader of the round may see) and its certificate.
RESULT = Subject(
    "selection-result",
    (Place.P, Place.Q),
    view_reach=Reach.SUBTREE_AND_ANCESTORS,
    change_reach=Reach.OWN_UNIT,
    unseen_by=SEATED,
)
CERTIFICATE = Subject("certificate", (Place.E1, Place.F1), unseen_by=SEATED)
RECOGNISED = {Place.P: Place.E1, Place.Q: Place.F1}


@MATRIX.builder
def results(world):
    for place, holder in RECOGNISED.items():
        round_ = build_round(
            _unit,
            code=f"ma-tran-ket-qua-{place.value.lower()}",
            organiser=UNIT_CODES[place],
            status="da-cong-bo",
        )
        round_.decision_number = "12/QĐ-UBND"
        round_.decision_date = round_.scoring_closes
        round_.closed_at = timezone.now()
        round_.save(update_fields=["decision_number", "decision_date", "closed_at"])
        product = build_product(world.get("establishment", holder), "Sản phẩm được công nhận")
        entry = build_entry(round_, product)
        judge = User.objects.create_user(
            f"giam-khao.ket-qua.{place.value.lower()}@matrix.test", "x", full_name="Giám khảo"
        )
        build_sheet(entry, seat(round_, judge, "chu-tich"), total=80)
        Entry.objects.filter(pk=entry.pk).update(
            mean=80, passed=True, rank=1, scoring_closed_at=timezone.now()
        )
        world.put(RESULT, place, round_)
        certificate = Certificate.objects.create(
            number=f"001/2026/GCN-{round_.pk}",
            code=f"MATRAN{place.value}",
            entry=entry,
            product=product,
            establishment=product.establishment,
            round=round_,
            level=round_.level,
            commune=entry.commune,
            issued_on=round_.decision_date,
            valid_until=rules.valid_until(round_.decision_date, round_.validity_years),
            decision="Quyết định số 12/QĐ-UBND",
        )
        world.put(CERTIFICATE, holder, certificate)


MATRIX.object("awards:results", RESULT, _code, get=view())
MATRIX.object("awards:results_xlsx", RESULT, _code, get=view())
MATRIX.object(
    "awards:round_document",
    RESULT,
    lambda r: {"code": r.code, "kind": "quyet-dinh", "fmt": "docx"},
    get=view(),
)
MATRIX.object(
    "awards:results_cap",
    RESULT,
    _code,
    post=change(*RUNNERS),
    data=lambda w, r: {"version": r.version, "max_passing": "1"},
)
MATRIX.object(
    "awards:publish",
    RESULT,
    _code,
    post=change(*RUNNERS),
    data=lambda w, r: {"version": r.version},
)
MATRIX.page(
    "awards:certificate_list", get=view(), queries=[lambda w: {"cap": rules.Level.PROVINCE.value}]
)
MATRIX.object("awards:certificate_detail", CERTIFICATE, _pk, get=view())
MATRIX.object(
    "awards:certificate_file", CERTIFICATE, lambda c: {"pk": c.pk, "fmt": "docx"}, get=view()
)
#: Revoked by the organiser of the round that issued it (the SCT for a provincial round).
MATRIX.object(
    "awards:certificate_revoke",
    CERTIFICATE,
    _pk,
    post=change(Role.PROVINCE_SCT),
    data=lambda w, c: {"version": c.version},
)
MATRIX.public("certificate_public")


# Khiếu nại, báo cáo hằng năm: a complaint about each recognised entry (decided by the organiser
# of its round: the SCT for the provincial round at P) and a yearly report of each certificate
# (filed by its holder or its commune).
COMPLAINT = Subject("selection-complaint", (Place.E1, Place.F1), unseen_by=SEATED)
HOLDER_REPORT = Subject("holder-report", (Place.E1, Place.F1), unseen_by=SEATED)


@MATRIX.builder
def aftercare(world):
    for place in COMPLAINT.places:
        certificate = world.get(CERTIFICATE, place)
        complaint = Complaint.objects.create(
            entry=certificate.entry,
            round=certificate.round,
            establishment=certificate.establishment,
            commune=certificate.commune,
            text=world.mark(place, "Khiếu nại"),
            lodged_on=certificate.issued_on,
            reply_due=certificate.issued_on,
        )
        world.put(COMPLAINT, place, complaint)
        report = HolderReport.objects.create(
            certificate=certificate,
            establishment=certificate.establishment,
            commune=certificate.commune,
            year=certificate.issued_on.year,
            due_on=certificate.issued_on.replace(year=certificate.issued_on.year + 1, month=3),
            production=world.mark(place, "Sản lượng"),
        )
        world.put(HOLDER_REPORT, place, report)


MATRIX.page("awards:complaint_list", get=view(), queries=[lambda w: {"trang_thai": "da-gui"}])
MATRIX.object(
    "awards:complaint_create",
    ENTRY,
    _pk,
    get=view(Role.ESTABLISHMENT),
    post=change(Role.ESTABLISHMENT),
    data=lambda w, e: {"text": "Đề nghị chấm lại tiêu chí 1."},
)
MATRIX.object("awards:complaint_detail", COMPLAINT, _pk, get=view())
MATRIX.object(
    "awards:complaint_decide",
    COMPLAINT,
    _pk,
    post=change(Role.PROVINCE_SCT),
    data=lambda w, c: {"version": c.version, "upheld": "0", "decision": ""},
)
MATRIX.object(
    "awards:rescoring_close",
    ENTRY,
    _pk,
    post=change(Role.PROVINCE_SCT),
    data=lambda w, e: {"version": e.version},
)
MATRIX.page("awards:holder_report_list", get=view(), queries=[lambda w: {"tre": "1"}])
MATRIX.object(
    "awards:holder_report_detail",
    HOLDER_REPORT,
    _pk,
    get=view(),
    post=change(Role.ESTABLISHMENT, Role.COMMUNE_OFFICER),
    data=lambda w, r: {"version": r.version, "production": ""},
)
