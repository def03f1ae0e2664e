"""Access-matrix declarations of the unit pages."""

from khuyencong.accounts.access_matrix import MATRIX, Place, Role, Subject, change, view

UNIT = Subject("unit", (Place.N, Place.P, Place.Q, Place.C1, Place.C2, Place.D1))
EDITORS = (Role.COMMUNE_OFFICER, Role.PROVINCE_SCT, Role.SYSTEM_ADMIN)


@MATRIX.builder
def units(world):
    for place, unit in world.units.items():
        world.put(UNIT, place, unit)


MATRIX.page("geo:unit_list", get=view(), queries=[lambda w: {"q": "Khánh"}, lambda w: {"cap": 3}])
MATRIX.object("geo:unit_detail", UNIT, lambda u: {"code": u.code}, get=view())
MATRIX.object(
    "geo:unit_edit",
    UNIT,
    lambda u: {"code": u.code},
    get=change(*EDITORS),
    post=change(*EDITORS),
    data=lambda w, u: {"address": "Số 1", "phone": "", "email": "", "version": u.version},
)
MATRIX.page(
    "geo:unit_suggest",
    get=view(),
    queries=[
        lambda w: {"truong": "q", "q": "Khánh"},
        lambda w: {"truong": "xa", "xa": "xa", "cap": 3},
    ],
)
