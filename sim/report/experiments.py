"""``straitsim report`` for a comparison or a sweep folder: one self-contained page, like a run's.

A comparison page shows each variant's shares side by side (with the differences from the first,
when they were computed), the medians of the decision days and of any ``--column``, and the
comparison figure. A sweep page shows, per grid point, each outcome's share, Japan's legal
level and the medians of the sweep's columns, with one figure per swept parameter. Both are
drawn from the folder's own files; nothing is re-run.
"""

from __future__ import annotations

import json
from pathlib import Path

from sim.errors import OutputError
from sim.report.html import CSS, SCRIPT, _e, _figure, _pct, _png, glossary_html


def folder_kind(path: Path) -> str | None:
    """``"comparison"``, ``"sweep"`` or None (a run folder, or not ours)."""
    path = Path(path)
    if (path / "comparison.json").is_file():
        return "comparison"
    m = path / "manifest.json"
    if m.is_file():
        try:
            if json.loads(m.read_text(encoding="utf-8")).get("kind") == "sweep":
                return "sweep"
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
            return None
    return None


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict):
        raise OutputError(f"{path}: expected a JSON object")
    return data


def _page(title: str, body: list[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}: straitsim report</title><style>{CSS}</style></head><body>",
        *body, "<h2>Glossary</h2>", glossary_html(),
        f"<script>{SCRIPT}</script></body></html>"])


def _ci(ci) -> str:
    if not ci or ci[0] is None:
        return "–"
    return f"{_pct(ci[0])} – {_pct(ci[1])}"


def _median(v: dict) -> str:
    if not v.get("count") or v.get("median") is None:
        return "–"
    lo, hi = v["ci95"]
    return f"{v['median']:.1f} <span class=small>[{lo:.1f}, {hi:.1f}]</span>"


def _diff(d: dict, scale: float = 100.0) -> str:
    if d.get("diff") is None or d["diff"] != d["diff"]:
        return "–"
    ci = d.get("ci95")
    text = f"{scale * d['diff']:+.1f}"
    if ci and ci[0] is not None:
        text += f" <span class=small>[{scale * ci[0]:+.1f}, {scale * ci[1]:+.1f}]</span>"
    return text


def build_comparison_report(folder: Path) -> str:
    """The page of a ``straitsim compare`` folder, from its ``comparison.json``."""
    from sim.plots.compare import comparison_figure
    from sim.results.compare import SECTION_TITLES
    folder = Path(folder)
    c = _read_json(folder / "comparison.json")
    try:
        variants = c["variants"]
        sections = c["sections"]
    except KeyError as exc:
        raise OutputError(f"{folder / 'comparison.json'}: missing {exc}") from None
    diff = c.get("diff", True)
    letters = [v["letter"] for v in variants]
    head = "".join(f"<th>{x} share</th><th>95% CI</th>" for x in letters)
    dhead = "".join(f"<th>{x} − A (pp) [95% CI]</th>" for x in letters[1:]) if diff else ""
    body = [f"<h1>Comparison: {_e(' vs '.join(v['label'] for v in variants))}</h1>",
            "<p class=meta>" + ("Paired on "
                                f"{c.get('replications')} replications (common random numbers)"
                                if c.get("paired") and diff else "Side by side" if not diff
                                else "Independent samples") + f". Shares: "
            f"{_e(c.get('intervals', {}).get('shares', ''))}"
            + (f"; differences: {_e(c['intervals'].get('differences', ''))}" if diff else "")
            + ".</p>",
            "<table><tr><th>variant</th><th>scenario</th><th>title</th><th>root seed</th>"
            "<th>runs</th><th>overrides</th></tr>"
            + "".join(f"<tr><td>{_e(v['letter'])}: {_e(v['label'])}</td>"
                      f"<td><code>{_e(v['scenario'])}</code></td><td>{_e(v['title'])}</td>"
                      f"<td class=num>{_e(v['root_seed'])}</td><td class=num>{v['runs']}</td>"
                      f"<td>{', '.join(f'<code>{_e(o)}</code>' for o in v['overrides']) or '–'}"
                      f"</td></tr>" for v in variants) + "</table>"]
    for key, items in sections.items():
        rows = "".join(
            f"<tr><td>{_e(it['label'])}</td>"
            + "".join(f"<td class=num>{_pct(v['share'])}</td><td class=num>{_ci(v['ci95'])}</td>"
                      for v in it["values"])
            + "".join(f"<td class=num>{_diff(d)}</td>" for d in it["diffs"]) + "</tr>"
            for it in items)
        body.append(f"<h2>{_e(SECTION_TITLES.get(key, key))}</h2><table><tr><th></th>{head}"
                    f"{dhead}</tr>{rows}</table>")
    for key, title in (("days", "Median day of the main decisions"),
                       ("columns", "Medians of the columns asked for")):
        if not c.get(key):
            continue
        mhead = "".join(f"<th>{x} median [95% CI]</th>" for x in letters)
        dh = "".join(f"<th>{x} − A [95% CI]</th>" for x in letters[1:]) if diff else ""
        rows = "".join(
            f"<tr><td>{_e(it['label'])}</td>"
            + "".join(f"<td class=num>{_median(v)}</td>" for v in it["values"])
            + "".join(f"<td class=num>{_diff(d, 1.0)}</td>" for d in it["diffs"]) + "</tr>"
            for it in c[key])
        body.append(f"<h2>{_e(title)}</h2><table><tr><th></th>{mhead}{dh}</tr>{rows}</table>")
    body.append("<h2>Figure</h2>" + _figure(_png(lambda p: comparison_figure(c, p)),
                                            "Shares by variant",
                                            "Each variant's shares with 95% Wilson intervals"
                                            + ("; beside them each variant's difference from "
                                               "A." if diff else ".")))
    body.append(f"<p class=meta>Written by <code>straitsim report {_e(folder)}</code> from "
                f"<code>comparison.json</code>.</p>")
    return _page("Comparison", body)


