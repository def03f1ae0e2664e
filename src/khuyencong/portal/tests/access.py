"""Access-matrix declarations of the portal's URLs (see accounts/access_matrix.py): every one
is public — no login, the same page for everyone — but the signed-in consent screen at the
end. What they may show is decided by ``policy.public_queryset`` / ``public_aggregates`` and
tested in this app's tests (no unpublished product, contact, identity number or single
project reaches them)."""

from khuyencong.accounts.access_matrix import MATRIX, change
from khuyencong.awards.tests.access import MANAGERS, PRODUCT

MATRIX.public(
    "portal:catalogue",
    "portal:product_short",
    "portal:product",
    "portal:photo",
    "portal:programmes",
    "portal:programme",
    "portal:opendata",
    "portal:datapackage",
    "portal:dcat",
    "portal:dataset_file",
    "portal:gs1",
    "portal:gs1_resolver",
    "portal:sitemap",
    "portal:robots",
)

# The consent screen is the product's (awards' PRODUCT subject): its managers choose, readers
# in scope hear 403 with the reason, everyone else 404.
MATRIX.object(
    "portal:consent",
    PRODUCT,
    lambda p: {"pk": p.pk},
    get=change(*MANAGERS),
    post=change(*MANAGERS),
    data=lambda w, p: {"version": 0, "publish": "on"},
)
