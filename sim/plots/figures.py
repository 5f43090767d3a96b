"""Figures of a run: outcome shares with 95% intervals, and decision-day histograms.

Colours are the Okabe-Ito palette, which stays distinct for colour-blind readers.
"""

from __future__ import annotations

from pathlib import Path

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000")


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def outcome_shares(summary: dict, title: str, path: Path) -> None:
    plt = _plt()
    rows = summary["outcomes"] + [i for i in summary["indicators"]]
    names = [r.get("label", r["name"].replace("_", " ")) for r in rows]
    shares = [r["share"] for r in rows]
    lo = [max(0.0, r["share"] - r["ci95"][0]) for r in rows]
    hi = [max(0.0, r["ci95"][1] - r["share"]) for r in rows]
    colours = [OKABE_ITO[0]] * len(summary["outcomes"]) + [OKABE_ITO[1]] * len(
        summary["indicators"])
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(rows) + 1.5))
    y = list(range(len(rows)))[::-1]
    ax.barh(y, shares, xerr=[lo, hi], color=colours, capsize=3)
    ax.set_yticks(y, names)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of replications (bars: 95% Wilson interval)")
    ax.set_title(f"{title}: outcomes (blue) and indicators (orange), n={summary['runs']}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def decision_days(table, title: str, path: Path) -> None:
    from sim.results.summary import DAYS
    plt = _plt()
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.5))
    n = table.num_rows
    for ax, (col, label), colour in zip(axes.flat, DAYS, OKABE_ITO):
        vals = [v for v in table.column(col).to_pylist() if v is not None]
        if vals:
            ax.hist(vals, bins=40, color=colour)
        else:
            ax.text(0.5, 0.5, "never happened", ha="center", va="center",
                    transform=ax.transAxes)
        ax.set_title(f"{label} ({len(vals)}/{n} runs)", fontsize=10)
        ax.set_xlabel("day since scenario start")
        ax.set_ylabel("replications")
    fig.suptitle(f"{title}: when decisions happened")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
