"""Figures of one run, drawn from its table and summary alone (no re-simulation): outcome
shares with 95% intervals, decision-day histograms and empirical CDFs, Japan's legal ladder,
and, when the run has loss or quantity columns, their distributions.

Colours are the Okabe-Ito palette, which stays distinct for colour-blind readers. Each function
writes one file; the format follows the file's suffix (``.png`` or ``.svg``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000")
# Japan's ladder from no situation (light grey) up to armed attack (vermillion): ordered, and
# readable without colour vision because the order is also the stacking order.
LADDER_COLOURS = ("#BBBBBB", "#56B4E9", "#0072B2", "#E69F00", "#D55E00")


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _wrap(text: str, width: int) -> str:
    """A title broken into lines of at most ``width`` characters, so a long scenario name
    wraps instead of running off the figure."""
    import textwrap
    return "\n".join(textwrap.wrap(text, width)) or text


def save(fig, path: Path, dpi: int = 120) -> None:
    """Write ``fig`` to ``path`` (PNG or SVG by suffix) and free it. SVG text stays text and
    the SVG carries no date, so the same run gives the same file."""
    import matplotlib
    plt = _plt()
    svg = str(path).endswith(".svg")
    try:
        # a fixed salt makes the SVG's clip-path ids, and so the file, the same on every redraw
        with matplotlib.rc_context({"svg.hashsalt": "straitsim"} if svg else {}):
            fig.savefig(path, dpi=dpi, metadata={"Date": None} if svg else None)
    finally:
        plt.close(fig)


def outcome_shares(summary: dict, title: str, path: Path) -> None:
    """Horizontal bars of each outcome's and indicator's share, with Wilson 95% error bars."""
    plt = _plt()
    rows = summary["outcomes"] + list(summary["indicators"])
    names = [r.get("label", r["name"].replace("_", " ")) for r in rows]
    shares = [100 * r["share"] for r in rows]
    lo = [max(0.0, 100 * (r["share"] - r["ci95"][0])) for r in rows]
    hi = [max(0.0, 100 * (r["ci95"][1] - r["share"])) for r in rows]
    colours = [OKABE_ITO[0]] * len(summary["outcomes"]) + [OKABE_ITO[1]] * len(
        summary["indicators"])
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(rows) + 1.6))
    y = list(range(len(rows)))[::-1]
    ax.barh(y, shares, xerr=[lo, hi], color=colours, capsize=3, ecolor="#333333")
    ax.set_yticks(y, names)
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of replications (%); bars show 95% Wilson intervals")
    n = summary.get("ok", summary["runs"])
    ax.set_title(_wrap(f"{title}: outcomes (blue) and indicators (orange), n = {n}", 50))
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    save(fig, path)


def _day_values(table, col: str) -> np.ndarray:
    """The days on which a thing happened (nulls dropped), as a numpy array: a million-row run
    would need hundreds of MB as a Python list."""
    if col not in table.column_names:  # a process the scenario does not use
        return np.empty(0)
    a = table.column(col).to_numpy().astype(float)  # nulls arrive as NaN
    return a[~np.isnan(a)]


# Histogram colours: the palette without its yellow (too faint for filled bars) and black (it
# would hide the median line), then a neutral grey.
HIST_COLOURS = tuple(c for c in OKABE_ITO if c not in ("#F0E442", "#000000")) + ("#999999",)


def _decided(table) -> np.ndarray | None:
    """Rows whose outcome was decided before the horizon (None: keep every row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from sim.results.labels import UNDECIDED
    if "outcome" not in table.column_names:
        return None
    undecided = pc.is_in(pc.cast(table.column("outcome"), pa.string()),
                         value_set=pa.array(list(UNDECIDED), pa.string()))
    return ~pc.fill_null(undecided, False).to_numpy(zero_copy_only=False)


def day_values(table, col: str) -> np.ndarray:
    """The days on which ``col`` happened; for ``end_day`` only the replications decided before
    the horizon (the others' end day is the horizon itself, not a decision)."""
    if col != "end_day":
        return _day_values(table, col)
    a = table.column(col).to_numpy().astype(float)
    mask = _decided(table)
    if mask is not None:
        a = a[mask]
    return a[~np.isnan(a)]


@dataclass(frozen=True)
class Histogram:
    """What a histogram panel draws of a column: 40 bins' counts and edges (as ``ax.hist``
    would bin the values), how many values, their 10th and 90th percentiles. Figures keep this,
    not the values, so a run's dozens of columns are not all in memory at once."""
    counts: np.ndarray
    edges: np.ndarray
    size: int
    p10: float
    p90: float

    @classmethod
    def of(cls, vals: np.ndarray, bins: int = 40) -> Histogram:
        if not vals.size:
            return cls(np.zeros(0), np.zeros(0), 0, math.nan, math.nan)
        counts, edges = np.histogram(vals, bins=bins)
        p10, p90 = np.quantile(vals, [0.1, 0.9])
        return cls(counts, edges, int(vals.size), float(p10), float(p90))

    def draw(self, ax, colour) -> None:
        """The bars ``ax.hist(values, bins=40)`` draws, from the counts."""
        ax.hist(self.edges[:-1], bins=self.edges, weights=self.counts, color=colour)


def integer_counts(axis) -> None:
    """Ticks on a count axis at whole numbers only (no 0.5 replications)."""
    from matplotlib.ticker import MaxNLocator
    axis.set_major_locator(MaxNLocator(integer=True))


def _histogram_grid(drawn, note: str, title: str, path: Path, panel_height: float,
                    draw_panel) -> None:
    """Panels of histograms, three to a row, with a wrapped note under them: the layout
    decision_days and loss_distributions share. ``draw_panel(ax, col, label, vals, colour)``
    draws one panel."""
    plt = _plt()
    note_lines = note.count("\n") + 1 if note else 0
    ncols = min(3, max(1, len(drawn)))
    nrows = max(1, math.ceil(len(drawn) / ncols))
    height = (panel_height * nrows if drawn else 0.8) + 0.9 + 0.22 * note_lines
    fig = plt.figure(figsize=(13 if ncols == 3 else 4.6 * ncols + 1.0, height))
    if drawn:
        axes = fig.subplots(nrows, ncols, squeeze=False)
        flat = list(axes.flat)
        for ax, (col, label, h), colour in zip(flat, drawn, itertools.cycle(HIST_COLOURS)):
            draw_panel(ax, col, label, h, colour)
            ax.set_ylabel("replications (count)")
            integer_counts(ax.yaxis)
        for ax in flat[len(drawn):]:
            fig.delaxes(ax)
    fig.suptitle(title, fontsize=11)
    if note:
        fig.text(0.5, 0.012, note, ha="center", va="bottom", fontsize=9, color="#333333")
    bottom = (0.25 + 0.2 * note_lines) / height if note else 0
    if drawn:
        fig.tight_layout(rect=(0, bottom, 1, 1))
    save(fig, path, dpi=110)


def _mark_median(ax, d: dict | None, unit: str = "") -> str:
    """Dashed median and grey 95% band from a summary row; the heading line saying so."""
    if not d or "median_ci95" not in d:
        return ""
    lo, hi = d["median_ci95"]
    ax.axvspan(lo, hi, color="#000000", alpha=0.15, lw=0)
    ax.axvline(d["median"], color="#000000", ls="--", lw=1)
    return f"\nmedian {d['median']:.1f}{unit} (95% CI {lo:.1f}-{hi:.1f})"


def decision_days(table, title: str, path: Path, summary: dict | None = None) -> None:
    """One histogram per decision day that happened (only replications in which it happened);
    the decisions that never happened are named in a note under the panels, not drawn as empty
    axes.

    Given the run's ``summary``, each panel also marks the median and shades its 95% interval,
    the same numbers the summary tables print."""
    import textwrap

    from sim.results.summary import DAYS
    n = table.num_rows
    medians = {d["name"]: d for d in (summary or {}).get("days", []) if d.get("count")}
    drawn = [(col, label, Histogram.of(day_values(table, col))) for col, label in DAYS]
    never = [label for _, label, h in drawn if not h.size]
    drawn = [d for d in drawn if d[2].size]
    notes = []
    if never:
        notes.append(f"Never happened in these {n} replications: {', '.join(never)}.")
    mask = _decided(table)
    if mask is not None and int((~mask).sum()):
        notes.append(f"{int((~mask).sum())} of {n} replications were still going at the horizon "
                     f"and are not in 'Outcome decided'.")
    note = "\n".join(textwrap.fill(t, 120) for t in notes)

    def panel(ax, col, label, h, colour):
        h.draw(ax, colour)
        heading = f"{label} ({h.size}/{n} runs)" + _mark_median(ax, medians.get(col), " d")
        ax.set_title(heading, fontsize=9.5)
        ax.set_xlabel("day since scenario start (days)")

    marks = "; dashed line and grey band: median and its 95% interval" if medians else ""
    _histogram_grid(drawn, note, textwrap.fill(f"{title}: when decisions happened{marks}", 110),
                    path, 3.6, panel)


ECDF_STEPS = 4000


def decision_ecdfs(table, title: str, path: Path) -> None:
    """Empirical CDFs of the decision days, as a share of *all* replications: each curve rises to
    the share in which the decision happened at all, so one chart shows both when and how often.
    The band is the 95% Dvoretzky-Kiefer-Wolfowitz band (uniform over the whole curve)."""
    from sim.results.summary import DAYS
    plt = _plt()
    n = table.num_rows
    fig, ax = plt.subplots(figsize=(11, 5.2))
    cols = [d for d in DAYS if d[0] != "end_day"]
    xmax = max([float(_day_values(table, c).max(initial=0.0)) for c, _ in cols], default=0.0)
    eps = math.sqrt(math.log(2 / 0.05) / (2 * n)) if n else 0.0
    styles = ("-", "--", "-.", ":", "-", "--")
    drawn = 0
    for (col, label), colour, ls in zip(cols, OKABE_ITO, styles):
        vals = np.sort(_day_values(table, col))
        if not vals.size:
            continue
        # Past a few thousand steps the curve is drawn at evenly spaced ranks: the same picture
        # at any screen size, and a small SVG and bounded memory for a million replications.
        ranks = np.unique(np.linspace(0, vals.size - 1, min(vals.size, ECDF_STEPS)).astype(int))
        x = np.concatenate([[0.0], vals[ranks], [xmax]])
        y = np.concatenate([[0], ranks + 1, [vals.size]]) / n
        ax.step(x, 100 * y, where="post", color=colour, ls=ls,
                label=f"{label} ({vals.size / n:.0%})")
        ax.fill_between(x, 100 * np.clip(y - eps, 0, 1), 100 * np.clip(y + eps, 0, 1),
                        step="post", color=colour, alpha=0.12, lw=0)
        drawn += 1
    if not drawn:
        ax.text(0.5, 0.5, "no decision happened in any replication", ha="center",
                va="center", transform=ax.transAxes)
    ax.set_xlabel("day since scenario start (days)")
    ax.set_ylabel("replications with the decision by that day (%)")
    ax.set_ylim(0, 100)
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    ax.set_title(_wrap(f"{title}: cumulative share of decisions by day, n = {n}", 90) + "\n"
                 f"(shaded: 95% DKW band, ±{100 * eps:.1f} points)", fontsize=11)
    if drawn:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9,
                  title="decision (share ever taken)", title_fontsize=9)
    fig.tight_layout()
    save(fig, path)


