"""Lời thông báo: a notice's title or body kept as message ids and parameters, so that it is
rendered in the reader's language when shown or e-mailed — not in the language of whoever
caused it (a centre officer working in English must not send a commune officer English).

A call site writes ``Msg(gettext_noop("Đề án “%(p)s” có kết quả kiểm tra mới"), p=title)``:
``gettext_noop`` marks the id for the catalogue without translating it. A parameter is a
plain value (a name, a number, a date already written) or another :class:`Msg` (a translated
label inside a sentence); :func:`lines` joins parts into a body, one per line. The stored form
is JSON (:func:`dump`), rendered by :func:`render` in the active language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from django.utils.translation import gettext

Part = Union[str, int, "Msg", "Lines"]


@dataclass(frozen=True)
class Msg:
    """One translatable sentence: its Vietnamese id and its parameters."""

    msgid: str
    params: Mapping[str, Part] = field(default_factory=dict)

    def __init__(self, msgid: str, **params: Part) -> None:
        object.__setattr__(self, "msgid", str(msgid))
        object.__setattr__(self, "params", params)

    def __str__(self) -> str:
        return render(dump(self))

    @classmethod
    def label(cls, value: Any) -> Part:
        """A choice's label (``gettext_lazy``) as a message, so it too is read in the reader's
        language; anything else is kept as its text."""
        args = getattr(value, "_args", None)  # Django's lazy proxy keeps the id it translates
        if isinstance(args, tuple) and len(args) == 1 and isinstance(args[0], str):
            return cls(args[0])
        return str(value)

    @classmethod
    def choice(cls, obj: Any, field: str) -> Part:
        """The label of ``obj``'s choice field, as :meth:`label`."""
        value = getattr(obj, field)
        choices = dict(obj._meta.get_field(field).flatchoices)
        return cls.label(choices.get(value, value))


@dataclass(frozen=True)
class Lines:
    """Parts shown one per line, or joined by ``sep`` (empty parts are left out)."""

    parts: tuple[Part, ...]
    sep: str = "\n"

    def __str__(self) -> str:
        return render(dump(self))


def lines(*parts: Part | None, sep: str = "\n") -> Lines:
    return Lines(tuple(part for part in parts if part not in (None, "")), sep)


def dump(value: Part) -> Any:
    """The JSON form: a string or number as is, a message as ``{"id", "params"}``, lines as a
    list (parts joined otherwise than by lines as ``{"sep", "parts"}``)."""
    if isinstance(value, Msg):
        return {"id": value.msgid, "params": {k: dump(v) for k, v in value.params.items()}}
    if isinstance(value, Lines):
        parts = [dump(part) for part in value.parts]
        return parts if value.sep == "\n" else {"sep": value.sep, "parts": parts}
    return value if isinstance(value, int) else str(value)


def render(stored: Any) -> str:
    """The stored form in the active language. A parameter is substituted after the sentence
    is translated, so a name never goes through the catalogue."""
    if isinstance(stored, list):
        return "\n".join(filter(None, (render(part) for part in stored)))
    if isinstance(stored, dict) and "sep" in stored:
        return str(stored["sep"]).join(filter(None, (render(p) for p in stored["parts"])))
    if isinstance(stored, dict):
        params = {key: render_param(value) for key, value in stored.get("params", {}).items()}
        sentence = gettext(stored["id"])
        return sentence % params if params else sentence
    return "" if stored is None else str(stored)


def render_param(stored: Any) -> Any:
    return stored if isinstance(stored, int) else render(stored)