def _sweep_rows(folder: Path, m: dict):
    """The sweep's params and summary rows, rebuilt from each point's manifest and table."""
    import pyarrow.parquet as pq

    from sim.experiments.sweep import Param, column_stats, summary_rows
    from sim.results.table import ok_rows
    params = [Param(p["path"], tuple(p["values"]), p["path"]) for p in m.get("params", [])]
    infos = []
    for g in m.get("grid", []):
        point = folder / g["folder"]
        pm = _read_json(point / "manifest.json")
        info = {"point": g["point"], "values": g["values"], "summary": pm.get("summary", {})}
        if m.get("columns"):
            try:
                t = ok_rows(pq.read_table(point / "outcomes.parquet"))
            except (OSError, ValueError) as exc:
                raise OutputError(f"{point / 'outcomes.parquet'}: cannot read: "
                                  f"{str(exc).splitlines()[0]}") from None
            info["columns"] = {c: column_stats(t, c, seed=k) for k, c in enumerate(m["columns"])}
        infos.append(info)
    return params, summary_rows(params, infos)


def build_sweep_report(folder: Path) -> str:
    """The page of a ``straitsim sweep`` folder."""
    from sim.experiments.sweep import _value_text
    from sim.results.labels import short_labels
    from sim.plots.sweep import sweep_figure
    from sim.results.labels import label
    folder = Path(folder)
    m = _read_json(folder / "manifest.json")
    try:
        params, rows = _sweep_rows(folder, m)
    except KeyError as exc:
        raise OutputError(f"{folder / 'manifest.json'}: missing {exc}") from None
    short = short_labels([p.path for p in params])
    points = sorted({r["point"] for r in rows})
    by = {(r["point"], r["kind"], r["name"]): r for r in rows}
    values = {r["point"]: r for r in rows}
    body = [f"<h1>Sweep: {_e(m.get('title') or m.get('scenario'))}</h1>",
            f"<p class=meta>Scenario <code>{_e(m.get('scenario'))}</code>, {len(points)} points "
            f"x {m.get('runs_per_point')} replications, root seed "
            f"<code>{_e(m.get('root_seed'))}</code> at every point (common random numbers). "
            f"Swept: {', '.join(f'<code>{_e(p.path)}</code>' for p in params)}"
            + (f"; fixed: {', '.join(f'<code>{_e(x)}</code>' for x in m.get('sets') or [])}"
               if m.get("sets") else "") + ". Shares with 95% Wilson intervals.</p>"]
    phead = "".join(f"<th>{_e(short[p.path])}</th>" for p in params)
    for kind, section, title, cell in (
            ("outcome", "outcomes", "Outcome share by point", "share"),
            ("japan_level", "japan_level", "Japan's highest legal situation by point", "share"),
            ("column", None, "Medians by point", "median")):
        names = list(dict.fromkeys(r["name"] for r in rows if r["kind"] == kind
                                   and (kind != "outcome" or any(
                                       x["share"] for x in rows if x["kind"] == kind
                                       and x["name"] == r["name"]))))
        if not names:
            continue
        head = "".join(f"<th>{_e(label(n, section) if section else label(n))}</th>"
                       for n in names)
        trs = []
        for pt in points:
            cells = "".join(f"<td>{_e(_value_text(values[pt][p.path]))}</td>" for p in params)
            for n in names:
                r = by.get((pt, kind, n))
                if r is None:
                    cells += "<td class=num>–</td>"
                elif cell == "share":
                    cells += (f"<td class=num>{_pct(r['share'])} <span class=small>"
                              f"[{_pct(r['ci95_low'])}, {_pct(r['ci95_high'])}]</span></td>")
                else:
                    cells += f"<td class=num>{_median({'count': r['count'], 'median': r['median'], 'ci95': (r['ci95_low'], r['ci95_high'])})}</td>"  # noqa: E501
            trs.append(f"<tr><td class=num>{pt}</td>{cells}</tr>")
        body.append(f"<h2>{_e(title)}</h2><table><tr><th>point</th>{phead}{head}</tr>"
                    f"{''.join(trs)}</table>")
    body.append("<h2>Figures</h2>")
    for p in params:
        uri = _png(lambda path, p=p: sweep_figure(rows, params, p, str(m.get("scenario")), path))
        body.append(_figure(uri, f"Across {short[p.path]}",
                            f"Each outcome's share and each step of Japan's legal ladder "
                            f"against {p.path}, with 95% Wilson intervals."))
    body.append(f"<p class=meta>Written by <code>straitsim report {_e(folder)}</code> from the "
                f"sweep folder's manifests and tables.</p>")
    return _page(f"Sweep {m.get('scenario')}", body)
