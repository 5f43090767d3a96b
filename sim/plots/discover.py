"""The figure of a scenario discovery (``sim.results.discover``): the first PRIM box's peeling
trajectory (coverage against density, the kept box marked), and the box drawn over a scatter of
the replications on its two most significant inputs (one input: the outcome's share along it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.plots.figures import OKABE_ITO, _plt, _wrap, save

SCATTER_MAX = 4000  # points drawn: enough to see the box, few enough for a light file


def _short(name: str) -> str:
    return name[len("draw."):] if name.startswith("draw.") else name


def discovery_figure(table, d: dict, title: str, path: Path) -> bool:
    """Write the figure to ``path``; False (nothing written) when no box restricts an input."""
    from sim.results.discover import outcome_indicator
    from sim.results.table import ok_rows

    boxes = [b for b in d.get("boxes", ()) if b["ranges"]]
    if not boxes:
        return False
    box = boxes[0]
    plt = _plt()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.6))
    traj = np.array(box["trajectory"], dtype=float)
    sc = ax1.scatter(traj[:, 0], traj[:, 1], c=traj[:, 3], cmap="viridis", s=14)
    ax1.scatter([box["coverage"]], [box["density"]], s=120, facecolors="none",
                edgecolors=OKABE_ITO[3], linewidths=2, label="box kept")
    ax1.set_xlabel("coverage (share of the outcome inside the box)")
    ax1.set_ylabel("density (share inside with the outcome)")
    ax1.set_title("PRIM peeling trajectory, box 1", fontsize=10)
    ax1.legend(loc="lower left", fontsize=8)
    fig.colorbar(sc, ax=ax1, label="inputs restricted")

    table = ok_rows(table)
    y = outcome_indicator(table, d["outcome"])
    ranges = sorted(box["ranges"], key=lambda r: r["qp"])[:2]
    cols = [np.asarray(table.column(r["column"]).to_numpy(zero_copy_only=False), float)
            for r in ranges]
    rng = np.random.default_rng(0)  # which points are drawn only: the same figure every time
    idx = np.arange(len(y))
    if len(idx) > SCATTER_MAX:
        idx = np.sort(rng.choice(idx, SCATTER_MAX, replace=False))
    if len(ranges) == 2:
        x0, x1 = cols[0][idx], cols[1][idx]
        hit = y[idx]
        ax2.scatter(x0[~hit], x1[~hit], s=4, color="#BBBBBB", label="other replications")
        ax2.scatter(x0[hit], x1[hit], s=5, color=OKABE_ITO[0], label=d["outcome"])
        lo = [r["low"] for r in ranges]
        hi = [r["high"] for r in ranges]
        ax2.add_patch(plt.Rectangle((lo[0], lo[1]), hi[0] - lo[0], hi[1] - lo[1], fill=False,
                                    edgecolor=OKABE_ITO[3], linewidth=2, label="box 1"))
        ax2.set_xlabel(_short(ranges[0]["column"]), fontsize=8)
        ax2.set_ylabel(_short(ranges[1]["column"]), fontsize=8)
        ax2.legend(loc="best", fontsize=8, markerscale=3)
    else:
        x0 = cols[0]
        edges = np.unique(np.quantile(x0, np.linspace(0, 1, 21)))
        which = np.clip(np.searchsorted(edges, x0, side="right") - 1, 0, len(edges) - 2)
        share = [y[which == b].mean() if (which == b).any() else np.nan
                 for b in range(len(edges) - 1)]
        mids = (edges[:-1] + edges[1:]) / 2
        ax2.plot(mids, share, marker="o", color=OKABE_ITO[0])
        r = ranges[0]
        ax2.axvspan(r["low"], r["high"], color=OKABE_ITO[3], alpha=0.15, label="box 1")
        ax2.set_xlabel(_short(r["column"]), fontsize=8)
        ax2.set_ylabel(f"share {d['outcome']}")
        ax2.set_ylim(0, 1)
        ax2.legend(loc="best", fontsize=8)
    ax2.set_title(f"box 1: coverage {box['coverage']:.0%}, density {box['density']:.0%}",
                  fontsize=10)
    fig.suptitle(_wrap(f"Where {d['outcome']} concentrates: {title}", 90), fontsize=11)
    fig.tight_layout()
    save(fig, path)
    return True
