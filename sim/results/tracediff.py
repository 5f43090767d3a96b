"""Two timelines of the same replication, side by side: what a variant changed and when.

Paired variants draw the same random numbers for replication *i*, so where their timelines part
is where the variant's difference acted. Records are matched on who did what with the numbers
blanked (a message that arrives later reads "arrives in 36.0 h" instead of "12.0 h" but is the
same step); the diff then marks steps only in the baseline (``-``), only in the variant (``+``),
and shared steps that moved in time or changed a number (``~``).
"""

from __future__ import annotations

import difflib
import re

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _key(record) -> tuple:
    _hours, actor, kind, text = record
    return actor, kind, _NUMBER.sub("#", text)


def diff_timelines(base: list, variant: list, tolerance_hours: float = 0.05) -> list[tuple]:
    """Merge two trace record lists (hours, actor, kind, text) into rows
    ``(mark, hours_base, hours_variant, actor, kind, text_base, text_variant)``; mark is
    ``' '`` (same step, same time and text), ``'~'`` (same step, moved or renumbered), ``'-'``
    (baseline only) or ``'+'`` (variant only). Missing sides are None."""
    a, b = [_key(r) for r in base], [_key(r) for r in variant]
    rows: list[tuple] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for ra, rb in zip(base[i1:i2], variant[j1:j2]):
                same = abs(ra[0] - rb[0]) <= tolerance_hours and ra[3] == rb[3]
                rows.append((" " if same else "~", ra[0], rb[0], rb[1], rb[2], ra[3], rb[3]))
            continue
        for ra in base[i1:i2]:
            rows.append(("-", ra[0], None, ra[1], ra[2], ra[3], None))
        for rb in variant[j1:j2]:
            rows.append(("+", None, rb[0], rb[1], rb[2], None, rb[3]))
    return rows


def first_divergence(rows: list[tuple]) -> int | None:
    """Index of the first row that is not an unchanged shared step, or None."""
    return next((i for i, r in enumerate(rows) if r[0] != " "), None)