def _codes(column, names) -> np.ndarray:
    """Each value's index in ``names`` (-1 if absent): small integers, where a million-row run
    as numpy strings would cost a Python object per row."""
    import pyarrow as pa
    import pyarrow.compute as pc
    return pc.fill_null(pc.index_in(column, value_set=pa.array(list(names))), -1).to_numpy()


def japan_ladder(table, title: str, path: Path) -> None:
    """Japan's highest legal situation as stacked bars: all replications, then each outcome."""
    from sim.model.vocab import JAPAN_LEVELS, OUTCOMES
    from sim.results.labels import label
    plt = _plt()
    levels = (_codes(table.column("japan_level"), JAPAN_LEVELS)
              if "japan_level" in table.column_names  # Japan's legal process may be unused
              else np.full(table.num_rows, -1))
    outcomes = _codes(table.column("outcome"), OUTCOMES)
    groups = [("all replications", np.ones(len(levels), dtype=bool))] if len(levels) else []
    for k, o in enumerate(OUTCOMES):
        mask = outcomes == k
        if mask.any():
            groups.append((label(o, "outcomes"), mask))
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(groups) + 2.2))
    if not groups:
        ax.text(0.5, 0.5, "no replication finished", ha="center", va="center",
                transform=ax.transAxes)
    y = list(range(len(groups)))[::-1]
    left = [0.0] * len(groups)
    for k, (level, colour) in enumerate(zip(JAPAN_LEVELS, LADDER_COLOURS)):
        widths = [100 * float(np.count_nonzero(levels[mask] == k)) / int(mask.sum())
                  for _, mask in groups]
        ax.barh(y, widths, left=left, color=colour, edgecolor="white",
                label=label(level, "japan_level").removeprefix("Japan: "))
        for yi, lf, w in zip(y, left, widths):
            if w >= 6:
                ax.text(lf + w / 2, yi, f"{w:.0f}%", ha="center", va="center", fontsize=8,
                        color="black" if colour in ("#BBBBBB", "#56B4E9", "#E69F00") else "white")
        left = [a + b for a, b in zip(left, widths)]
    ax.set_yticks(y, [f"{g} (n = {int(mask.sum())})" for g, mask in groups])
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of replications (%)")
    ax.set_title(_wrap(f"{title}: Japan's highest legal situation, overall and by outcome", 64))
    # the legend along the figure's foot, in a strip of fixed height (an offset in axes units
    # put it below the figure once many outcomes made the axes tall)
    fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=5, fontsize=8,
               frameon=False)
    fig.tight_layout(rect=(0, 0.45 / fig.get_figheight(), 1, 1))
    save(fig, path)


