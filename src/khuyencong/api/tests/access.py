"""Access-matrix declarations of /api/v1/ (read by a session, as a browser would): the same
reach as the web pages of each resource — out of scope 404, in scope 200."""

from khuyencong.accounts.access_matrix import (
    MATRIX,
    UNIT_CODES,
    Place,
    Reach,
    Role,
    Subject,
    change,
    probe,
    view,
)

ESTABLISHMENT = Subject("establishment", (Place.E1, Place.E2, Place.E3, Place.F1))
#: The projects app's objects (projects/tests/access.py): a draft, a project being carried out
#: (money, files) and its files, at each province and located in each commune of P.
PROJECT_PLACES = (Place.P, Place.Q, Place.C1, Place.C2)
PROJECT = Subject("project", PROJECT_PLACES)
LIVE = Subject("project-live", PROJECT_PLACES)
ATTACHMENT = Subject("project-attachment", PROJECT_PLACES)
#: The planning app's: rounds are read from below, registrations follow the establishment.
ROUND = Subject("round", (Place.N, Place.P, Place.Q), view_reach=Reach.SUBTREE_AND_ANCESTORS)
REGISTRATION = Subject("registration", (Place.E1, Place.E2, Place.E3, Place.F1))
PLAN = Subject("plan", (Place.P, Place.Q))
#: The awards app's (council members see only what their seat gives them).
SEATED = frozenset({Role.COUNCIL_MEMBER})
SELECTION_ROUND = Subject(
    "selection-round",
    (Place.N, Place.P, Place.Q),
    view_reach=Reach.SUBTREE_AND_ANCESTORS,
    change_reach=Reach.OWN_UNIT,
    unseen_by=SEATED,
)
RESULT = Subject(
    "selection-result",
    (Place.P, Place.Q),
    view_reach=Reach.SUBTREE_AND_ANCESTORS,
    change_reach=Reach.OWN_UNIT,
    unseen_by=SEATED,
)
PRODUCT = Subject("product", (Place.E1, Place.E2, Place.E3, Place.F1), unseen_by=SEATED)
CERTIFICATE = Subject("certificate", (Place.E1, Place.F1), unseen_by=SEATED)
#: The reporting app's: read by the unit and every level above, never by those without reports.
REPORT = Subject(
    "report", (Place.P, Place.Q, Place.C1, Place.C2, Place.D1), change_reach=Reach.OWN_UNIT
)
REPORT_READERS = tuple(set(Role) - {Role.ESTABLISHMENT, Role.COUNCIL_MEMBER})
UNIT = Subject("unit", (Place.N, Place.P, Place.Q, Place.C1, Place.C2, Place.D1))
PROGRAMME = Subject(
    "programme",
    (Place.N, Place.P, Place.Q, Place.C1, Place.C2, Place.D1),
    view_reach=Reach.SUBTREE_AND_ANCESTORS,
    change_reach=Reach.OWN_UNIT,
)

