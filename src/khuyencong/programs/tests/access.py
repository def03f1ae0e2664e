"""Access-matrix declarations of the programme URLs: read from below, changed by the owner."""

from khuyencong.accounts.access_matrix import (
    MATRIX,
    Place,
    Reach,
    Role,
    Subject,
    change,
    view,
)
from khuyencong.programs.models import ActivityLine, ContentGroup, Programme, ProgrammeLevel
from khuyencong.programs.services import sync_content_groups

PLACES = (Place.N, Place.P, Place.Q, Place.C1, Place.C2, Place.D1)
PROGRAMME = Subject(
    "programme", PLACES, view_reach=Reach.SUBTREE_AND_ANCESTORS, change_reach=Reach.OWN_UNIT
)
LINE = Subject(
    "programme-line", PLACES, view_reach=Reach.SUBTREE_AND_ANCESTORS, change_reach=Reach.OWN_UNIT
)
EDITORS = (Role.PROVINCE_CENTRE, Role.PROVINCE_SCT, Role.NATIONAL_OFFICER, Role.COMMUNE_OFFICER)
LEVELS = {0: ProgrammeLevel.NATIONAL, 1: ProgrammeLevel.PROVINCE, 3: ProgrammeLevel.COMMUNE}


@MATRIX.builder
def programmes(world):
    sync_content_groups()  # a transactional test may have emptied the database
    group = ContentGroup.objects.order_by("number").first()
    for place in PLACES:
        unit = world.units[place]
        programme = Programme.objects.create(
            code=f"ma-tran-{place.value.lower()}",
            level=LEVELS[unit.level],
            unit=unit,
            title=world.mark(place, "Chương trình"),
            start_year=2026,
            end_year=2030,
        )
        world.put(PROGRAMME, place, programme)
        line = ActivityLine.objects.create(
            programme=programme, group=group, name=world.mark(place, "Dòng"), order=1
        )
        world.put(LINE, place, line)


def _programme(p):
    return {"code": p.code}


def _line(line):
    return {"code": line.programme.code, "order": line.order}


MATRIX.page(
    "programs:programme_list",
    get=view(),
    queries=[lambda w: {"don_vi": w.units[Place.Q].code}, lambda w: {"cap": "commune"}],
)
MATRIX.object("programs:programme_detail", PROGRAMME, _programme, get=view())
MATRIX.object(
    "programs:programme_status",
    PROGRAMME,
    _programme,
    post=change(*EDITORS),
    data=lambda w, p: {"action": "supersede", "version": p.version, "reason": "Thay thế"},
)
MATRIX.object(
    "programs:line_add", PROGRAMME, _programme, get=change(*EDITORS), post=change(*EDITORS)
)
MATRIX.object(
    "programs:line_edit",
    LINE,
    _line,
    get=change(*EDITORS),
    post=change(*EDITORS),
    data=lambda w, line: {"version": line.version},
)
MATRIX.object(
    "programs:line_delete",
    LINE,
    _line,
    post=change(*EDITORS),
    data=lambda w, line: {"version": line.version, "reason": "Bỏ dòng"},
)
for name in ("export_xlsx", "export_docx", "export_pdf"):
    MATRIX.object(f"programs:{name}", PROGRAMME, _programme, get=view())
MATRIX.object(
    "programs:import_xlsx", PROGRAMME, _programme, get=change(*EDITORS), post=change(*EDITORS)
)
