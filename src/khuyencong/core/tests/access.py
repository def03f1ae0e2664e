"""Access-matrix declarations of core's URLs (see accounts/access_matrix.py)."""

from khuyencong.accounts.access_matrix import MATRIX, view

MATRIX.public("healthz", "set_language")
MATRIX.page("home", get=view())