def loss_distributions(table, title: str, path: Path, summary: dict | None = None) -> None:
    """One histogram per loss or quantity column (``summary.quantity_columns``), over the
    replications in which it has a value. The light band spans the 10th to 90th percentile;
    given the run's ``summary``, the dashed line is the median and the grey band its 95%
    interval, the numbers the summary tables print."""
    import textwrap

    from sim.results.labels import label
    from sim.results.summary import quantity_columns
    n = table.num_rows
    rows = {q["name"]: q for q in (summary or {}).get("quantities", []) if q.get("count")}
    drawn = []
    for col in quantity_columns(table.column_names):
        vals = table.column(col).to_numpy(zero_copy_only=False).astype(float)
        drawn.append((col, label(col), Histogram.of(vals[~np.isnan(vals)])))
        del vals  # one column's values at a time: a million-row run has dozens of columns
    empty = [lab for _, lab, h in drawn if not h.size]
    drawn = [d for d in drawn if d[2].size]
    note = (textwrap.fill(f"No value in any of these {n} replications: {', '.join(empty)}.", 120)
            if empty else "")

    def panel(ax, col, lab, h, colour):
        lo10, hi90 = h.p10, h.p90
        ax.axvspan(lo10, hi90, color=colour, alpha=0.12, lw=0)
        h.draw(ax, colour)
        heading = f"{lab}\n{h.size}/{n} runs; 10th-90th {lo10:.1f}-{hi90:.1f}"
        ax.set_title(heading + _mark_median(ax, rows.get(col)), fontsize=9)

    marks = "; light band: 10th-90th percentile" + (
        "; dashed line and grey band: median and its 95% interval" if rows else "")
    _histogram_grid(drawn, note, textwrap.fill(f"{title}: losses and quantities{marks}", 110),
                    path, 3.4, panel)


