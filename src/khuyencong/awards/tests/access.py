"""Access-matrix declarations of the selection (bình chọn) URLs: products of establishments."""

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.access_matrix import (
    MATRIX,
    Place,
    Role,
    Subject,
    change,
    probe,
    view,
)
from khuyencong.awards.services import products as services

from .samples import PDF, colour_jpeg, upload

PLACES = (Place.E1, Place.E2, Place.E3, Place.F1)
SEATED = frozenset({Role.COUNCIL_MEMBER})  # they see the products their council judges
PRODUCT = Subject("product", PLACES, unseen_by=SEATED)
PHOTO = Subject("product-photo", PLACES, unseen_by=SEATED)
PAPER = Subject("product-paper", PLACES, unseen_by=SEATED)
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
