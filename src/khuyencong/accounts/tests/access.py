"""Access-matrix declarations of the accounts URLs and the pages we do not write."""

from khuyencong.accounts.access_matrix import MATRIX, OTHER_OWNER, Kind, Role, view

# Django's admin is for staff (none of the cast); allauth's pages are the user's own account,
# and so are ours beside them (the TOTP set-up, the refused e-mail management).
MATRIX.third_party(prefix="quan-tri/", kind=Kind.STAFF)
MATRIX.third_party(prefix="tai-khoan/", kind=Kind.ACCOUNT)

# Switching to an assignment that is someone else's is refused with a message, not revealed.
MATRIX.page(
    "accounts:switch_role",
    post=view(),
    data=lambda w, _: {"assignment": w.users[OTHER_OWNER].current_assignment_id, "next": "/"},
)
MATRIX.page(
    "accounts:staff_list",
    get=view(Role.SYSTEM_ADMIN),
    queries=[lambda w: {"q": "Cán bộ"}],
)