RUN_FIGURES = ("outcome_shares", "decision_days", "decision_ecdfs", "japan_ladder",
               "loss_distributions")


def run_figures(column_names) -> tuple[str, ...]:
    """The figures a run with these table columns gets: ``loss_distributions`` only when it
    has loss or quantity columns."""
    from sim.results.summary import quantity_columns
    return tuple(stem for stem in RUN_FIGURES
                 if stem != "loss_distributions" or quantity_columns(column_names))


def write_run_figures(table, summary: dict, title: str, out: Path,
                      formats=("png", "svg")) -> list[Path]:
    """All figures of a run into ``out`` in each format; each file is written atomically."""
    from sim.results.rundir import write_atomic
    makers = {
        "outcome_shares": lambda p: outcome_shares(summary, title, p),
        "decision_days": lambda p: decision_days(table, title, p, summary),
        "decision_ecdfs": lambda p: decision_ecdfs(table, title, p),
        "japan_ladder": lambda p: japan_ladder(table, title, p),
        "loss_distributions": lambda p: loss_distributions(table, title, p, summary),
    }
    written = []
    for stem in run_figures(table.column_names):
        for fmt in formats:
            path = Path(out) / f"{stem}.{fmt}"
            write_atomic(path, makers[stem])
            written.append(path)
    return written


