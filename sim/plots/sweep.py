"""Figures for experiments: outcome shares across a sweep, sensitivity indices as bars.

Both are written to a temporary file and renamed, so a figure is never half-written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from sim.plots.figures import _plt, save

# Okabe-Ito colours: distinguishable without colour vision; markers add a second cue.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
MAX_PANELS = 12


def _save_atomic(fig, path: Path) -> None:
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        save(fig, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _numeric(values) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def sweep_figure(rows: list[dict], params: Sequence, param, title: str, path: Path) -> None:
    """Each outcome's share against ``param``, with 95% Wilson intervals as error bars; one
    panel per combination of the other swept parameters."""
    plt = _plt()
    others = [p for p in params if p is not param]
    outcome_rows = [r for r in rows if r["kind"] == "outcome"]
    names = sorted({r["name"] for r in outcome_rows
                    if any(x["name"] == r["name"] and x["share"] > 0 for x in outcome_rows)})
    combos = sorted({tuple(str(r[p.path]) for p in others) for r in outcome_rows})[:MAX_PANELS]
    numeric = _numeric(param.values)
    xpos = {str(v): (v if numeric else i) for i, v in enumerate(param.values)}
    n = len(combos)
    cols = min(3, n)
    nrows = -(-n // cols)
    legend_rows = -(-max(1, len(names)) // 5)
    height = 3.6 * nrows + 0.6 + 0.3 * legend_rows
    fig, axes = plt.subplots(nrows, cols, figsize=(5.2 * cols, height), squeeze=False,
                             sharey=True)
    for ax, combo in zip(axes.flat, combos):
        for k, name in enumerate(names):
            pts = sorted(((xpos[str(r[param.path])], r) for r in outcome_rows
                          if r["name"] == name
                          and tuple(str(r[p.path]) for p in others) == combo),
                         key=lambda t: t[0])
            if not pts:
                continue
            xs = [x for x, _ in pts]
            ys = [r["share"] for _, r in pts]
            err = [[max(0.0, r["share"] - r["ci95_low"]) for _, r in pts],
                   [max(0.0, r["ci95_high"] - r["share"]) for _, r in pts]]
            ax.errorbar(xs, ys, yerr=err, label=name, color=COLOURS[k % len(COLOURS)],
                        marker=MARKERS[k % len(MARKERS)], capsize=3, linewidth=1.4,
                        linestyle=("-", "--", ":")[k // len(COLOURS) % 3])
        if not numeric:
            ax.set_xticks(range(len(param.values)))
            ax.set_xticklabels([str(v) for v in param.values])
            ax.set_xlim(-0.5, len(param.values) - 0.5)
        ax.set_xlabel(param.path)
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        if others:
            ax.set_title(", ".join(f"{p.path.split('.')[-1]}={v}"
                                   for p, v in zip(others, combo)), fontsize=9)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("share of replications")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(5, max(1, len(labels))),
               fontsize=8, frameon=False)
    fig.suptitle(f"{title}: outcome shares across the sweep (95% Wilson intervals)")
    fig.tight_layout(rect=(0, (0.35 + 0.3 * legend_rows) / height, 1, 0.95))
    _save_atomic(fig, path)


def indices_figure(table: list[dict], method: str, title: str, path: Path) -> None:
    """Bars of first-order and total Sobol indices (or Morris mu* and sigma) per parameter, one
    panel per output, with the bootstrap confidence intervals as error bars."""
    plt = _plt()
    outputs = list(dict.fromkeys(r["output"] for r in table))
    first, second = (("S1", "ST") if method == "sobol" else ("mu_star", "sigma"))
    fig, axes = plt.subplots(1, len(outputs), figsize=(4.8 * len(outputs), 4.2), squeeze=False)
    for ax, out in zip(axes.flat, outputs):
        rows = [r for r in table if r["output"] == out]
        names = [r["param"].split(".")[-2] + "." + r["param"].split(".")[-1]
                 if r["param"].count(".") else r["param"] for r in rows]
        idx = list(range(len(rows)))
        w = 0.38
        for j, (key, colour) in enumerate(((first, COLOURS[0]), (second, COLOURS[1]))):
            vals = [r[key] for r in rows]
            conf = [r.get(f"{key}_conf") or 0.0 for r in rows]
            ax.bar([i + (j - 0.5) * w for i in idx], vals, w, yerr=conf, capsize=3,
                   color=colour, label=key)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(idx)
        ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
        ax.set_title(out, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    what = "first-order and total Sobol indices" if method == "sobol" else "Morris mu* and sigma"
    fig.suptitle(f"{title}: {what} (95% bootstrap intervals)")
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    _save_atomic(fig, path)
