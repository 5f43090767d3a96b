"""Comparing variants of a scenario run with common random numbers.

Every variant runs replications 0..n-1 from the same root seed, and replication *i* draws the same
random numbers in each (see the README's Reproducibility section). So rows pair by
``replication``, and the difference of two shares is estimated from per-replication differences:
the paired interval is much narrower than treating the variants as independent samples. Runs with
different root seeds cannot be paired; they are compared as independent samples (Newcombe's
interval) only when asked to.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sim.errors import SimError
from sim.results.rundir import Run
from sim.results.stats import (bootstrap_quantiles, newcombe_difference, paired_difference,
                               paired_median_difference, wilson)
from sim.results import labels as L
from sim.results.summary import CATEGORIES, DAYS, INDICATORS

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SECTION_TITLES = {"outcomes": "outcome", "indicators": "indicator",
                  "japan_level": "Japan's highest legal situation",
                  "us_posture": "U.S. highest posture"}


def _ok(run: Run, columns: tuple[str, ...]) -> pa.Table:
    """The ok rows of ``run``: of a run read by column (``load_run(by_column=True)``), only
    the columns a comparison reads, so two million-row runs are not each a gigabyte."""
    from sim.results.summary import COLUMNS_USED
    t = run.ok()
    if isinstance(t, pa.Table):
        return t
    return t.read([c for c in dict.fromkeys(["replication", *COLUMNS_USED, *columns])
                   if c in t.column_names])


def _aligned(t: pa.Table, keep: list[int]) -> pa.Table:
    """The rows of ``t`` for replications ``keep``, in that order."""
    import pyarrow.compute as pc
    t = t.filter(pc.is_in(t.column("replication"), value_set=pa.array(keep, pa.int64())))
    return t.take(pc.sort_indices(t.column("replication")))


def _indicators(table: pa.Table) -> dict[str, dict[str, np.ndarray]]:
    """Section -> item name -> 0/1 array over the table's rows."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for key, col, names in CATEGORIES:
        values = np.array(table.column(col).to_pylist(), dtype=object)
        out[key] = {name: (values == name).astype(float) for name in names}
    out["indicators"] = {col: np.array([bool(v) for v in table.column(col).to_pylist()],
                                       dtype=float) for col, _ in INDICATORS}
    return out


