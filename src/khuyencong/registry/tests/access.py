"""Access-matrix declarations of the registry (cơ sở CNNT) URLs."""

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.access_matrix import (
    MATRIX,
    OTHER_OWNER,
    PARENT,
    Place,
    Role,
    Subject,
    cast,
    change,
    probe,
    view,
)
from khuyencong.registry.models import Artisan, ArtisanTitle, Establishment, ImportJob

from .helpers import csv_bytes, row

#: The subject every app's world uses: one establishment at E1, E2 (in C1), E3 (C2), F1 (D1).
ESTABLISHMENT = Subject("establishment", (Place.E1, Place.E2, Place.E3, Place.F1))
IMPORT_JOB = Subject("import-job", owned=True)
#: An artisan of each establishment, in its commune.
ARTISAN = Subject("artisan", ESTABLISHMENT.places)
CHANGERS = (Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE, Role.PROVINCE_SCT, Role.SYSTEM_ADMIN)
ELSEWHERE = (Place.E2, Place.E3, Place.F1)


@MATRIX.builder
def establishments(world):
    for number, place in enumerate(ESTABLISHMENT.places, start=1):
        establishment = Establishment.objects.create(
            name=world.mark(place, "Cơ sở"),
            legal_form="hkd",
            commune=world.units[PARENT[place]],
            product_group="2",
            tax_code=f"55001234{number:02d}",
            address=world.mark(place, "Bản"),
        )
        world.put(ESTABLISHMENT, place, establishment)
        artisan = Artisan.objects.create(
            full_name=world.mark(place, "Nghệ nhân"),
            title=ArtisanTitle.MERITORIOUS,
            craft=world.mark(place, "Nghề"),
            commune=establishment.commune,
            establishment=establishment,
        )
        world.put(ARTISAN, place, artisan)
    for label in [a.label for a in cast()] + [OTHER_OWNER]:
        user = world.users[label]
        assignment = user.current_assignment
        job = ImportJob.objects.create(
            filename="ds.xlsx", created_by=user, assignment=assignment, unit=assignment.unit
        )
        world.put_owned(IMPORT_JOB, label, job)


def _name(place):
    return lambda w: {"q": probe(w.get(ESTABLISHMENT, place).name)}


def _import_file(world, _obj):
    """Rows naming establishments elsewhere, by name and by tax code: refused, never named."""
    rows = [
        row(name=probe(w.name), commune_code=w.commune.code, tax_code="")
        for w in (world.get(ESTABLISHMENT, p) for p in ELSEWHERE)
    ] + [row(name="Cơ sở mới", tax_code=world.get(ESTABLISHMENT, Place.F1).tax_code)]
    return {"file": SimpleUploadedFile("ds.csv", csv_bytes(rows))}


LIST_QUERIES = [
    *(_name(p) for p in ELSEWHERE),
    lambda w: {"xa": w.units[Place.C2].code},
    lambda w: {"xa": w.units[Place.D1].code},
]
MATRIX.page("registry:establishment_list", get=view(), queries=LIST_QUERIES)
MATRIX.page(
    "registry:establishment_export",
    get=view(),
    queries=[lambda w: {"dinh_dang": "csv"}, *LIST_QUERIES],
)
MATRIX.page(
    "registry:establishment_create",
    get=view(*CHANGERS),
    post=view(*CHANGERS),
    data=lambda w, _: {
        "name": probe(w.get(ESTABLISHMENT, Place.F1).name),
        "commune": w.units[Place.D1].pk,
        "tax_code": w.get(ESTABLISHMENT, Place.F1).tax_code,
    },
)
MATRIX.object("registry:establishment_detail", ESTABLISHMENT, lambda e: {"pk": e.pk}, get=view())
MATRIX.object(
    "registry:establishment_edit",
    ESTABLISHMENT,
    lambda e: {"pk": e.pk},
    get=change(*CHANGERS),
    post=change(*CHANGERS),
    data=lambda w, e: {"version": e.version, "name": ""},
)
MATRIX.page("registry:import_template", get=view())
MATRIX.page("registry:import", get=view(*CHANGERS), post=view(*CHANGERS), data=_import_file)
MATRIX.object("registry:import_job", IMPORT_JOB, lambda j: {"pk": j.pk}, get=view(*CHANGERS))
MATRIX.object(
    "audit:object_history",
    ESTABLISHMENT,
    lambda e: {"model_label": "registry.establishment", "pk": e.pk},
    get=view(*(set(Role) - {Role.ESTABLISHMENT, Role.COUNCIL_MEMBER})),
)

ARTISAN_QUERIES = [
    *((lambda w, p=p: {"q": probe(w.get(ARTISAN, p).full_name)}) for p in ELSEWHERE),
    lambda w: {"xa": w.units[Place.C2].code},
    lambda w: {"xa": w.units[Place.D1].code},
]
MATRIX.page("registry:artisan_list", get=view(), queries=ARTISAN_QUERIES)
MATRIX.page(
    "registry:artisan_create",
    get=view(*CHANGERS),
    post=view(*CHANGERS),
    # An establishment elsewhere, named in the query or the form: 404 / refused, never shown.
    queries=[lambda w: {"co_so": w.get(ESTABLISHMENT, Place.F1).pk}],
    data=lambda w, _: {
        "full_name": "Nghệ nhân mới",
        "title": ArtisanTitle.PROVINCIAL,
        "commune": w.units[Place.D1].pk,
        "establishment": w.get(ESTABLISHMENT, Place.F1).pk,
    },
)
MATRIX.object(
    "registry:artisan_edit",
    ARTISAN,
    lambda a: {"pk": a.pk},
    get=change(*CHANGERS),
    post=change(*CHANGERS),
    data=lambda w, a: {"version": a.version, "full_name": ""},
)
