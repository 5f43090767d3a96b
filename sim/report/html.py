"""``straitsim report``: one HTML file a facilitator can put on a screen or mail.

Self-contained on purpose: the CSS is inline and the figures are PNG data URIs, so the page
opens offline and fetches nothing. Everything comes from the run folder; only the timeline re-runs
its one replication, from the manifest's resolved scenario and root seed.
A small inline script counts the figures the browser decoded (``data-figures-loaded`` on
``<body>``), so a headless-browser test can tell that the images really render.
"""

from __future__ import annotations

import base64
import html
import math
import tempfile
from pathlib import Path

from sim.results.rundir import Run
from sim.results.summary import QUANTILES, summarize

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 margin:0 auto;max-width:1180px;padding:24px;color:#1a1a1a;line-height:1.45}
h1{font-size:1.7em;margin:.2em 0}h2{border-bottom:2px solid #0072B2;padding-bottom:4px;
 margin-top:1.8em}h3{margin-bottom:.3em}
.meta{color:#444;font-size:.92em}.meta code{background:#f2f2f2;padding:0 3px}
.banner{padding:12px 16px;border-radius:6px;margin:12px 0;font-weight:600}
.banner.error{background:#fdecea;border:2px solid #D55E00;color:#7a2a00}
.banner.ok{background:#eaf4fb;border:1px solid #0072B2;color:#003a5c;font-weight:400}
.banner.note{background:#fff6e0;border:2px solid #E69F00;color:#5a3d00;font-weight:400}
table{border-collapse:collapse;margin:8px 0 16px;font-size:.92em}
th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums;
 white-space:nowrap}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:8px 28px}
figure{margin:12px 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
.figures figure img{max-width:min(100%,1000px)}
figcaption{font-size:.88em;color:#444}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
table.assume{table-layout:fixed;width:100%}table.assume td{overflow-wrap:anywhere}
.small{font-size:.85em}.claim{color:#333}.cid{font-family:monospace;color:#0072B2}
"""

SCRIPT = """
window.addEventListener('load', function () {
  var imgs = document.querySelectorAll('img.figure');
  var ok = 0;
  imgs.forEach(function (i) { if (i.complete && i.naturalWidth > 0) { ok += 1; } });
  document.body.dataset.figuresLoaded = String(ok);
  document.body.dataset.figuresTotal = String(imgs.length);
});
"""

FIGURES = (
    ("outcome_shares", "Outcome and indicator shares",
     "Share of replications with each outcome (blue) and indicator (orange); error bars are "
     "95% Wilson intervals."),
    ("decision_ecdfs", "When decisions fell",
     "Cumulative share of all replications in which each decision had been taken by a given "
     "day; shaded bands are 95% Dvoretzky-Kiefer-Wolfowitz bands."),
    ("decision_days", "Decision days",
     "Histograms of the day of each decision, among the replications in which it happened; the "
     "dashed line is the median and the grey band its 95% bootstrap interval."),
    ("japan_ladder", "Japan's legal ladder",
     "Japan's highest legal situation, overall and by outcome (stacked shares)."),
    ("loss_distributions", "Losses and quantities",
     "Histograms of each loss or counted quantity, among the replications in which it has a "
     "value; the light band spans the 10th to 90th percentile, the dashed line is the median "
     "and the grey band its 95% bootstrap interval."),
)


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _pct(x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def _png(draw) -> str:
    """Draw with ``draw(path)`` into a temporary PNG; return it as a data URI."""
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "f.png"
        draw(p)
        return "data:image/png;base64," + base64.b64encode(p.read_bytes()).decode("ascii")


def _figure(uri: str, title: str, caption: str) -> str:
    return (f'<figure><img class="figure" src="{uri}" alt="{_e(title)}">'
            f"<figcaption><b>{_e(title)}.</b> {_e(caption)}</figcaption></figure>")


def _share_table(rows: list[dict], head: str) -> str:
    body = "".join(
        f"<tr><td>{_e(r.get('label', r['name']).replace('_', ' '))}</td>"
        f"<td class=num>{r['count']}</td><td class=num>{_pct(r['share'])}</td>"
        f"<td class=num>{_pct(r['ci95'][0])} – {_pct(r['ci95'][1])}</td></tr>" for r in rows)
    return (f"<table><tr><th>{_e(head)}</th><th>runs</th><th>share</th><th>95% CI (Wilson)</th>"
            f"</tr>{body}</table>")


def _quantiles_table(rows: list[dict], head: str, unit: str, table_id: str = "") -> str:
    """Rows of ``summary`` quantiles (days or quantities): runs, then each quantile with its
    95% interval."""
    qhead = "".join(f"<th>{k}{unit}</th><th>95% CI</th>" for k, _ in QUANTILES)
    body = []
    for d in rows:
        cells = ""
        for k, _ in QUANTILES:
            if d["count"]:
                lo, hi = d[f"{k}_ci95"]
                cells += f"<td class=num>{d[k]:.1f}</td><td class=num>{lo:.1f} – {hi:.1f}</td>"
            else:
                cells += "<td class=num>–</td><td class=num>–</td>"
        body.append(f"<tr><td>{_e(d['label'])}</td><td class=num>{d['count']}</td>{cells}</tr>")
    ident = f' id="{table_id}"' if table_id else ""
    return (f"<table{ident}><tr><th>{_e(head)}</th><th>runs</th>{qhead}</tr>"
            f"{''.join(body)}</table>")


def _quantities(s: dict) -> str:
    """The losses-and-quantities section, empty when the run has no such columns."""
    if not s.get("quantities"):
        return ""
    return ("<h3>Losses and quantities</h3>"
            "<p class=small>Among the replications in which each has a value (a campaign's "
            "columns are empty where no invasion was played); expected counts, so fractions "
            "occur. Intervals: the same bootstrap as the days'.</p>"
            + _quantiles_table(s["quantities"], "loss or quantity", "", "quantities"))


def _weekly(s: dict, name: str) -> str:
    """The week-by-week section: a fan chart and a table per share column of the weekly
    table; empty for a run without one."""
    from sim.plots.figures import weekly_fan
    from sim.results.weekly import QUANTILES as WEEKLY_Q
    cols = (s.get("weekly") or {}).get("columns") or []
    if not cols:
        return ""
    out = ["<h2>Week by week</h2>",
           "<p class=small>From <code>weekly.parquet</code>. Each week's quantiles are over the "
           "replications still going that week (a crisis that ended plays no further weeks); "
           f"intervals: {_e(s['weekly']['intervals'])}.</p>"]
    for c in cols:
        out.append(_figure(_png(lambda p, c=c: weekly_fan(c, name, p)),
                           f"{c['label']} by week",
                           "Median (line), 25th-75th percentile (dark band) and 10th-90th "
                           "percentile (light band) by week; below, the replications still "
                           "going each week."))
        head = "".join(f"<th>{k}</th>" for k, _ in WEEKLY_Q)
        body = "".join(
            f"<tr><td class=num>{r['week']}</td><td class=num>{r['count']}</td>"
            + "".join(f"<td class=num>{_pct(r[k])}</td>" for k, _ in WEEKLY_Q)
            + f"<td class=num>{_pct(r['median_ci95'][0])} – {_pct(r['median_ci95'][1])}</td>"
              f"</tr>" for r in c["weeks"] if r["count"])
        out.append(f"<details><summary>{_e(c['label'])}: quantiles by week</summary>"
                   f"<table><tr><th>week</th><th>runs</th>{head}<th>median 95% CI</th></tr>"
                   f"{body}</table></details>")
    return "\n".join(out)


def split_table(sp: dict) -> str:
    """Outcome shares within each group of a split (``sim.results.groups``): a row per group,
    the headline (every replication) first, each share with its 95% Wilson interval."""
    head = "".join(f"<th>{_e(r['label'])}</th>" for r in sp["overall"]["shares"])
    body = []
    for g in (sp["overall"], *sp["groups"]):
        cells = "".join(
            f"<td class=num>{_pct(r['share'])}<br><span class=small>{_pct(r['ci95'][0])} – "
            f"{_pct(r['ci95'][1])}</span></td>" for r in g["shares"])
        name = "<b>all (headline)</b>" if g is sp["overall"] else _e(g["label"])
        body.append(f"<tr><td>{name}</td><td class=num>{g['runs']}</td>{cells}</tr>")
    return (f"<table class=split><tr><th>{_e(sp['by'])}</th><th>runs</th>{head}</tr>"
            f"{''.join(body)}</table>")


def _key_assumptions(run: Run) -> str:
    """The headline next to its splits on the scenario's ``key_assumptions``: how much of each
    outcome's share rides on them. Empty when the scenario names none."""
    from sim.results.groups import split
    specs = (run.manifest.get("resolved_scenario") or {}).get("key_assumptions") or []
    ok = run.ok()
    if not specs or not ok.num_rows:
        return ""
    out = ["<h2>What drives the headline</h2>",
           "<p class=small>The outcome shares of every replication (the headline) and within "
           "each group of the scenario's key assumptions (<code>key_assumptions</code> in the "
           "scenario file), with 95% Wilson intervals and each group's runs; the same as "
           "<code>straitsim summarize RUN_DIR --by COLUMN</code>. A headline that moves with a "
           "group is mostly that assumption; read small groups' shares as the rough numbers "
           "their intervals say they are.</p>"]
    from sim.errors import SimError
    for spec in specs:
        try:
            sp = split(ok, spec, "key assumption")
        except SimError as exc:
            out.append(f"<p class=small>{_e(exc)}</p>")
            continue
        named = f"{_e(sp['label'])} (<code>{_e(sp['by'])}</code>)" \
            if sp["label"] != sp["column"] else f"<code>{_e(sp['by'])}</code>"
        out.append(f"<h3>By {named}</h3>")
        out.append(split_table(sp))
    return "\n".join(out)


def _days_table(days: list[dict]) -> str:
    return _quantiles_table(days, "day of ...", " (day)")


def _assumptions(data: dict) -> str:
    from sim.report.assumptions import cited_values
    items = cited_values(data)
    top = [c for c in items if ".rules." not in f".{c.path}."]
    rest = [c for c in items if c not in top]
    rows = []
    for c in top + rest:
        src = "<br>".join(
            f'<span class=cid>{_e(i)}</span>' + (f': <span class=claim>{_e(t)}</span>' if t
                                                 else "")
            for i, t in c.sources)
        why = _e(c.assumption) + (f" <i>({_e(c.note)})</i>" if c.note else "")
        rows.append(f"<tr><td><code>{_e(c.path)}</code></td><td>{_e(c.value)}</td>"
                    f"<td class=small>{src}</td><td class=small>{why}</td></tr>")
    return (f"<p>{len(items)} values in the resolved scenario carry a source (a claim in "
            f"<code>seeds/claims.yaml</code>) or a stated assumption. The first {len(top)} are "
            f"scenario-wide or actor-level; the {len(rest)} after them belong to rules.</p>"
            f'<table class="assume"><colgroup><col style="width:24%"><col style="width:22%">'
            f'<col style="width:34%"><col style="width:20%"></colgroup>'
            f"<tr><th>where</th><th>value</th><th>source (claim)</th>"
            f"<th>assumption</th></tr>{''.join(rows)}</table>")


def _timeline(run: Run, replication: int | None) -> tuple[str, list[str]]:
    """The timeline section and any warnings for the banner."""
    from sim.plots.timeline import timeline_figure
    from sim.results.representative import choose_representative, trace_replication
    warnings = []
    if replication is None:
        rep = choose_representative(run.table)
        replication, why = rep.replication, rep.reason
    else:
        why = "chosen on the command line"
    row, records, matches = trace_replication(run, replication)
    if not matches:
        warnings.append(f"Re-running replication {replication} from the manifest did not give "
                        f"the stored row: the model has changed since this run, so the timeline "
                        f"may not match the tables.")
    from sim.results.labels import UNDECIDED, label
    from sim.results.rerun import overrides_args, scenario_arg
    title = f"{run.name}: seed {run.root_seed}, replication {replication}"
    outcome = label(row["outcome"], "outcomes")
    sub = f"outcome: {outcome} on day {row['end_day']:.1f}"
    uri = _png(lambda p: timeline_figure(records, title, p, sub))
    keep = [r for r in records if r[2] not in ("deliberates",)]
    trs = "".join(f"<tr><td class=num>{int(h // 24)}</td><td class=num>{h % 24:.1f}</td>"
                  f"<td>{_e(a)}</td><td>{_e(k)}</td><td>{_e(t)}</td></tr>"
                  for h, a, k, t in keep)
    ends = (f"It is <b>{_e(outcome)}</b> (day {row['end_day']:.1f})"
            if row["outcome"] in UNDECIDED else
            f"It ends in <b>{_e(outcome)}</b> on day {row['end_day']:.1f}")
    command = (f"straitsim trace {scenario_arg(run.manifest, run.name)}"
               f"{overrides_args(run.manifest)} --seed {run.root_seed} "
               f"--replication {replication}")
    body = (f"<p>Replication {replication}: {_e(why)}. {ends}; "
            f"{_e(label(str(row['us_posture']), 'us_posture'))}; "
            f"{_e(label(str(row['japan_level']), 'japan_level'))}. Re-create it with "
            f"<code>{_e(command)}</code>.</p>"
            + _figure(uri, "Timeline of one replication",
                      "Lifelines of the PRC and the three capitals, time running down on a "
                      "square-root scale; dots are decisions, arrows are messages from sending "
                      "to arrival (dashed: relayed by Washington), crosses are rules that "
                      "declined. Observations are left out for legibility; the table has them.")
            + f"<details><summary>All {len(keep)} trace records (deliberations left out)"
              f"</summary><table><tr><th>day</th><th>hour</th><th>actor</th><th>what</th>"
              f"<th>detail</th></tr>{trs}</table></details>")
    return body, warnings


def _still_going(s: dict) -> str:
    still = s.get("still_going")
    if not still or not still["count"]:
        return ""
    return (f"<p>{still['count']} of {s['ok']} replications ({_pct(still['share'])}) were "
            f"still going at the horizon; they are not counted in <i>Outcome decided</i>.</p>")


def _single_outcome(run: Run, s: dict) -> str:
    """A note at the top when one outcome took every replication, naming what would change it."""
    from sim.results.levers import levers
    from sim.results.rerun import scenario_arg
    from sim.results.summary import single_outcome_note
    note = single_outcome_note(s, levers(run.manifest.get("resolved_scenario")),
                               scenario_arg(run.manifest, run.name))
    return f'<div class="banner note" role="note">{_e(note)}</div>' if note else ""


def glossary_html() -> str:
    """Every outcome, indicator, ladder step and decision day: label, name, meaning."""
    from sim.results.labels import glossary
    rows = "".join(f"<tr><td>{_e(r['kind'])}</td><td>{_e(r['label'])}</td>"
                   f"<td><code>{_e(r['name'])}</code></td><td class=small>{_e(r['meaning'])}</td>"
                   f"</tr>" for r in glossary())
    return ("<p class=small>The words the tables and figures use, the names in "
            "<code>outcomes.parquet</code>, and what each means (also "
            "<code>straitsim outcomes</code>).</p>"
            f'<table id="glossary"><tr><th>kind</th><th>label</th><th>name</th><th>meaning</th>'
            f"</tr>{rows}</table>")


def build_report(run: Run, *, replication: int | None = None, seed: int = 0) -> str:
    """The whole page as a string."""
    from sim.plots.figures import (decision_days, decision_ecdfs, japan_ladder,
                                   loss_distributions, outcome_shares, run_figures)
    from sim.results.weekly import add_weekly
    s = add_weekly(summarize(run.table, seed=seed), run.path, seed=seed)
    ok = run.ok()
    m = run.manifest
    banners = []
    if s["errors"]:
        first = next((e for st, e in zip(run.table.column("status").to_pylist(),
                                         run.table.column("error").to_pylist())
                      if st == "error"), "")
        banners.append(f"{s['errors']} of {s['runs']} replications failed (status error); the "
                       f"shares and figures below are of the {s['ok']} that finished. First "
                       f"error: {first}")
    draw = {"outcome_shares": lambda p: outcome_shares(s, run.name, p),
            "decision_ecdfs": lambda p: decision_ecdfs(ok, run.name, p),
            "decision_days": lambda p: decision_days(ok, run.name, p, s),
            "japan_ladder": lambda p: japan_ladder(ok, run.name, p),
            "loss_distributions": lambda p: loss_distributions(ok, run.name, p, s)}
    shown = run_figures(ok.column_names)
    figs = ([_figure(_png(draw[k]), t, c) for k, t, c in FIGURES if k in shown] if s["ok"] else
            ["<p>No replication finished, so there is nothing to draw.</p>"])
    weekly = _weekly(s, run.name)
    from sim.report.discovery import discovery_section
    found = discovery_section(run, s, _png, _figure) if s["ok"] else ""
    timeline, warnings = _timeline(run, replication) if s["ok"] else (
        "<p>No replication finished, so there is no timeline to show.</p>", [])
    banners += warnings
    banner_html = "".join(f'<div class="banner error" role="alert">⚠ {_e(b)}</div>'
                          for b in banners) or (
        f'<div class="banner ok">All {s["runs"]} replications finished.</div>')
    banner_html += _single_outcome(run, s)
    overrides = m.get("overrides") or []
    versions = m.get("versions") or {}
    meta = (f"<p class=meta>Scenario <code>{_e(run.name)}</code>, {s['runs']} replications, "
            f"root seed <code>{_e(run.root_seed)}</code>, scenario hash "
            f"<code>{_e(str(m.get('scenario_hash', ''))[:12])}</code>, created "
            f"{_e(m.get('created', 'unknown'))}; "
            f"files: {', '.join(f'<code>{_e(f)}</code>' for f in m.get('files', [])) or '–'}; "
            f"overrides: {', '.join(f'<code>{_e(o)}</code>' for o in overrides) or 'none'}; "
            f"versions: {_e(', '.join(f'{k} {v}' for k, v in versions.items())) or '–'}.</p>")
    desc = (m.get("resolved_scenario") or {}).get("description", "")
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(run.title)}: straitsim report</title><style>{CSS}</style></head><body>",
        banner_html,
        f"<h1>{_e(run.title)}</h1>",
        f"<p>{_e(desc)}</p>" if desc else "",
        meta,
        "<h2>Summary</h2>",
        f"<p class=small>Shares are of the {s['ok']} replications that finished, with 95% Wilson "
        f"score intervals. Intervals of the day quantiles: {_e(s['intervals']['quantiles'])}."
        f"</p>",
        '<div class="grid"><div>', _share_table(s["outcomes"], "outcome"),
        _share_table(s["indicators"], "indicator"), "</div><div>",
        _share_table(s["japan_level"], "Japan's highest legal situation"),
        _share_table(s["us_posture"], "U.S. highest posture"), "</div></div>",
        _key_assumptions(run),
        "<h3>Days of the main decisions</h3>",
        "<p class=small>Among the replications in which each happened; days since the scenario "
        "start. <i>Outcome decided</i> counts only the replications that ended before the "
        "horizon.</p>", _days_table(s["days"]), _still_going(s), _quantities(s),
        "<h2>Figures</h2>", '<div class="figures">', *figs, "</div>", weekly, found,
        "<h2>A representative replication</h2>", timeline,
        "<h2>Glossary</h2>", glossary_html(),
        "<h2>Key assumptions and their sources</h2>",
        _assumptions(m.get("resolved_scenario") or {}),
        f"<p class=meta>Written by <code>straitsim report {_e(run.path)}</code> from the run "
        f"folder alone; the timeline re-runs one replication from the manifest.</p>",
        f"<script>{SCRIPT}</script></body></html>",
    ]
    return "\n".join(p for p in parts if p)
