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
    """Each outcome's share against ``param`` (top row of panels), and each step of Japan's legal
    ladder (bottom row), with 95% Wilson intervals as error bars; one column of panels per
    combination of the other swept parameters. Legends sit beside the panels, never on them."""
    import textwrap

    from sim.results.labels import short_labels
    from sim.results.labels import label
    plt = _plt()
    short = short_labels([p.path for p in params])
    others = [p for p in params if p is not param]
    kinds = [("outcome", "outcomes", "outcome share"),
             ("japan_level", "japan_level", "Japan's legal level (share)")]
    kinds = [k for k in kinds if any(r["kind"] == k[0] for r in rows)]
    combos = sorted({tuple(str(r[p.path]) for p in others) for r in rows
                     if r["kind"] in ("outcome", "japan_level")})[:MAX_PANELS]
    numeric = _numeric(param.values)
    xpos = {str(v): (v if numeric else i) for i, v in enumerate(param.values)}
    ncols = max(1, min(3, len(combos)))
    combos = combos[:ncols * max(1, MAX_PANELS // (ncols * len(kinds) or 1))]
    panel_rows = -(-len(combos) // ncols)
    nrows = panel_rows * len(kinds)
    fig = plt.figure(figsize=(4.6 * ncols + 3.2, 3.3 * nrows + 1.0), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
    for kk, (kind, section, what) in enumerate(kinds):
        kind_rows = [r for r in rows if r["kind"] == kind]
        names = list(dict.fromkeys(r["name"] for r in kind_rows
                                   if any(x["name"] == r["name"] and x["share"] > 0
                                          for x in kind_rows)))
        handles = {}
        for c, combo in enumerate(combos):
            ax = axes[kk * panel_rows + c // ncols, c % ncols]
            for k, name in enumerate(names):
                pts = sorted(((xpos[str(r[param.path])], r) for r in kind_rows
                              if r["name"] == name
                              and tuple(str(r[p.path]) for p in others) == combo),
                             key=lambda t: t[0])
                if not pts:
                    continue
                xs = [x for x, _ in pts]
                ys = [r["share"] for _, r in pts]
                err = [[max(0.0, r["share"] - r["ci95_low"]) for _, r in pts],
                       [max(0.0, r["ci95_high"] - r["share"]) for _, r in pts]]
                h = ax.errorbar(xs, ys, yerr=err, label=label(name, section),
                                color=COLOURS[k % len(COLOURS)],
                                marker=MARKERS[k % len(MARKERS)], capsize=3, linewidth=1.4,
                                linestyle=("-", "--", ":")[k // len(COLOURS) % 3])
                handles.setdefault(label(name, section), h)
            if not numeric:
                ax.set_xticks(range(len(param.values)))
                ax.set_xticklabels([str(v) for v in param.values])
                ax.set_xlim(-0.5, len(param.values) - 0.5)
            ax.set_xlabel(short[param.path])
            ax.set_ylim(-0.02, 1.02)
            ax.grid(alpha=0.3)
            head = what if not others else what + "\n" + ", ".join(
                f"{short[p.path]}={v}" for p, v in zip(others, combo))
            ax.set_title("\n".join(textwrap.wrap(head, 44)) if "\n" not in head else head,
                         fontsize=9)
            if c % ncols == 0:
                ax.set_ylabel("share of replications")
        for c in range(len(combos), panel_rows * ncols):
            axes[kk * panel_rows + c // ncols, c % ncols].set_visible(False)
        if handles:
            # one legend per row of kinds, to the right of that row's last panel
            ax = axes[kk * panel_rows, min(ncols, len(combos)) - 1]
            ax.legend(list(handles.values()), list(handles), loc="upper left",
                      bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False,
                      title=what.split(" (")[0], title_fontsize=8)
    fig.suptitle("\n".join(textwrap.wrap(
        f"{title}: shares across the sweep of {short[param.path]} (95% Wilson intervals)",
        30 + 35 * ncols)), fontsize=11)
    _save_atomic(fig, path)


def indices_figure(table: list[dict], method: str, title: str, path: Path) -> None:
    """Bars of first-order and total Sobol indices (or Morris mu* and sigma) per parameter, one
    panel per output, with the bootstrap confidence intervals as error bars."""
    plt = _plt()
    outputs = list(dict.fromkeys(r["output"] for r in table))
    first, second = (("S1", "ST") if method == "sobol" else ("mu_star", "sigma"))
    import textwrap
    fig, axes = plt.subplots(1, len(outputs), figsize=(max(4.8 * len(outputs), 7.0), 4.4),
                             squeeze=False)
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
    heading = textwrap.wrap(f"{title}: {what} (95% bootstrap intervals)",
                            max(60, 12 * len(outputs)))
    fig.suptitle("\n".join(heading))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.07 * len(heading)))
    _save_atomic(fig, path)