MATRIX.public("api:schema", "api:swagger", "api:redoc")
# Writes: the policy answers before the body is read (a form-encoded body is then 415).
CHANGERS = (Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE, Role.PROVINCE_SCT, Role.SYSTEM_ADMIN)
MATRIX.page(
    "api:establishment-list",
    get=view(),
    post=view(*CHANGERS),
    data=lambda w, _: {"name": probe(w.get(ESTABLISHMENT, Place.F1).name)},
    queries=[
        lambda w: {"q": probe(w.get(ESTABLISHMENT, Place.F1).name)},
        lambda w: {"xa": w.units[Place.D1].code},
    ],
)
MATRIX.object("api:establishment-detail", ESTABLISHMENT, lambda e: {"pk": e.pk}, get=view())
#: The registry's artisans (registry/tests/access.py builds one per establishment).
ARTISAN = Subject("artisan", ESTABLISHMENT.places)
MATRIX.page(
    "api:artisan-list",
    get=view(),
    post=view(*CHANGERS),
    # An establishment elsewhere named in the body: refused, never shown.
    data=lambda w, _: {
        "full_name": "Nghệ nhân mới",
        "title": "cap-tinh",
        "commune": w.units[Place.D1].code,
        "establishment": w.get(ESTABLISHMENT, Place.F1).pk,
    },
    queries=[
        lambda w: {"q": probe(w.get(ARTISAN, Place.F1).full_name)},
        lambda w: {"xa": w.units[Place.D1].code},
    ],
)
MATRIX.object("api:artisan-detail", ARTISAN, lambda a: {"pk": a.pk}, get=view())
MATRIX.page(
    "api:project-list",
    get=view(),
    queries=[lambda w: {"q": probe(w.get(PROJECT, Place.Q).title)}],
)
MATRIX.object("api:project-detail", PROJECT, lambda p: {"pk": p.pk}, get=view())
MATRIX.object(
    "api:project-transitions",
    PROJECT,
    lambda p: {"pk": p.pk, "step": "trinh"},
    post=change(Role.PROVINCE_CENTRE),
    data=lambda w, p: {"comment": "x"},
)
MATRIX.page("api:changes", get=view(), queries=[lambda w: {"since": 0, "limit": 1000}])
MATRIX.page("api:unit-list", get=view())
MATRIX.object("api:unit-detail", UNIT, lambda u: {"pk": u.pk}, get=view())
MATRIX.page("api:programme-list", get=view(), queries=[lambda w: {"don_vi": w.units[Place.Q].code}])
MATRIX.object("api:programme-detail", PROGRAMME, lambda p: {"code": p.code}, get=view())
for name in ("signoffs", "disbursements", "documents"):
    MATRIX.object(f"api:project-{name}", LIVE, lambda p: {"pk": p.pk}, get=view())
MATRIX.object(
    "api:project-document-file",
    ATTACHMENT,
    lambda a: {"pk": a.project_id, "document": a.pk},
    get=view(),
)
MATRIX.page("api:round-list", get=view())
MATRIX.object("api:round-detail", ROUND, lambda r: {"pk": r.pk}, get=view())
REGISTRANTS = (Role.COMMUNE_OFFICER, Role.ESTABLISHMENT)
MATRIX.page(
    "api:registration-list",
    get=view(),
    post=view(*REGISTRANTS),
    data=lambda w, _: {"activity": "x"},
    queries=[lambda w: {"xa": w.units[Place.D1].code}],
)
MATRIX.object(
    "api:registration-transitions",
    REGISTRATION,
    lambda r: {"pk": r.pk, "step": "gui"},
    post=change(*REGISTRANTS),
    data=lambda w, r: {"comment": "x"},
    participants=[*REGISTRANTS, Role.PROVINCE_CENTRE, Role.PROVINCE_SCT],
)

MATRIX.object("api:registration-detail", REGISTRATION, lambda r: {"pk": r.pk}, get=view())
MATRIX.page("api:plan-list", get=view(), queries=[lambda w: {"nam": 2026}])
MATRIX.object("api:plan-detail", PLAN, lambda p: {"pk": p.pk}, get=view())
# Norms are published legal data: every user reads them and asks the calculator.
MATRIX.page("api:norm-list", get=view(), queries=[lambda w: {"nguon": "KCDP"}])
MATRIX.page(
    "api:support-limit",
    post=view(),
    data=lambda w, _: {"content": "may-moc-thiet-bi", "fund": "KCQG", "eligible_cost": 1},
)
MATRIX.page("api:selection-round-list", get=view())
MATRIX.object("api:selection-round-detail", SELECTION_ROUND, lambda r: {"code": r.code}, get=view())
MATRIX.object("api:selection-round-results", RESULT, lambda r: {"code": r.code}, get=view())
MATRIX.page(
    "api:product-list",
    get=view(),
    queries=[lambda w: {"q": probe(w.get(PRODUCT, Place.F1).name)}],
)
MATRIX.object("api:product-detail", PRODUCT, lambda p: {"pk": p.pk}, get=view())
MATRIX.page("api:certificate-list", get=view())
ENTRY = Subject("selection-entry", (Place.E1, Place.E2, Place.E3, Place.F1), unseen_by=SEATED)
MATRIX.page(
    "api:entry-list",
    get=view(),
    queries=[lambda w: {"xa": w.units[Place.D1].code}, lambda w: {"trang_thai": "da-nop"}],
)
MATRIX.object("api:entry-detail", ENTRY, lambda e: {"pk": e.pk}, get=view())
#: Score sheets as the sheet page shows them: the judge's own (no judge is in the cast), and
#: after the close to the roles that see scores; nobody else even learns they exist.
SCORE_READERS = (Role.COMMUNE_OFFICER, Role.PROVINCE_SCT, Role.NATIONAL_OFFICER)
SHEET = Subject(
    "score-sheet", (Place.P, Place.Q), unseen_by=frozenset(Role) - frozenset(SCORE_READERS)
)
MATRIX.page("api:score-sheet-list", get=view())
MATRIX.object("api:score-sheet-detail", SHEET, lambda s: {"pk": s.pk}, get=view(*SCORE_READERS))
# Only the sheet's judge writes it (PUT/PATCH: api/tests/test_sheet_access.py) or reopens it:
# nobody in the cast; those who read it 403 with the reason, the others 404.
MATRIX.object(
    "api:score-sheet-reopen",
    SHEET,
    lambda s: {"pk": s.pk},
    post=change(),
    data=lambda w, s: {"reason": "Chấm nhầm"},
)
#: Sheets the P round's judge may still write, in a round of P being scored (sealed: nobody in
#: the cast sees them): a draft of E1's product, a submitted one of E2's (the status-code test
#: writes and reopens them).
OPEN_SHEET = "score-sheet-open"


