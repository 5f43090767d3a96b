"""One replication as a sequence chart: the PRC and the three capitals as lifelines, time running
down, decisions as marks on a lifeline and messages as arrows from the sender at the time of
sending to the receiver at the time of arrival, so an arrow's slope shows the delay.

Works from the trace records of ``run_replication(..., trace=True)``: ``(hours, actor, kind,
text)`` tuples. A message relayed by Washington is drawn as two dashed legs through the
Washington lifeline when the trace shows when Washington read it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from sim.plots.figures import OKABE_ITO, _plt, save

LANES = ("prc", "us", "japan", "taiwan")
LANE_TITLES = {"prc": "PRC\n(Beijing)", "us": "United States\n(Washington)",
               "japan": "Japan\n(Tokyo)", "taiwan": "Taiwan\n(Taipei)"}
LANE_COLOURS = {"prc": OKABE_ITO[3], "us": OKABE_ITO[0], "japan": OKABE_ITO[2],
                "taiwan": OKABE_ITO[4]}
_SENDS = re.compile(r"^(?P<msg>\S+) to (?P<dst>\w+)(?P<via> via washington)? "
                    r"\(arrives in (?P<hours>[\d.]+) h\)$")


@dataclass(frozen=True)
class Message:
    src: str
    dst: str
    name: str
    sent_hours: float
    arrives_hours: float
    relay_hours: float | None  # when Washington read a message it relays, if the trace says


@dataclass(frozen=True)
class Mark:
    actor: str
    hours: float
    kind: str   # decides, declines, acts, asks, ends
    label: str


def parse_trace(records) -> tuple[list[Message], list[Mark]]:
    """Messages and marks from trace records; observations and deliberations are left out."""
    messages: list[Message] = []
    marks: list[Mark] = []
    relays = [(h, kind[len("relays for "):].rstrip(":"), text) for h, actor, kind, text in records
              if kind.startswith("relays for ")]
    used: set[int] = set()
    decided_at: set[tuple[float, str]] = set()
    for hours, actor, kind, text in records:
        if kind == "sends":
            m = _SENDS.match(text)
            if not m:
                continue
            relay = None
            if m["via"]:
                for j, (rh, src, msg) in enumerate(relays):
                    if j not in used and src == actor and msg == m["msg"] and rh >= hours:
                        relay, _ = rh, used.add(j)
                        break
            messages.append(Message(actor, m["dst"], m["msg"], hours,
                                    hours + float(m["hours"]), relay))
        elif kind == "decides":
            rid, _, rest = text.partition(": ")
            action = rest.split(" (p=")[0] if rest else text
            # "send" says little on a chart; the rule's name says what was sent and why
            marks.append(Mark(actor, hours, "decides", rid if action == "send" else action))
            decided_at.add((hours, actor))
        elif kind == "declines":
            marks.append(Mark(actor, hours, "declines",
                              "not: " + text.split(": ", 1)[-1].split(" (p=")[0]))
        elif kind == "acts" and (hours, actor) not in decided_at:
            marks.append(Mark(actor, hours, "acts", text))
        elif kind == "asks":
            marks.append(Mark(actor, hours, "asks", "asks the Diet"))
        elif kind == "ends":
            marks.append(Mark(actor, hours, "ends", text))
    return messages, marks


def _fwd(h):
    import numpy as np
    return np.sqrt(np.maximum(h, 0))


def _inv(y):
    import numpy as np
    return np.square(np.maximum(y, 0))


_TICKS = [(1, "1 h"), (3, "3 h"), (6, "6 h"), (12, "12 h"), (24, "day 1"), (48, "day 2"),
          (96, "day 4"), (168, "day 7"), (336, "day 14"), (720, "day 30"), (1440, "day 60"),
          (2160, "day 90"), (2880, "day 120"), (4320, "day 180"), (8760, "day 365")]


def timeline_figure(records, title: str, path: Path, subtitle: str = "") -> None:
    """Draw the sequence chart of one replication's trace to ``path`` (PNG or SVG)."""
    plt = _plt()
    messages, marks = parse_trace(records)
    x = {a: i for i, a in enumerate(LANES)}
    end = max([m.hours for m in marks] + [m.arrives_hours for m in messages] + [24.0])
    fig, ax = plt.subplots(figsize=(12, 13))
    ax.set_yscale("function", functions=(_fwd, _inv))
    ax.set_ylim(end * 1.02, 0)
    ax.set_xlim(-0.35, len(LANES) - 0.05)
    for a in LANES:
        ax.axvline(x[a], color=LANE_COLOURS[a], lw=2, alpha=0.35, zorder=0)
    ax.set_xticks(range(len(LANES)), [LANE_TITLES[a] for a in LANES], fontsize=10)
    ax.xaxis.tick_top()
    for tick, a in zip(ax.get_xticklabels(), LANES):
        tick.set_color(LANE_COLOURS[a])
        tick.set_fontweight("bold")
    ticks = [(h, lab) for h, lab in _TICKS if h <= end * 1.02]
    ax.set_yticks([0] + [h for h, _ in ticks], ["start"] + [lab for _, lab in ticks])
    ax.set_ylabel("time since the scenario start (square-root scale: early hours spread out)")
    ax.grid(axis="y", alpha=0.25)

    for m in messages:
        if m.src not in x or m.dst not in x:
            continue
        colour = LANE_COLOURS[m.src]
        legs = ([(m.src, m.sent_hours, "us", m.relay_hours), ("us", m.relay_hours, m.dst,
                                                              m.arrives_hours)]
                if m.relay_hours is not None else [(m.src, m.sent_hours, m.dst, m.arrives_hours)])
        style = "--" if m.relay_hours is not None else "-"
        for a, t0, b, t1 in legs:
            ax.annotate("", xy=(x[b], t1), xytext=(x[a], t0),
                        arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.1, ls=style,
                                        shrinkA=0, shrinkB=0, alpha=0.85), zorder=2)
        a, t0, b, t1 = legs[-1]
        # label past the middle, clear of the sender's decision label at the arrow's start
        f = 0.62
        mid_x, mid_t = x[a] + f * (x[b] - x[a]), _inv(_fwd(t0) + f * (_fwd(t1) - _fwd(t0)))
        transit = m.arrives_hours - m.sent_hours
        ax.text(mid_x, mid_t, f"{m.name.replace('_', ' ')} ({transit:.0f} h)",
                fontsize=6.5, color=colour, ha="center", va="center", zorder=3,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))

    # marks, with labels nudged down (in the scale's units) so that they do not overlap
    span = _fwd(end * 1.02)
    gap = span * 0.016
    last: dict[str, float] = {}
    for mk in sorted(marks, key=lambda m: m.hours):
        if mk.kind == "ends":
            ax.axhline(mk.hours, color="black", lw=1.2, ls=":")
            ax.text(len(LANES) - 0.1, mk.hours, mk.label, ha="right", va="bottom", fontsize=9,
                    fontweight="bold")
            continue
        lane = mk.actor if mk.actor in x else None
        if lane is None:
            continue
        style = {"decides": ("o", LANE_COLOURS[lane], "black"),
                 "acts": ("D", LANE_COLOURS[lane], "black"),
                 "asks": ("s", LANE_COLOURS[lane], "black"),
                 "declines": ("x", "#777777", "#777777")}[mk.kind]
        ax.plot([x[lane]], [mk.hours], marker=style[0], color=style[1], ms=5, zorder=4)
        y = float(_fwd(mk.hours))
        y = max(y, last.get(lane, -math.inf) + gap)
        last[lane] = y
        ty = float(_inv(y))
        if abs(y - float(_fwd(mk.hours))) > 1e-9:
            ax.plot([x[lane], x[lane] + 0.05], [mk.hours, ty], color="#999999", lw=0.5)
        ax.text(x[lane] + 0.06, ty, mk.label.replace("_", " "), fontsize=7, color=style[2],
                va="center", ha="left", style="italic" if mk.kind == "declines" else "normal",
                zorder=5, bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.7))

    from matplotlib.lines import Line2D
    handles = [Line2D([], [], color="#555555", marker="o", ls="", label="decision"),
               Line2D([], [], color="#555555", marker="D", ls="", label="event (model)"),
               Line2D([], [], color="#777777", marker="x", ls="", label="declined"),
               Line2D([], [], color="#555555", ls="-", label="message (label: transit hours)"),
               Line2D([], [], color="#555555", ls="--", label="message relayed by Washington")]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=8, frameon=False)
    ax.set_title(f"{title}{chr(10) + subtitle if subtitle else ''}", fontsize=11, pad=42)
    fig.tight_layout(rect=(0, 0.025, 1, 1))
    save(fig, path)