def compare_runs(variants: list[tuple[str, Run]], *, paired: bool = True,
                 columns: tuple[str, ...] = (), diff: bool = True) -> dict:
    """Shares of each variant with Wilson intervals, and each variant's difference from the
    first with a paired (common-random-numbers) or, if ``paired`` is False, Newcombe interval.

    Paired comparison uses the replications every variant finished; it refuses runs whose root
    seeds differ, since their rows are not the same draws. ``columns`` adds the median of each
    named numeric column; ``diff=False`` shows the variants side by side, without differences
    (and so without needing their replications to pair).
    """
    if len(variants) < 2:
        raise SimError("compare needs at least two variants")
    for col in columns:
        for _, run in variants:
            if col not in run.table.column_names:
                raise SimError(f"--column {col}: no such column in {run.path}/outcomes.parquet")
            t = run.table.schema.field(col).type
            if not (pa.types.is_floating(t) or pa.types.is_integer(t)):
                raise SimError(f"--column {col}: not a numeric column (it holds {t})")
    if not diff:
        paired = False
    seeds = {label: run.root_seed for label, run in variants}
    if diff and paired and len(set(map(str, seeds.values()))) > 1:
        listed = ", ".join(f"{label}: {seed}" for label, seed in seeds.items())
        raise SimError(f"root seeds differ ({listed}): replications cannot be paired; rerun "
                       f"with one seed, or pass --unpaired to compare them as independent samples")
    tables = [_ok(run, columns) for _, run in variants]
    if paired:
        common = None
        for t in tables:
            reps = set(t.column("replication").to_pylist())
            common = reps if common is None else common & reps
        keep = sorted(common)
        if not keep:
            raise SimError("the variants have no finished replication in common")
        tables = [_aligned(t, keep) for t in tables]
    else:
        keep = None
    ind = [_indicators(t) for t in tables]
    labels = dict(INDICATORS)
    sections = {}
    for key in ("outcomes", "indicators", "japan_level", "us_posture"):
        items = []
        for name in ind[0][key]:
            arrays = [v[key][name] for v in ind]
            if key == "outcomes" and not any(a.any() for a in arrays):
                continue  # an outcome no variant reached
            values = []
            for a in arrays:
                k, n = int(a.sum()), int(a.size)
                values.append({"count": k, "n": n, "share": k / n if n else float("nan"),
                               "ci95": wilson(k, n)})
            diffs = []
            for j in range(1, len(arrays) if diff else 1):
                if paired:
                    d = paired_difference(arrays[0], arrays[j])
                else:
                    d = newcombe_difference(values[0]["count"], values[0]["n"],
                                            values[j]["count"], values[j]["n"])
                diffs.append({"variant": variants[j][0], "versus": variants[0][0], **d})
            label = labels.get(name, name) if key == "indicators" else L.label(name, key)
            items.append({"name": name, "label": label, "values": values,
                          "diffs": diffs})
        sections[key] = items
    changed = []
    if paired and diff:
        # Which replications a variant changed: the ones whose timeline is worth reading
        # (``straitsim trace A -r i --against B``).
        reps = tables[0].column("replication").to_pylist()
        base = tables[0].column("outcome").to_pylist()
        for j in range(1, len(tables)):
            other = tables[j].column("outcome").to_pylist()
            moved = [(r, a, b) for r, a, b in zip(reps, base, other) if a != b]
            changed.append({"variant": variants[j][0], "versus": variants[0][0],
                            "count": len(moved), "n": len(reps),
                            "examples": [{"replication": r, "from": a, "to": b}
                                         for r, a, b in moved[:5]]})
    return {
        "changed": changed,
        "days": _days(variants, tables, paired, diff),
        "columns": _days(variants, tables, paired, diff,
                         [(col, L.label(col)) for col in columns]),
        "diff": diff,
        "variants": [{"letter": LETTERS[i], "label": label, "scenario": run.name,
                      "title": run.title, "path": str(run.path), "root_seed": run.root_seed,
                      "runs": run.table.num_rows, "errors": run.errors,
                      "overrides": run.manifest.get("overrides", [])}
                     for i, (label, run) in enumerate(variants)],
        "paired": paired,
        "replications": len(keep) if keep is not None else None,
        "intervals": {"shares": "95% Wilson score",
                      "columns": "median over the replications where the column has a value; "
                                 "the same intervals as the day medians",
                      "day_medians": "95% bootstrap percentile, 1000 resamples; differences by "
                                     "a paired bootstrap (replications resampled together)"
                                     if paired else "95% bootstrap percentile, 1000 resamples"
                                     if not diff else "95% bootstrap percentile, 1000 resamples; "
                                     "no difference interval for unpaired variants",
                      "differences": ("95% paired Wald interval on per-replication differences "
                                      "(common random numbers)") if paired else
                                     "95% Newcombe hybrid score interval (independent samples)"},
        "sections": sections,
    }


def _days(variants, tables, paired: bool, diff: bool = True, cols=None) -> list[dict]:
    """Median day of each decision per variant (over the replications in which it happened),
    and each variant's difference from the first; or the same for the numeric ``cols``."""
    out = []
    for i, (col, label) in enumerate(DAYS if cols is None else cols):
        if col == "end_day" and cols is None:
            continue
        arrays = [np.array(t.column(col).to_numpy(zero_copy_only=False), dtype=float)
                  for t in tables]
        if not any((~np.isnan(a)).any() for a in arrays):
            continue
        values = []
        for a in arrays:
            q = bootstrap_quantiles(a[~np.isnan(a)], [0.5], resamples=1000, seed=i)[0]
            values.append({"count": int((~np.isnan(a)).sum()), "median": q["estimate"],
                           "ci95": q["ci95"]})
        diffs = []
        for j in range(1, len(arrays) if diff else 1):
            d = (paired_median_difference(arrays[0], arrays[j], seed=i) if paired else
                 {"diff": values[j]["median"] - values[0]["median"], "ci95": None,
                  "method": "none (unpaired)"})
            diffs.append({"variant": variants[j][0], "versus": variants[0][0], **d})
        out.append({"name": col, "label": label, "values": values, "diffs": diffs})
    return out


def _day_cell(v: dict) -> str:
    if v["count"] == 0:
        return "-"
    lo, hi = v["ci95"]
    return f"{v['median']:5.1f} [{lo:.1f}, {hi:.1f}]"


def _day_diff_cell(d: dict) -> str:
    if d["diff"] != d["diff"]:  # NaN: never happened in one of the two
        return "-"
    if d["ci95"] is None:
        return f"{d['diff']:+.2f}"
    lo, hi = d["ci95"]
    return f"{d['diff']:+.2f} [{lo:+.2f}, {hi:+.2f}]"


def _pp(x: float) -> str:
    return f"{100 * x:+.1f}"


def _share_cell(v: dict) -> str:
    lo, hi = v["ci95"]
    return f"{v['share']:6.1%} [{lo:.1%}, {hi:.1%}]"


