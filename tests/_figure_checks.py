"""Checks on drawn matplotlib figures: nothing clipped at the edges, whole-number ticks on count
axes. The figure functions save and close their figure; ``capture`` keeps it open instead."""

from __future__ import annotations

import contextlib

from matplotlib.text import Text


@contextlib.contextmanager
def capture(monkeypatch, module, name: str = "save"):
    """Replace ``module.name`` (the function a figure function saves with) by one that keeps
    the figure; yields the list of figures drawn."""
    figs = []
    monkeypatch.setattr(module, name, lambda fig, path, *a, **k: figs.append(fig))
    yield figs


def outside(fig, tol: float = 1.0) -> list[str]:
    """Texts and legends whose drawn box reaches beyond the figure (what a reader sees cut)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    bad = []
    # tick labels are judged through the figure's tight box below: matplotlib keeps labels of
    # ticks beyond the axis limits, which it does not draw
    ticks = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for t in axis.get_ticklabels(which="both")}
    artists = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
               and id(t) not in ticks and (t.axes is None or t.axes.get_visible())]
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    for a in artists + legends:
        b = a.get_window_extent(renderer)
        if b.x0 < box.x0 - tol or b.y0 < box.y0 - tol or b.x1 > box.x1 + tol \
                or b.y1 > box.y1 + tol:
            bad.append(a.get_text() if isinstance(a, Text) else f"legend {a}")
    tight = fig.get_tightbbox(renderer)  # inches, everything drawn
    w, h = fig.get_size_inches()
    slack = tol / fig.dpi
    if tight.x0 < -slack or tight.y0 < -slack or tight.x1 > w + slack or tight.y1 > h + slack:
        bad.append(f"drawn area {tight} beyond the figure {w:.2f} x {h:.2f} in")
    return bad


def integer_locator(axis) -> bool:
    from matplotlib.ticker import MaxNLocator
    loc = axis.get_major_locator()
    return isinstance(loc, MaxNLocator) and bool(getattr(loc, "_integer", False))
