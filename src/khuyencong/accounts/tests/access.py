"""Access-matrix declarations of the accounts URLs and the pages we do not write."""

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.access_matrix import (
    MATRIX,
    OTHER_OWNER,
    UNIT_CODES,
    Kind,
    Place,
    Role,
    Subject,
    change,
    view,
)
from khuyencong.accounts.models import RoleAssignment, User

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

# --------------------------------------------------------------------------------------------
# Account administration (quản trị người dùng): system administrators only, within their scope.
# --------------------------------------------------------------------------------------------
#: An account holding one role at its place: outside the scope 404 for everyone; inside it,
#: 403 with the reason for every role but the administrator.
ACCOUNT = Subject("account", (Place.P, Place.Q, Place.C1, Place.C2, Place.D1))
ADMIN = Role.SYSTEM_ADMIN
ACCOUNT_ROLES = {
    Place.P: Role.PROVINCE_CENTRE,
    Place.Q: Role.PROVINCE_CENTRE,
    Place.C1: Role.COMMUNE_OFFICER,
    Place.C2: Role.COMMUNE_OFFICER,
    Place.D1: Role.COMMUNE_OFFICER,
}


@MATRIX.builder
def accounts(world):
    for place in ACCOUNT.places:
        user = User.objects.create_user(
            f"tai-khoan.{place.value.lower()}@matrix.test", "x", full_name=world.mark(place, "Ông")
        )
        user.current_assignment = RoleAssignment.objects.create(
            user=user, role=ACCOUNT_ROLES[place], unit=world.units[place]
        )
        user.save(update_fields=["current_assignment"])
        world.put(ACCOUNT, place, user)


def _account(user):
    return {"pk": user.pk}


def _reason(w, user):
    return {"version": user.version, "reason": "Chuyển công tác"}


MATRIX.page(
    "accounts:user_create",
    get=view(ADMIN),
    post=view(ADMIN),
    data=lambda w, _: {
        "full_name": "Lò Văn Minh",
        "email": "minh@matrix.test",
        "role": Role.COMMUNE_OFFICER.value,
        "unit": UNIT_CODES[Place.C1],
    },
)
MATRIX.page(
    "accounts:user_import",
    get=view(ADMIN),
    post=view(ADMIN),
    data=lambda w, _: {"file": SimpleUploadedFile("can-bo.xlsx", b"not a workbook")},
)
MATRIX.page("accounts:user_import_template", get=view(ADMIN))
MATRIX.object("accounts:user_detail", ACCOUNT, _account, get=view(ADMIN))
MATRIX.object(
    "accounts:role_assign",
    ACCOUNT,
    _account,
    post=change(ADMIN),
    data=lambda w, user: {
        "vaitro-version": user.version,
        "vaitro-role": Role.COMMUNE_OFFICER.value,
        "vaitro-unit": UNIT_CODES[Place.C1],
    },
)
MATRIX.object(
    "accounts:role_end",
    ACCOUNT,
    lambda user: {"pk": user.pk, "assignment_pk": user.current_assignment_id},
    post=change(ADMIN),
    data=_reason,
)
MATRIX.object(
    "accounts:user_action",
    ACCOUNT,
    lambda user: {"pk": user.pk, "action": "khoa"},
    post=change(ADMIN),
    data=_reason,
)
