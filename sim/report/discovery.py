"""The report's scenario-discovery section: where in the drawn inputs the headline outcome
concentrates (``sim.results.discover``). Works without the ``analysis`` extra: the section then
says how to get it, and the rest of the report is the same."""

from __future__ import annotations

import html
import math

REPORT_SAMPLE = 20_000  # replications the report's discovery reads (the command reads more)


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _pct(x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def headline_outcome(s: dict) -> str | None:
    """The outcome to explain: Taiwan's loss (the more common way) when some replications but
    not all end in it, else the most common outcome that not every replication reached."""
    from sim.model.vocab import TAIWAN_LOST
    mixed = [o for o in s.get("outcomes", ()) if 0 < o["share"] < 1]
    lost = [o for o in mixed if o["name"] in TAIWAN_LOST]
    pick = max(lost or mixed, key=lambda o: o["share"], default=None)
    return pick["name"] if pick else None


def discovery_section(run, s: dict, png, figure) -> str:
    """The section's HTML (with its heading). ``png`` and ``figure`` are the report's helpers
    for a PNG data URI and a captioned figure."""
    from sim.results.discover import DRAW_PREFIX, EXTRA_HINT, analysis_available
    head = "<h2>Where the outcome concentrates</h2>"
    if not any(n.startswith(DRAW_PREFIX) for n in run.table.column_names):
        return (head + "<p class=small>This run has no <code>draw.*</code> columns (it was run "
                "with <code>--no-draws</code>, above 100,000 replications without "
                "<code>--draws</code>, or before draws were saved), so there is nothing to "
                "search.</p>")
    outcome = headline_outcome(s)
    if outcome is None:
        return head + "<p class=small>Every replication ended the same way: nothing to " \
                      "search.</p>"
    command = f"straitsim discover {run.path} --outcome {outcome}"
    if not analysis_available():
        return (head + f"<p class=small>Scenario discovery (PRIM boxes and a decision tree over "
                f"each replication's drawn values) needs the optional analysis extra: "
                f"<code>{_e(EXTRA_HINT)}</code>, then <code>straitsim report</code> again or "
                f"<code>{_e(command)}</code>.</p>")
    from sim.errors import SimError
    from sim.plots.discover import discovery_figure
    from sim.results.discover import condition_text, discover, range_text
    table = run.table.slice(0, REPORT_SAMPLE)
    try:
        d = discover(table, outcome, boxes=2)
    except SimError as exc:
        return head + f"<p class=small>Scenario discovery could not run: {_e(exc)}</p>"
    rows = []
    for b in d["boxes"]:
        ranges = "<br>".join(_e(range_text(r)) for r in b["ranges"]) or "no restriction"
        rows.append(f"<tr><td class=num>{b['box']}</td><td class=num>{_pct(b['coverage'])}</td>"
                    f"<td class=num>{_pct(b['density'])}</td><td class=num>{_pct(b['mass'])}"
                    f"</td><td><code>{ranges}</code></td></tr>")
    leaves = "".join(
        f"<tr><td class=num>{_pct(r['share'])}</td><td class=num>{r['replications']}</td>"
        f"<td class=num>{_pct(r['coverage'])}</td><td><code>"
        f"{_e(' and '.join(condition_text(c) for c in r['conditions']) or 'all')}</code></td>"
        f"</tr>" for r in d["tree"][:5])
    scores = ", ".join(f"<code>{_e(sc['column'])}</code> {sc['importance']:.2f}"
                       for sc in d.get("scores", [])[:5])
    out = [head,
           f"<p class=small>Which of each replication's drawn values (<code>draw.*</code> "
           f"columns) go with <b>{_e(outcome)}</b> ({_pct(d['share'])} of the "
           f"{d['replications']} replications read). PRIM boxes: <i>coverage</i> is the share "
           f"of the outcome inside the box, <i>density</i> the share of the box's replications "
           f"with the outcome, <i>mass</i> the share of all replications in it. Other outcomes "
           f"and inputs: <code>{_e(command)} [--columns ...]</code>.</p>"]
    if scores:
        out.append(f"<p class=small>Inputs that matter most (forest importance): {scores}.</p>")
    out.append("<table><tr><th>box</th><th>coverage</th><th>density</th><th>mass</th>"
               f"<th>ranges</th></tr>{''.join(rows)}</table>")
    out.append("<h3>Decision tree: the densest leaves</h3><table><tr><th>share</th>"
               f"<th>runs</th><th>coverage</th><th>rule</th></tr>{leaves}</table>")
    if any(b["ranges"] for b in d["boxes"]):
        out.append(figure(png(lambda p: discovery_figure(table, d, run.name, p)),
                          f"Where {outcome} concentrates",
                          "Left: PRIM's peeling trajectory (each box tighter than the last), "
                          "the box kept circled. Right: replications on the first box's two "
                          "most significant inputs (blue: the outcome), with the box."))
    return "\n".join(out)