def _diff_cell(d: dict) -> str:
    lo, hi = d["ci95"]
    return f"{_pp(d['diff'])} [{_pp(lo)}, {_pp(hi)}]"


def format_comparison(c: dict) -> str:
    """Side-by-side shares and differences from variant A, as terminal text."""
    v = c["variants"]
    head = (f"paired on {c['replications']} replications, root seed {v[0]['root_seed']}"
            if c["paired"] else "unpaired (independent samples)")
    if not c.get("diff", True):
        head = "side by side (no differences)"
    lines = [f"comparing {len(v)} variants, {head}"]
    for x in v:
        err = f", {x['errors']} failed replications" if x["errors"] else ""
        lines.append(f"  {x['letter']} = {x['label']}: {x['title']}{err}")
    for ch, x in zip(c.get("changed", []), v[1:]):
        eg = ", ".join(f"#{e['replication']} {e['from']} -> {e['to']}" for e in ch["examples"])
        lines.append(f"  {x['letter']} changed the outcome of {ch['count']} of {ch['n']} "
                     f"replications" + (f" (e.g. {eg}); `straitsim trace A -r N --against "
                                        f"{x['letter']}` shows why" if eg else ""))
    diff = c.get("diff", True)
    lines.append(f"shares: {c['intervals']['shares']}" + (
        f"; differences in percentage points: {c['intervals']['differences']}" if diff else ""))
    share_w, diff_w = 23, 24
    lw = 1 + max([31] + [len(it["label"]) for items in c["sections"].values() for it in items]
             + [len(it["label"]) for it in c.get("days", []) + c.get("columns", [])])
    vd = v[1:] if diff else []
    for key, items in c["sections"].items():
        header = f"{SECTION_TITLES[key]:<{lw + 2}}" + "".join(
            f"{x['letter'] + ' share [95% CI]':<{share_w}}" for x in v) + "".join(
            f"{x['letter'] + ' - A (pp) [95% CI]':<{diff_w}}" for x in vd)
        lines += ["", header.rstrip()]
        for it in items:
            cells = "".join(f"{_share_cell(val):<{share_w}}" for val in it["values"])
            diffs = "".join(f"{_diff_cell(d):<{diff_w}}" for d in it["diffs"])
            lines.append(f"  {it['label']:<{lw}}{cells}{diffs}".rstrip())
    for key, title, unit in (("days", "median day of ...", "days"),
                             ("columns", "median of ...", "diff")):
        if not c.get(key):
            continue
        header = f"{title:<{lw + 2}}" + "".join(
            f"{x['letter'] + ' median [95% CI]':<{share_w}}" for x in v) + "".join(
            f"{x['letter'] + f' - A ({unit}) [95% CI]':<{diff_w}}" for x in vd)
        lines += ["", header.rstrip()]
        for it in c[key]:
            cells = "".join(f"{_day_cell(val):<{share_w}}" for val in it["values"])
            diffs = "".join(f"{_day_diff_cell(d):<{diff_w}}" for d in it["diffs"])
            lines.append(f"  {it['label']:<{lw}}{cells}{diffs}".rstrip())
    if c.get("days") or c.get("columns"):
        lines.append(f"(medians: {c['intervals']['day_medians']})")
    return "\n".join(lines)


CSV_HEADER = ("section", "name", "variant", "count", "n", "share", "ci95_low", "ci95_high",
              "diff_vs_first", "diff_ci95_low", "diff_ci95_high", "diff_method")


def comparison_rows(c: dict) -> list[tuple]:
    """The comparison as flat rows (``CSV_HEADER``): one per item and variant."""
    rows = []
    for key, items in c["sections"].items():
        for it in items:
            for i, (x, val) in enumerate(zip(c["variants"], it["values"])):
                d = it["diffs"][i - 1] if i and it["diffs"] else None
                rows.append((key, it["name"], x["label"], val["count"], val["n"], val["share"],
                             val["ci95"][0], val["ci95"][1],
                             d["diff"] if d else "", d["ci95"][0] if d else "",
                             d["ci95"][1] if d else "", d["method"] if d else ""))
    for section, it in [("days_median", it) for it in c.get("days", [])] + \
            [("column_median", it) for it in c.get("columns", [])]:
        for i, (x, val) in enumerate(zip(c["variants"], it["values"])):
            d = it["diffs"][i - 1] if i and it["diffs"] else None
            ci = (d or {}).get("ci95") or ("", "")
            rows.append((section, it["name"], x["label"], val["count"], "",
                         val["median"], val["ci95"][0], val["ci95"][1],
                         d["diff"] if d else "", ci[0], ci[1], d["method"] if d else ""))
    return rows
