"""Results by assumption: the outcome shares within groups of replications
(``straitsim summarize --by``, and the report's splits on a scenario's ``key_assumptions``).

A headline share mixes runs in which the U.S. fought with runs in which it never did; split by
that column, the share within each group says how much of the headline is the assumption and
how much the mechanisms. Each group's shares carry 95% Wilson intervals and the group's n, so a
small group's share is read as the rough number it is. Groups come from one column
(``sim.config.groups``: its values, or bins of a numeric column); replications with no value in
the column (a day that never came) are a group of their own.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from sim.config.groups import BySpec, parse_by
from sim.errors import SimError
from sim.results import labels as L
from sim.results.stats import wilson

MAX_VALUES = 12  # distinct values a column may have before it must be binned
NO_VALUE = "(no value)"


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _numeric(col: pa.ChunkedArray) -> bool:
    t = col.type
    return pa.types.is_integer(t) or pa.types.is_floating(t)


def _value_groups(col: pa.ChunkedArray) -> tuple[list[str], list]:
    """Each row's group label and the labels in display order, for a column taken as it is."""
    t = col.type
    values = col.to_pylist()
    present = {v for v in values if v is not None and not (isinstance(v, float) and v != v)}
    if pa.types.is_dictionary(t):  # a ladder: its steps in ladder order
        order = [v for v in col.chunk(0).dictionary.to_pylist() if v in present] \
            if col.num_chunks else sorted(present)
    elif pa.types.is_boolean(t):
        order = [v for v in (False, True) if v in present]
    else:
        order = sorted(present)

    def name(v) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return NO_VALUE
        if isinstance(v, bool):
            return "true" if v else "false"
        return _fmt(v) if isinstance(v, float) else str(v)
    labels = [name(v) for v in values]
    return labels, [name(v) for v in order]


def _bin_groups(x: np.ndarray, spec: BySpec) -> tuple[list[str], list[str], list[float]]:
    """Each row's bin label (NaN: no value), the labels in order, and the edges used."""
    have = ~np.isnan(x)
    if spec.bins is not None:
        if not have.any():
            return [NO_VALUE] * x.size, [], []
        edges = list(np.unique(np.quantile(x[have], np.linspace(0, 1, spec.bins + 1))))
        low = high = False
    else:
        edges = list(spec.edges)
        low, high = bool((x[have] < edges[0]).any()), bool((x[have] > edges[-1]).any())
    digits = next((d for d in range(4, 18) if len({f"{e:.{d}g}" for e in edges}) == len(edges)),
                  17)  # enough digits that no two edges print alike

    def fmt(e: float) -> str:
        return f"{e:.{digits}g}"
    if len(edges) == 1:  # every value the same
        inner = [f"= {fmt(edges[0])}"]
    else:
        inner = [("[" if i == 0 else "(") + f"{fmt(a)}, {fmt(b)}]"
                 for i, (a, b) in enumerate(zip(edges, edges[1:]))]
    below, above = f"< {fmt(edges[0])}", f"> {fmt(edges[-1])}"
    idx = np.clip(np.searchsorted(edges, x, side="left") - 1, 0, len(inner) - 1)
    labels = []
    for v, i in zip(x, idx):
        if v != v:
            labels.append(NO_VALUE)
        elif v < edges[0]:
            labels.append(below)
        elif v > edges[-1]:
            labels.append(above)
        else:
            labels.append(inner[i])
    order = ([below] if low else []) + inner + ([above] if high else [])
    return labels, order, [float(e) for e in edges]


