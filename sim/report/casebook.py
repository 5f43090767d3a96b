"""The casebook page (``straitsim casebook``): every case's checks, model against published,
in one self-contained HTML file like the run report.

Each check gets a small inline SVG scale: the band shaded, the published figure as a diamond,
the model's estimate as a dot with its 95% interval as a bar, so a reader sees at a glance how
far a miss is and how firm an agreement is. Nothing is fetched; no figure library is needed.
"""

from __future__ import annotations

import math

from sim.report.html import CSS, _e
from sim.results.casebook import is_outside

EXTRA_CSS = """
.v-inside{color:#005a32;font-weight:600}.v-inside-at-edge{color:#8a6d00;font-weight:600}
.v-outside,.v-outside-at-edge{color:#b03000;font-weight:700}.v-no-data{color:#666}
svg.scale{vertical-align:middle}
"""


def _cls(v: str) -> str:
    return "v-" + v.replace(" ", "-")


def _fin(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def _num(x) -> str:
    if not _fin(x):
        return "–"
    return "0" if abs(x) < 1e-9 else f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def scale_svg(s: dict, width: int = 240, height: int = 26) -> str:
    """The check's band, published figure, estimate and interval on one horizontal scale."""
    pts = [x for x in (s["band_min"], s["band_max"], s["published"], s["estimate"],
                       *(s["ci95"] or ())) if _fin(x)]
    if not pts:
        return ""
    lo, hi = min(pts), max(pts)
    pad = (hi - lo) * 0.08 or max(abs(hi), 1.0) * 0.1
    lo, hi = lo - pad, hi + pad

    def x(v: float) -> float:
        return 4 + (width - 8) * (v - lo) / (hi - lo)
    mid = height / 2
    b0 = x(s["band_min"]) if _fin(s["band_min"]) else 0
    b1 = x(s["band_max"]) if _fin(s["band_max"]) else width
    parts = [f'<svg class="scale" width="{width}" height="{height}" role="img" '
             f'aria-label="band, published figure and model estimate">',
             f'<line x1="0" y1="{mid}" x2="{width}" y2="{mid}" stroke="#ccc"/>',
             f'<rect x="{b0:.1f}" y="3" width="{max(1.0, b1 - b0):.1f}" height="{height - 6}" '
             f'fill="#cfe6f5"><title>band {_e(s["band"])}</title></rect>']
    if _fin(s["published"]):
        p = x(s["published"])
        parts.append(f'<polygon points="{p:.1f},{mid - 6} {p + 5:.1f},{mid} {p:.1f},{mid + 6} '
                     f'{p - 5:.1f},{mid}" fill="#E69F00"><title>published '
                     f'{_num(s["published"])}</title></polygon>')
    if _fin(s["estimate"]):
        ci = s["ci95"] or (math.nan, math.nan)
        if _fin(ci[0]) and _fin(ci[1]):
            parts.append(f'<line x1="{x(ci[0]):.1f}" y1="{mid}" x2="{x(ci[1]):.1f}" '
                         f'y2="{mid}" stroke="#1a1a1a" stroke-width="2"/>')
        colour = "#b03000" if is_outside(s["verdict"]) else "#0072B2"
        parts.append(f'<circle cx="{x(s["estimate"]):.1f}" cy="{mid}" r="4" fill="{colour}">'
                     f'<title>model {_num(s["estimate"])}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def _statistic(s: dict) -> str:
    stat = s["statistic"] if s["statistic"] != "quantile" else f"quantile {s['q']:g}"
    what = (f"of {', '.join(s['outcomes'])}" if s["outcomes"] else f"of {s['column']}")
    if s["week"] is not None:
        what += f" at week {s['week']}"
    if s["where"]:
        what += " where " + "; ".join(f"{k} in {', '.join(map(str, v))}"
                                      for k, v in s["where"].items())
    return f"{stat} {what}"


def _sources(src) -> str:
    ids = [src] if isinstance(src, str) else list(src or [])
    return ", ".join(f"<span class=cid>{_e(i)}</span>" for i in ids)


def _case(c: dict) -> str:
    rows = []
    for s in c["checks"]:
        est = "–" if s["n"] == 0 else (f"{_num(s['estimate'])}<br><span class=small>"
                                       f"[{_num(s['ci95'][0])}, {_num(s['ci95'][1])}] "
                                       f"n={s['n']}</span>")
        pub = "–" if s["published"] is None else f"{_num(s['published'])} {_e(s['unit'])}"
        if s.get("published_note"):
            pub += f"<br><span class=small>{_e(s['published_note'])}</span>"
        rows.append(
            f"<tr><td><b>{_e(s['check'])}</b><br><span class=small>{_e(_statistic(s))}"
            f"</span></td><td>{_e(s['role'])}</td><td class=num>{est}</td>"
            f"<td>{pub}</td><td class=num>{_e(s['band'])}</td><td>{scale_svg(s)}</td>"
            f"<td class='{_cls(s['verdict'])}'>{_e(s['verdict'])}</td>"
            f"<td class=small>{_e(s['why'])}<br>{_sources(s['source'])}</td></tr>")
    r = c["roles"]
    errors = (f'<div class="banner error" role="alert">{c["errors"]} replications failed '
              f'(status error); the checks are of the {c["runs"]} that finished.</div>'
              if c.get("errors") else "")
    return (f'<h2 id="case-{_e(c["name"])}">{_e(c["title"])} '
            f'<span class="{_cls(c["verdict"])}">({_e(c["verdict"])})</span></h2>'
            f"{errors}<p>{_e(c['description'] or '')}</p>"
            f"<p class=meta>Case <code>{_e(c['file'])}</code>, scenario "
            f"<code>{_e(c['scenario'])}</code>, {c['runs']:,} replications, root seed "
            f"<code>{c['seed']}</code>, run folder <code>{_e(c['run_dir'])}</code>; source "
            f"{_sources(c['source'])}. Fitted checks inside: {r['fitted']['inside']} of "
            f"{r['fitted']['checks']}; checked: {r['checked']['inside']} of "
            f"{r['checked']['checks']}.</p>"
            f"<table><tr><th>check</th><th>role</th><th>model [95% CI]</th><th>published</th>"
            f"<th>band</th><th>scale</th><th>verdict</th><th>why this band; source</th></tr>"
            f"{''.join(rows)}</table>")


def build_casebook_page(book: dict) -> str:
    """The page for ``book`` (what ``casebook.json`` holds)."""
    cases = book["cases"]
    summary = "".join(
        f"<tr><td><a href='#case-{_e(c['name'])}'>{_e(c['name'])}</a></td>"
        f"<td>{_e(c['title'])}</td><td class=num>{c['runs']:,}</td>"
        f"<td class=num>{c['roles']['fitted']['inside']}/{c['roles']['fitted']['checks']}</td>"
        f"<td class=num>{c['roles']['checked']['inside']}/{c['roles']['checked']['checks']}"
        f"</td><td class='{_cls(c['verdict'])}'>{_e(c['verdict'])}</td></tr>" for c in cases)
    misses = [(c["name"], s) for c in cases for s in c["checks"] if is_outside(s["verdict"])]
    miss_html = ("<p>Every check's estimate lies inside its band.</p>" if not misses else
                 "<p><b>Outside their bands:</b> " + "; ".join(
                     f"{_e(n)} / {_e(s['check'])} ({_e(s['role'])}: {_num(s['estimate'])} "
                     f"against {_e(s['band'])})" for n, s in misses) + ".</p>")
    return "\n".join([
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Casebook: straitsim</title><style>{CSS}{EXTRA_CSS}</style></head><body>",
        "<h1>Casebook: the model against published results</h1>",
        "<p>Each case runs a scenario variant that states a published game's assumptions and "
        "holds statistics of the run against the published figures. <i>Fitted</i> checks were "
        "tuned to (agreement there shows the fit held); <i>checked</i> ones never were "
        "(agreement there is evidence about the model). Verdicts: <i>inside</i> (estimate and "
        "its 95% interval in the band), <i>inside-at-edge</i> (estimate in, interval crossing "
        "an edge), <i>outside-at-edge</i> (estimate out, interval reaching in), <i>outside</i>, "
        "<i>no data</i>. Intervals: Wilson for shares, bootstrap (order statistics above "
        "5,000 values) for medians and quantiles, normal for means.</p>",
        miss_html,
        "<table><tr><th>case</th><th>title</th><th>runs</th><th>fitted inside</th>"
        f"<th>checked inside</th><th>verdict</th></tr>{summary}</table>",
        *(_case(c) for c in cases),
        f"<p class=meta>Written by <code>{_e(book.get('command', 'straitsim casebook'))}</code>"
        f"; the numbers are in <code>casebook.json</code> beside this page.</p>",
        "</body></html>"])
