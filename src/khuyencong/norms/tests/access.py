"""Access-matrix declarations of the norm (định mức) URLs: legal data every user reads; the
system administrator keeps the rows of their own jurisdiction."""

from khuyencong.accounts.access_matrix import MATRIX, Place, Reach, Role, Subject, view
from khuyencong.accounts.access_matrix import change as may_change
from khuyencong.norms.models import SupportNorm
from khuyencong.norms.services import load_national_norms

#: Norms are published decisions: no marker, readable everywhere.
NORM = Subject("norm", (Place.N, Place.P, Place.Q), view_reach=Reach.EVERYWHERE)


@MATRIX.builder
def norms(world):
    load_national_norms()  # a transactional test may have emptied the database
    national = SupportNorm.objects.filter(jurisdiction=None).first()
    world.put(NORM, Place.N, national)
    for place in (Place.P, Place.Q):
        norm = SupportNorm.objects.get(pk=national.pk)
        norm.pk = None
        norm.jurisdiction = world.units[place]
        norm.fund = "KCDP"  # a province keeps rates for its own fund only
        norm.legal_basis = f"Quyết định của tỉnh {place.value}"
        norm.save()
        world.put(NORM, place, norm)


MATRIX.page("norms:norm_list", get=view(), queries=[lambda w: {"nguon": "KCDP"}])
MATRIX.page("norms:norm_create", get=view(Role.SYSTEM_ADMIN), post=view(Role.SYSTEM_ADMIN))
MATRIX.object(
    "norms:norm_edit",
    NORM,
    lambda n: {"pk": n.pk},
    get=may_change(Role.SYSTEM_ADMIN),
    post=may_change(Role.SYSTEM_ADMIN),
    data=lambda w, n: {"version": n.version},
)
MATRIX.page(
    "norms:calculator",
    get=view(),
    queries=[lambda w: {"content": "may-moc-thiet-bi", "fund": "KCDP", "province": "56"}],
)
