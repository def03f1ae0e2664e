"""Access-matrix declarations of /api/v1/ (read by a session, as a browser would): the same
reach as the web pages of each resource — out of scope 404, in scope 200."""

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

ESTABLISHMENT = Subject("establishment", (Place.E1, Place.E2, Place.E3, Place.F1))
PROJECT = Subject("project", (Place.P, Place.Q))
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
