"""The weekly table, ``weekly.parquet``: one row per replication and week played, with the
columns of every process the scenario uses that has a per-week series (``Process.weekly_columns``,
e.g. electricity supplied as a share of normal demand, fuel stocks, ships arrived).

Built in the workers a chunk at a time (:class:`WeeklyBuffer`: compact arrays, never a Python
object per value, and no Arrow in the workers), written as its own parts beside the main
table's and merged like them (``sim.batch.execute``). Summaries read it back in bounded passes
(:func:`weekly_summary`): a million replications of a year of weeks is tens of millions of rows,
more than a run may hold.

Storage: the weekly series (shares, stocks, counts; kind ``float``) are float32, about seven
significant digits (a share to 1e-7, a stock of 150 days to 1e-5 days): far finer than anything
the model claims, and half the bytes of float64 in the workers, the parts and the merge. ``week``
is int32; ``replication`` and any ``int`` series stay int64 (exact).

A week's quantiles are over the replications still going that week: a replication whose crisis
ended (Taiwan capitulated, the blockade was lifted) plays no further weeks. Each week says how
many replications it has, so a reader sees the survivors thin out.
"""

from __future__ import annotations

import math
from array import array
from pathlib import Path

import numpy as np

from sim.results.stats import bootstrap_quantiles, order_statistic_quantiles

