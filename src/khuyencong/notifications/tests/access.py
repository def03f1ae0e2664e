"""Access-matrix declarations of the notification pages: a user's own notices only."""

from khuyencong.accounts.access_matrix import MATRIX, OTHER_OWNER, Subject, cast, view
from khuyencong.notifications.models import Notification

NOTICE = Subject("notice", owned=True)


@MATRIX.builder
def notices(world):
    for label in [a.label for a in cast()] + [OTHER_OWNER]:
        notice = Notification.objects.create(
            recipient=world.users[label], kind="khac", title=f"Thông báo cho {label}"
        )
        world.put_owned(NOTICE, label, notice)


MATRIX.page("notifications:list", get=view(), queries=[lambda w: {"chua_doc": "1"}])
MATRIX.object("notifications:mark_read", NOTICE, lambda n: {"pk": n.pk}, post=view())
MATRIX.page("notifications:mark_all_read", post=view())
