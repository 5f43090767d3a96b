"""The comparison figure: each variant's shares with Wilson intervals beside each variant's
difference from the first with its (paired) interval. Drawn from a comparison dict alone."""

from __future__ import annotations

from pathlib import Path

from sim.plots.figures import OKABE_ITO, _plt, save
from sim.results.compare import SECTION_TITLES

MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")


def comparison_figure(c: dict, path: Path) -> None:
    plt = _plt()
    variants = c["variants"]
    rows = [(key, it) for key, items in c["sections"].items() for it in items]
    labels = [f"{it['label'].replace('_', ' ')}" for _, it in rows]
    nv = len(variants)
    diff = c.get("diff", True)
    height = 0.34 * len(rows) * max(1, nv / 2) + 2.4
    if diff:
        fig, (left, right) = plt.subplots(1, 2, figsize=(13, height), sharey=True,
                                          gridspec_kw={"width_ratios": [3, 2]})
    else:
        fig, left = plt.subplots(figsize=(9, height))
        right = None
    step = 0.8 / nv
    for j, v in enumerate(variants):
        ys = [len(rows) - 1 - i + 0.4 - step * (j + 0.5) for i in range(len(rows))]
        shares = [100 * it["values"][j]["share"] for _, it in rows]
        lo = [max(0.0, s - 100 * it["values"][j]["ci95"][0]) for s, (_, it) in zip(shares, rows)]
        hi = [max(0.0, 100 * it["values"][j]["ci95"][1] - s) for s, (_, it) in zip(shares, rows)]
        left.barh(ys, shares, height=step * 0.9, xerr=[lo, hi], color=OKABE_ITO[j % 8],
                  capsize=2, ecolor="#333333", label=f"{v['letter']}: {v['label']}")
        if j and diff:
            d = [it["diffs"][j - 1] for _, it in rows]
            x = [100 * e["diff"] for e in d]
            xl = [max(0.0, xi - 100 * e["ci95"][0]) for xi, e in zip(x, d)]
            xh = [max(0.0, 100 * e["ci95"][1] - xi) for xi, e in zip(x, d)]
            right.errorbar(x, ys, xerr=[xl, xh], fmt=MARKERS[j % len(MARKERS)],
                           color=OKABE_ITO[j % 8], capsize=3, ms=4,
                           label=f"{v['letter']} - A")
    # lines between sections
    start = 0
    for items in c["sections"].values():
        if start:
            for ax in (left, right) if diff else (left,):
                ax.axhline(len(rows) - 1 - start + 0.5, color="#999999", lw=0.6)
        start += len(items)
    left.set_yticks(range(len(rows))[::-1], labels, fontsize=8)
    left.set_xlim(0, 100)
    left.set_xlabel("share of replications (%); 95% Wilson intervals")
    left.set_title("shares by variant", fontsize=10)
    left.legend(loc="lower right", fontsize=8)
    if diff:
        right.axvline(0, color="black", lw=0.8)
        right.set_xlabel("difference from A (percentage points); 95% "
                         + ("paired interval" if c["paired"] else "Newcombe interval"))
        right.set_title("difference from A", fontsize=10)
        right.grid(axis="x", alpha=0.3)
        right.legend(loc="lower right", fontsize=8)
    what = ("side by side" if not diff else
            f"common random numbers, {c['replications']} paired replications" if c["paired"]
            else "independent samples")
    sections = ", ".join(SECTION_TITLES[k] for k in c["sections"])
    import textwrap
    fig.suptitle("\n".join(textwrap.wrap(
        f"{variants[0]['label']} vs " + ", ".join(v["label"] for v in variants[1:])
        + f" ({what})", 100 if diff else 70)) + f"\nrows: {sections}", fontsize=11)
    fig.tight_layout()
    save(fig, path)