QUANTILES = (("p10", 0.1), ("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("p90", 0.9))
# Weekly quantiles are many (weeks x columns): above this many values in a week the
# order-statistic interval (one sort) replaces the bootstrap (2,000 resamples), which would cost
# seconds per week at the default 2,000 replications.
WEEKLY_BOOTSTRAP_MAX_N = 500
# Values of one column held at once while summarising (16 MB of float64, as much again for
# their weeks): weeks are gathered in as many passes over the file as this needs, so memory
# does not grow with the run.
VALUES_PER_PASS = 2_000_000
SHARE_SUFFIX = "_share"  # weekly columns summarised by week and drawn as fan charts


# Arrow types of the weekly table's columns by kind (``week`` is int32: see the docstring).
ARROW_TYPES = {"int": "int64", "float": "float32", "bool": "bool", "str": "string"}
WEEK_TYPE = "int32"
_BUFFER_CODE = {"float": "f"}  # array typecode while gathering; other number kinds travel as "d"


def arrow_type(name: str, kind: str) -> str:
    """The Arrow type name of weekly column ``name`` of ``kind`` (int, float, bool, str)."""
    return WEEK_TYPE if name == "week" else ARROW_TYPES[kind]


def schema(columns):
    """The weekly table's Arrow schema: ``columns`` are (name, type, meaning), keys first."""
    import pyarrow as pa
    return pa.schema([pa.field(n, pa.type_for_alias(arrow_type(n, k)),
                               metadata={"description": d}) for n, k, d in columns])


class WeeklyBuffer:
    """Weekly rows gathered into typed arrays (4 bytes a float series' value, 8 an int's; not a
    Python object). A worker fills it and sends it back as it is (it pickles as raw bytes, and
    the worker never loads Arrow); :meth:`table` makes the Arrow table where the part is
    written."""

    def __init__(self, columns):
        self.columns = tuple(tuple(c) for c in columns)
        self.kinds = [k for _, k, _ in self.columns]
        self.cols = [[] if k == "str" else array(_BUFFER_CODE.get(k, "d")) for k in self.kinds]
        self.n = 0

    def add(self, rows) -> None:
        """Append rows (tuples in column order; None is null): all of them, or none when one
        does not fit."""
        if not rows:
            return
        nan = math.nan
        width = len(self.kinds)
        bad = next((r for r in rows if len(r) != width), None)
        if bad is not None:
            raise ValueError(f"a weekly row has {len(bad)} values, expected {width} "
                             f"({', '.join(n for n, _, _ in self.columns)})")
        packed = [list(values) if kind == "str" else array(
            _BUFFER_CODE.get(kind, "d"), (nan if v is None else v for v in values))
                  for kind, values in zip(self.kinds, zip(*rows))]
        for buf, values in zip(self.cols, packed):  # only once every column converted
            buf.extend(values)
        self.n += len(rows)

    def table(self):
        """The rows as an Arrow table with :func:`schema`; NaN in a number column is null."""
        import pyarrow as pa
        sch = schema(self.columns)
        arrays = []
        for buf, field in zip(self.cols, sch):
            if isinstance(buf, list):
                arrays.append(pa.array(buf, field.type))
                continue
            dtype = np.float32 if buf.typecode == "f" else np.float64
            x = np.frombuffer(buf, dtype=dtype) if len(buf) else np.empty(0, dtype)
            missing = np.isnan(x)
            if pa.types.is_floating(field.type):
                arrays.append(pa.array(x, field.type, mask=missing))
            else:  # int and bool travel as float64 (exact below 2**53)
                cast = np.where(missing, 0.0, x).astype(
                    field.type.to_pandas_dtype() if pa.types.is_integer(field.type) else bool)
                arrays.append(pa.array(cast, field.type, mask=missing))
        return pa.Table.from_arrays(arrays, schema=sch)


def share_columns(names) -> tuple[str, ...]:
    """The weekly columns summarised by week and drawn as fan charts: shares (0-1)."""
    return tuple(n for n in names if n.endswith(SHARE_SUFFIX) and n not in ("replication", "week"))


def _passes(counts: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive week ranges [a, b) whose rows add up to at most ``budget`` (a week larger
    than that gets a pass of its own)."""
    out, start, held = [], 0, 0
    for w, k in enumerate(counts):
        if held and held + k > budget:
            out.append((start, w))
            start, held = w, 0
        held += int(k)
    if held:
        out.append((start, len(counts)))
    return out


def _name_seed(name: str) -> int:
    import zlib
    return zlib.crc32(name.encode()) % 1_000_003


def week_quantiles(vals: np.ndarray, seed: int, resamples: int) -> dict:
    """One week's quantiles (``QUANTILES``) with 95% intervals: a seeded bootstrap up to
    ``WEEKLY_BOOTSTRAP_MAX_N`` values, the order-statistic interval above."""
    vals = vals[~np.isnan(vals)]
    row = {"count": int(vals.size)}
    if not vals.size:
        return row
    qs = [q for _, q in QUANTILES]
    if vals.size <= WEEKLY_BOOTSTRAP_MAX_N:
        est = bootstrap_quantiles(vals, qs, resamples=resamples, seed=seed)
        row["interval"] = "bootstrap"
    else:
        est = order_statistic_quantiles(vals, qs)
        row["interval"] = "order-statistic"
    for (key, _), q in zip(QUANTILES, est):
        row[key] = q["estimate"]
        row[f"{key}_ci95"] = q["ci95"]
    return row


def weekly_summary(path, *, seed: int = 0, resamples: int = 2000,
                   budget: int = VALUES_PER_PASS) -> dict | None:
    """Per-week quantiles of each share column of ``weekly.parquet`` at ``path``, or None when
    the run has no weekly table (written before it existed, or above the default size without
    ``--weekly``). Reads the file in passes of at most ``budget`` values of one column."""
    import pyarrow.parquet as pq

    import pyarrow as pa

    path = Path(path)
    if not path.is_file():
        return None
    try:
        # read a column chunk at a time: by default Arrow pre-buffers whole row groups of
        # every column asked for, some 200 MB at a million replications
        pf = pq.ParquetFile(path, buffer_size=1 << 20, pre_buffer=False)
        return _summary(pf, path, seed, resamples, budget)
    except (OSError, pa.ArrowException) as exc:
        from sim.errors import OutputError
        raise OutputError(f"{path}: cannot read Parquet: "
                          f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                          ) from None


def _summary(pf, path: Path, seed: int, resamples: int, budget: int) -> dict:
    import pyarrow as pa

    from sim.errors import OutputError
    from sim.results import labels as L

    sch = pf.schema_arrow
    for key in ("replication", "week"):
        if key not in sch.names or not pa.types.is_integer(sch.field(key).type):
            raise OutputError(f"{path}: no whole-number column {key}")
    counts = np.zeros(0, dtype=np.int64)
    for batch in pf.iter_batches(columns=["week"], batch_size=1 << 16, use_threads=False):
        w = batch.column(0)
        if w.null_count:
            raise OutputError(f"{path}: column week has empty values")
        w = w.to_numpy()
        if w.size and int(w.min()) < 1:
            raise OutputError(f"{path}: week {int(w.min())} is below 1")
        b = np.bincount(w, minlength=counts.size)
        counts = np.pad(counts, (0, b.size - counts.size)) + b
    out = {"file": path.name, "rows": int(counts.sum()),
           "columns_in_table": [n for n in sch.names if n not in ("replication", "week")],
           "intervals": f"95% bootstrap percentile ({resamples} resamples, numpy "
                        f"default_rng seeded by {seed}, the column and the week) up to "
                        f"{WEEKLY_BOOTSTRAP_MAX_N} values in a week, the order-statistic "
                        f"(binomial) interval above",
           "columns": []}
    for col in share_columns(sch.names):
        meta = sch.field(col).metadata or {}
        label = L.label(col)
        entry = {"name": col, "label": label.replace("_", " ") if label == col else label,
                 "description": meta.get(b"description", b"").decode(), "weeks": []}
        for a, b in _passes(counts, budget):
            total = int(counts[a:b].sum())
            w, v, at = np.empty(total, np.int64), np.empty(total), 0  # filled, not stacked
            for batch in pf.iter_batches(columns=["week", col], batch_size=1 << 16,
                                         use_threads=False):
                bw = batch.column(0).to_numpy()
                keep = (bw >= a) & (bw < b)
                k = int(np.count_nonzero(keep))
                if k:
                    w[at:at + k] = bw[keep]
                    v[at:at + k] = batch.column(1).to_numpy(zero_copy_only=False)[keep]
                    at += k
            for week in range(a, b):
                if not counts[week]:
                    continue
                row = {"week": week,
                       **week_quantiles(v[w == week], seed + _name_seed(col) + week,
                                        resamples)}
                entry["weeks"].append(row)
        out["columns"].append(entry)
    return out


def format_weekly(w: dict | None) -> list[str]:
    """Plain-text lines of the weekly quantiles (nothing when the run has no weekly table)."""
    if not w or not w.get("columns"):
        return []
    lines = []
    for c in w["columns"]:
        lines += ["", f"week by week: {c['label']} (weekly.parquet; replications still going "
                      f"that week)",
                  "  week   runs     p10     p25  median [95% CI]          p75     p90"]
        for r in c["weeks"]:
            if not r["count"]:
                lines.append(f"  {r['week']:4d}  {0:5d}   -")
                continue
            lo, hi = r["median_ci95"]
            lines.append(f"  {r['week']:4d}  {r['count']:5d}  {r['p10']:6.3f}  {r['p25']:6.3f}  "
                         f"{r['median']:6.3f} [{lo:6.3f}, {hi:6.3f}]  {r['p75']:6.3f}  "
                         f"{r['p90']:6.3f}")
    return lines


def weekly_rows(w: dict | None, runs: int) -> list[tuple]:
    """The weekly quantiles as rows of the summary CSV (``summary.CSV_HEADER``): section
    ``weekly_<quantile>``, name ``<column>@week<N>``."""
    rows = []
    for c in (w or {}).get("columns", []):
        for r in c["weeks"]:
            if not r["count"]:
                continue
            for key, _ in QUANTILES:
                lo, hi = r[f"{key}_ci95"]
                rows.append((f"weekly_{key}", f"{c['name']}@week{r['week']}",
                             f"{c['label']}, week {r['week']}", r["count"], runs, r[key], lo, hi,
                             r["interval"]))
    return rows


def add_weekly(summary: dict, run_dir, *, seed: int = 0, resamples: int = 2000) -> dict:
    """``summary`` (of a run's main table) with the weekly quantiles of the run folder's
    ``weekly.parquet`` under ``weekly``, when it has one."""
    w = weekly_summary(Path(run_dir) / "weekly.parquet", seed=seed, resamples=resamples)
    if w is not None:
        summary["weekly"] = w
    return summary
