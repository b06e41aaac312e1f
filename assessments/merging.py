"""Merging two people's edits of one record (a process score, a DVO aspect, a roadmap item).

Pure Python, no Django. Each edit is based on the version its editor loaded (`base`); by the
time it is saved someone else may have saved another version (`theirs`). A three-way merge
keeps both where they touched different things and asks only where both changed the same thing
to different values:

* a plain value (text, a level, a status) is taken from whichever side changed it; both changed
  it to different values: a conflict;
* a set (the criteria met) merges per element: an element one side added or removed is added or
  removed, so ticking one criterion never undoes another person's tick elsewhere (and two people
  can never disagree about one element: it is either in or out);
* a mapping (criterion -> reason it does not apply) merges per key like plain values, a key
  being absent (`None`) or holding its value.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Conflict", "merge"]


@dataclass(frozen=True)
class Conflict:
    """Both sides changed `field` (for a mapping: its entry `key`) to different values."""

    field: str
    base: Any
    theirs: Any
    mine: Any
    key: Any = None


def _merge_value(base, theirs, mine):
    """(the merged value, whether both sides changed it to different values)."""
    if mine in (base, theirs):
        return theirs, False
    if theirs == base:
        return mine, False
    return mine, True


def merge(
    base: Mapping[str, Any],
    theirs: Mapping[str, Any],
    mine: Mapping[str, Any],
    *,
    keep_mine: Collection[str] = (),
) -> tuple[dict[str, Any], list[Conflict]]:
    """Merge `mine` (an edit based on `base`) into `theirs` (what is stored now).

    All three hold the same keys. Values that are sets merge per element, mappings per key,
    anything else as a whole. `keep_mine` names fields whose conflicts the editor has seen and
    resolved in favour of their own input. Returns the merged values and the conflicts left
    (the merged value of a conflicting field is `mine`, but a caller saves nothing while
    conflicts remain)."""
    merged: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for field, stored in theirs.items():
        was, wanted = base[field], mine[field]
        if isinstance(stored, (set, frozenset)):
            result = set(stored)
            result |= set(wanted) - set(was)  # what I added
            result -= set(was) - set(wanted)  # what I removed
            merged[field] = frozenset(result) if isinstance(stored, frozenset) else result
        elif isinstance(stored, Mapping):
            result = dict(stored)
            for key in set(was) | set(stored) | set(wanted):
                value, clash = _merge_value(was.get(key), stored.get(key), wanted.get(key))
                if clash and field not in keep_mine:
                    conflicts.append(
                        Conflict(field, was.get(key), stored.get(key), wanted.get(key), key)
                    )
                if value is None:
                    result.pop(key, None)
                else:
                    result[key] = value
            merged[field] = result
        else:
            value, clash = _merge_value(was, stored, wanted)
            if clash and field not in keep_mine:
                conflicts.append(Conflict(field, was, stored, wanted))
            merged[field] = value
    return merged, conflicts
