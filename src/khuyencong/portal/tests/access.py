"""Access-matrix declarations of the portal's URLs (see accounts/access_matrix.py): every one
is public — no login, the same page for everyone. What they may show is decided by
``policy.public_queryset`` / ``public_aggregates`` and tested in this app's tests (no
unpublished product, contact, identity number or single project reaches them)."""

from khuyencong.accounts.access_matrix import MATRIX

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
    "portal:language",
)
