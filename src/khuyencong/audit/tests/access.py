"""Access-matrix declarations of the activity log and history pages."""

from khuyencong.accounts.access_matrix import ANY_ROLE, MATRIX, Role, view

HISTORY_READERS = tuple(ANY_ROLE - {Role.ESTABLISHMENT, Role.COUNCIL_MEMBER})

MATRIX.page("audit:activity_log", get=view(*HISTORY_READERS), queries=[lambda w: {"loai": "x"}])