def weekly_fan(column: dict, title: str, path: Path) -> None:
    """A fan chart of one weekly share column (a ``weekly`` entry of the run's summary): the
    median by week, the 25th-75th percentile band and the 10th-90th band, in percent. Below, the
    replications still going each week, since a week's quantiles are over those alone."""
    import textwrap
    plt = _plt()
    weeks = [r for r in column["weeks"] if r.get("count")]
    fig, (ax, below) = plt.subplots(2, 1, figsize=(10, 6.2), sharex=True,
                                    gridspec_kw={"height_ratios": (3.2, 1)})
    if weeks:
        x = np.array([r["week"] for r in weeks], dtype=float)

        def q(key):
            return 100 * np.array([r[key] for r in weeks], dtype=float)

        colour = OKABE_ITO[0]
        ax.fill_between(x, q("p10"), q("p90"), color=colour, alpha=0.18, lw=0,
                        label="10th-90th percentile")
        ax.fill_between(x, q("p25"), q("p75"), color=colour, alpha=0.38, lw=0,
                        label="25th-75th percentile")
        ax.plot(x, q("median"), color=colour, lw=2, marker="o" if len(x) < 30 else None,
                ms=3, label="median")
        below.bar(x, [r["count"] for r in weeks], width=0.8, color="#999999")
        ax.set_xlim(x.min() - 0.6, x.max() + 0.6)
        ax.legend(loc="best", fontsize=9)
    else:
        ax.text(0.5, 0.5, "no replication played a week", ha="center", va="center",
                transform=ax.transAxes)
    ax.set_ylim(0, 105)
    ax.set_ylabel(f"{column['label']} (%)")
    ax.grid(alpha=0.3)
    desc = column.get("description") or ""
    ax.set_title(_wrap(f"{title}: {column['label']} by week", 90)
                 + (f"\n{textwrap.shorten(desc, 120)}" if desc else ""), fontsize=10.5)
    below.set_ylabel("replications\nstill going", fontsize=9)
    below.set_xlabel("week")
    integer_counts(below.yaxis)
    integer_counts(below.xaxis)
    below.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    save(fig, path)


def weekly_figures(summary: dict) -> tuple[str, ...]:
    """The fan charts a run gets: ``weekly_<column>`` per share column of its weekly table
    (none without one)."""
    return tuple(f"weekly_{c['name']}" for c in (summary.get("weekly") or {}).get("columns", []))


def write_weekly_figures(summary: dict, title: str, out: Path,
                         formats=("png", "svg")) -> list[Path]:
    """The fan charts of :func:`weekly_figures` into ``out``, each file written atomically."""
    from sim.results.rundir import write_atomic
    written = []
    for c in (summary.get("weekly") or {}).get("columns", []):
        for fmt in formats:
            path = Path(out) / f"weekly_{c['name']}.{fmt}"
            write_atomic(path, lambda p, c=c: weekly_fan(c, title, p))
            written.append(path)
    return written
