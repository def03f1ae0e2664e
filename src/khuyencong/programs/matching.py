"""Khớp dòng khi nhập lại phụ lục: which stored line each row of an imported file is.

A line is known by its content group and its wording, not by its STT: officials insert a row
and renumber the rest, and matching by STT then moved a line's money (and the projects that
count towards it) onto another content. Rows whose group and wording match no stored line are
paired with a leftover line of the same group at the same STT (the wording of that line was
edited); what is still unpaired is a removed line or a new one.

A key that several rows of the file share (or several stored lines) is matched at equal STT
first; what then remains with more than one candidate is *ambiguous* — the caller refuses the
import when such a line is in use, because guessing would move a project's output silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LineRef:
    """A line on either side: ``ident`` is the stored line's id, or the file row's STT."""

    ident: int
    group: str
    name: str
    order: int

    @property
    def key(self) -> tuple[str, str]:
        return self.group, " ".join(self.name.split()).casefold()


@dataclass
class LineMatch:
    """``pairs`` maps a file row's STT to the stored line's id it updates in place;
    ``removed`` are stored lines no row matches; ``ambiguous`` maps a stored line's id to the
    STTs of the rows that could each be it (those lines are in ``removed`` too)."""

    pairs: dict[int, int] = field(default_factory=dict)
    removed: list[int] = field(default_factory=list)
    ambiguous: dict[int, list[int]] = field(default_factory=dict)


def _by_key(refs: Sequence[LineRef]) -> dict[tuple[str, str], list[LineRef]]:
    grouped: dict[tuple[str, str], list[LineRef]] = defaultdict(list)
    for ref in refs:
        grouped[ref.key].append(ref)
    return grouped


def match_lines(stored: Sequence[LineRef], incoming: Sequence[LineRef]) -> LineMatch:
    """Pair the rows of a file with the stored lines of a programme (see the module)."""
    result = LineMatch()
    file_keys = _by_key(incoming)
    left_stored: list[LineRef] = []
    for key, lines in _by_key(stored).items():
        rows = file_keys.pop(key, [])
        at_same_order = {r.order for r in rows} & {line.order for line in lines}
        if len(lines) == len(rows) == 1:
            result.pairs[rows[0].ident] = lines[0].ident
            continue
        for line in lines:
            if line.order in at_same_order:
                result.pairs[line.order] = line.ident
        lines = [line for line in lines if line.order not in at_same_order]
        rows = [row for row in rows if row.order not in at_same_order]
        if len(lines) == len(rows) == 1:
            result.pairs[rows[0].ident] = lines[0].ident
        elif lines and rows:
            for line in lines:
                result.ambiguous[line.ident] = sorted(row.order for row in rows)
            result.removed.extend(line.ident for line in lines)
        else:
            left_stored.extend(lines)
    left_rows = {(row.group, row.order): row for rows in file_keys.values() for row in rows}
    for line in left_stored:
        row = left_rows.pop((line.group, line.order), None)
        if row is None:
            result.removed.append(line.ident)
        else:
            result.pairs[row.ident] = line.ident
    return result
