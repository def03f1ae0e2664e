"""Keeps the change feed's record of moves out of a scope (``api.ScopeExit``) as history rows
are written."""

from __future__ import annotations

from typing import Any

from simple_history.signals import post_create_historical_record


def connect() -> None:
    from .feed import exit_recorders

    recorders = exit_recorders()

    def on_history_row(sender: Any, history_instance: Any, **_kwargs: Any) -> None:
        record = recorders.get(sender)
        if record is not None:
            record(history_row=history_instance)

    post_create_historical_record.connect(
        on_history_row, weak=False, dispatch_uid="api.scope_exits"
    )