def check_column(table: pa.Table, spec: BySpec, flag: str = "--by") -> None:
    """``SimError`` (one line) when ``spec`` cannot split ``table``."""
    if spec.column not in table.column_names:
        import difflib
        close = difflib.get_close_matches(spec.column, table.column_names, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise SimError(f"{flag} {spec.text}: the run's table has no column "
                       f"{spec.column!r}{hint}; `straitsim outcomes` and the scenario "
                       f"reference list the columns")
    col = table.column(spec.column)
    binned = spec.bins is not None or spec.edges is not None
    if binned and not _numeric(col):
        raise SimError(f"{flag} {spec.text}: column {spec.column!r} is not numeric "
                       f"({col.type}); give it without ':' to split by its values")
    if not binned and _numeric(col):
        distinct = len({v for v in col.to_pylist() if v is not None and v == v})
        if distinct > MAX_VALUES:
            raise SimError(f"{flag} {spec.text}: column {spec.column!r} has {distinct} distinct "
                           f"values; bin it: {spec.column}:4 (quartiles) or "
                           f"{spec.column}:E1,E2,... (edges)")


def split(table: pa.Table, by: str | BySpec, flag: str = "--by") -> dict:
    """The outcome shares of ``table`` (a run's ok rows) overall and within each group of
    ``by``: ``{"by", "column", "edges", "runs", "outcomes", "overall", "groups"}``; each group
    ``{"group", "runs", "shares": [{"name", "label", "count", "share", "ci95"}]}``."""
    from sim.model.vocab import OUTCOMES
    try:
        spec = by if isinstance(by, BySpec) else parse_by(by)
    except ValueError as exc:
        raise SimError(f"{flag} {by}: {exc}") from None
    check_column(table, spec, flag)
    col = table.column(spec.column)
    edges = None
    if spec.bins is not None or spec.edges is not None:
        x = np.array(col.to_numpy(zero_copy_only=False), dtype=float)
        labels, order, edges = _bin_groups(x, spec)
    else:
        labels, order = _value_groups(col)
    if NO_VALUE in labels:
        order = order + [NO_VALUE]
    outcome = np.array(table.column("outcome").to_pylist(), dtype=object)
    names = [o for o in OUTCOMES if (outcome == o).any()]
    names += sorted({str(o) for o in outcome} - set(names))  # a name a newer model adds
    labels = np.array(labels, dtype=object)

    def shares(mask: np.ndarray) -> dict:
        n = int(mask.sum())
        rows = []
        for o in names:
            k = int((mask & (outcome == o)).sum())
            rows.append({"name": o, "label": L.label(o, "outcomes"), "count": k,
                         "share": k / n if n else math.nan, "ci95": wilson(k, n)})
        return {"runs": n, "shares": rows}

    return {"by": spec.text, "column": spec.column, "label": L.label(spec.column),
            "edges": edges, "runs": table.num_rows, "outcomes": names,
            "intervals": "95% Wilson score",
            "overall": {"group": "all", **shares(np.ones(table.num_rows, dtype=bool))},
            "groups": [{"group": g, "label": _group_label(spec.column, g),
                        **shares(labels == g)} for g in order]}


def _group_label(column: str, group: str) -> str:
    """A ladder step or outcome in the words the summaries use; other values as they are."""
    section = {"outcome": "outcomes", "japan_level": "japan_level",
               "us_posture": "us_posture"}.get(column)
    return L.label(group, section) if section else group


def _cell(s: dict) -> str:
    if s["share"] != s["share"]:
        return "-"
    lo, hi = s["ci95"]
    return f"{s['share']:.1%} [{lo:.1%}, {hi:.1%}]"


def format_split(sp: dict) -> str:
    """A terminal table: a row per group (the first is every replication), a column per
    outcome, each share with its 95% Wilson interval."""
    heads = [L.label(o, "outcomes") for o in sp["outcomes"]]
    rows = [sp["overall"], *sp["groups"]]
    gw = max(12, *(len(r["group"]) for r in rows)) + 2
    cells = [[_cell(s) for s in r["shares"]] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) + 2 for i, h in enumerate(heads)]
    named = sp["by"] + (f" ({sp['label']})" if sp["label"] != sp["column"] else "")
    lines = [f"by {named}: {sp['runs']} replications; outcome shares "
             f"within each group, 95% Wilson intervals",
             f"{'group':<{gw}}{'runs':>6}  " + "".join(f"{h:<{w}}" for h, w in
                                                         zip(heads, widths)).rstrip()]
    for r, c in zip(rows, cells):
        lines.append(f"{r['group']:<{gw}}{r['runs']:>6}  "
                     + "".join(f"{x:<{w}}" for x, w in zip(c, widths)).rstrip())
    return "\n".join(lines)


CSV_HEADER = ("by", "group", "runs", "outcome", "count", "share", "ci95_low", "ci95_high")


def split_rows(sp: dict) -> list[tuple]:
    """The split as flat rows (``CSV_HEADER``): one per group and outcome, ``all`` first."""
    return [(sp["by"], r["group"], r["runs"], s["name"], s["count"], s["share"], *s["ci95"])
            for r in (sp["overall"], *sp["groups"]) for s in r["shares"]]
