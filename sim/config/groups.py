"""The ``--by`` spec of ``straitsim summarize`` and of a scenario's ``key_assumptions``.

A spec names a column of ``outcomes.parquet`` to split the replications by, and for a numeric
column how to bin it:

- ``COLUMN``: one group per value (a boolean, a ladder step, a name, a whole number with few
  values);
- ``COLUMN:K``: K bins at the column's quantiles (``prc_costs:4`` for quartiles);
- ``COLUMN:E1,E2,...``: bins between explicit edges (two or more increasing numbers; values
  below the first or above the last edge get their own groups).

Kept apart from the splitting (``sim.results.groups``) so the scenario schema can check the
syntax without loading the results layer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
MAX_BINS = 20


@dataclass(frozen=True)
class BySpec:
    """A parsed spec: the column, and ``bins`` (quantile bins) or ``edges`` or neither."""

    column: str
    bins: int | None = None
    edges: tuple[float, ...] | None = None

    @property
    def text(self) -> str:
        if self.bins is not None:
            return f"{self.column}:{self.bins}"
        if self.edges is not None:
            return f"{self.column}:" + ",".join(f"{e:g}" for e in self.edges)
        return self.column


def parse_by(spec: str) -> BySpec:
    """Read ``COLUMN``, ``COLUMN:K`` or ``COLUMN:E1,E2,...``; ``ValueError`` says what is
    wrong in one line."""
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError("expected COLUMN, COLUMN:K (K quantile bins) or COLUMN:E1,E2,... "
                         "(bin edges)")
    column, sep, rest = spec.strip().partition(":")
    column = column.strip()
    if not _COLUMN.fullmatch(column):
        raise ValueError(f"{column!r} is not a column name (letters, digits, '_')")
    if not sep:
        return BySpec(column)
    parts = [p.strip() for p in rest.split(",")]
    if len(parts) == 1:
        try:
            k = int(parts[0])
        except ValueError:
            raise ValueError(f"{spec!r}: after ':' give a number of quantile bins (e.g. "
                             f"{column}:4) or two or more edges (e.g. {column}:0,10,20)"
                             ) from None
        if not 2 <= k <= MAX_BINS:
            raise ValueError(f"{spec!r}: the number of quantile bins must be 2 to {MAX_BINS}")
        return BySpec(column, bins=k)
    try:
        edges = tuple(float(p) for p in parts)
    except ValueError:
        raise ValueError(f"{spec!r}: bin edges must be numbers separated by commas") from None
    if not all(math.isfinite(e) for e in edges):
        raise ValueError(f"{spec!r}: bin edges must be finite numbers")
    if any(b <= a for a, b in zip(edges, edges[1:])):
        raise ValueError(f"{spec!r}: bin edges must increase")
    return BySpec(column, edges=edges)
