"""Writes of the selection, one module per concern; each public function is one transaction
that asks the access policy, locks what it changes at the version the user saw, logs the step
(activity log, transition log, history) and notifies."""

from .common import SelectionError, SelectionInvalid

__all__ = ["SelectionError", "SelectionInvalid"]
