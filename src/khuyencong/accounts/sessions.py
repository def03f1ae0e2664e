"""Server-side sessions in the database, as Django's ``db`` engine keeps them, with the read of
every request compiled once per process (issue 11 item 7).

A session stays a row that logging out deletes, so no copy of it outlives the logout anywhere
(a signed-cookie session would, and a per-process cache would in the other gunicorn workers).
Only the read changes: Django compiled ``Session.objects.get(...)`` at every request (~0.3 ms,
~3 % of a page's CPU); ``core.prepared`` keeps its SQL. Writing, expiry and ``clearsessions``
are Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from khuyencong.core.prepared import Prepared

_CURRENT: Prepared[Session] = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    key=Session._meta.get_field("session_key"),
    now=Session._meta.get_field("expire_date"),
)


class SessionStore(DatabaseStore):
    def _get_session_from_db(self) -> Any:
        # The key is the primary key: one row or none, as Django's ``get`` finds it.
        found = _CURRENT.all(
            using=router.db_for_read(Session), key=self.session_key, now=timezone.now()
        )
        if found:
            return found[0]
        self._session_key = None
        return None