@MATRIX.builder
def open_sheets(world):
    from khuyencong.awards.models import RoundStatus
    from khuyencong.awards.tests.conftest import build_entry, build_round, build_sheet, seat
    from khuyencong.geo.models import AdministrativeUnit

    round_ = build_round(
        lambda code: AdministrativeUnit.objects.current().get(code=code),
        code="ma-tran-dang-cham-p",
        organiser=UNIT_CODES[Place.P],
        status=RoundStatus.SCORING,
    )
    judge = seat(round_, world.get("council-member", Place.P).user)
    for place, total in ((Place.E1, None), (Place.E2, 80)):
        entry = build_entry(round_, world.get(PRODUCT, place))
        world.put(OPEN_SHEET, place, build_sheet(entry, judge, total=total))


MATRIX.object("api:certificate-detail", CERTIFICATE, lambda c: {"pk": c.pk}, get=view())
MATRIX.page("api:report-list", get=view(*REPORT_READERS), queries=[lambda w: {"ky": "2026-H2"}])
MATRIX.object("api:report-detail", REPORT, lambda r: {"pk": r.pk}, get=view(*REPORT_READERS))
# The dashboard's figures for the reader's own scope (a unit of another province: 404).
MATRIX.page(
    "api:report-rollup",
    get=view(*REPORT_READERS),
    queries=[lambda w: {"ky": "2026-H1"}, lambda w: {"don_vi": w.units[Place.D1].pk}],
)
# The import checks the role before it reads the file (an empty body is a file with no rows).
MATRIX.page("api:establishment-import", post=view(*CHANGERS))

#: An API client of each province, issued by the nation's administrator; managed (rotated,
#: revoked) by the administrators whose scope holds its unit.
API_CLIENT = Subject("api-client", (Place.P, Place.Q))
ADMIN = Role.SYSTEM_ADMIN


@MATRIX.builder
def api_clients(world):
    from khuyencong.api import services

    for place in API_CLIENT.places:
        issued = services.issue_client(
            actor=world.users[f"{ADMIN.value}@{Place.N.value}"],
            name=world.mark(place, "Máy khách"),
            unit=world.units[place],
            role=Role.PROVINCE_CENTRE,
            scopes=["establishments:read"],
        )
        assert issued.client.unit.code == UNIT_CODES[place]
        world.put(API_CLIENT, place, issued.client)


MATRIX.page("api_clients:list", get=view(ADMIN))
MATRIX.page(
    "api_clients:create",
    get=view(ADMIN),
    post=view(ADMIN),
    data=lambda w, _: {"name": "Phần mềm", "role": Role.PROVINCE_CENTRE.value},
)
for name in ("rotate", "revoke"):
    MATRIX.object(
        f"api_clients:{name}",
        API_CLIENT,
        lambda c: {"pk": c.pk},
        post=change(ADMIN),
        data=lambda w, c: {"version": c.version},
    )
