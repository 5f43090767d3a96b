"""Each replication's drawn values, as columns ``draw.<YAML path>`` beside its outcome row.

Every random quantity of a replication is a function of (root seed, replication, stream name)
only (``sim.model.streams``), so the values a replication starts from -- each parameter given as
a distribution, each rule's first deliberation delay and the uniform of its first decision, each
observer's delay in seeing an event, each message's transit time -- can be computed for a whole
chunk of replications at once, outside the SimPy run. The run is not touched, so no result moves;
the columns cost a NumPy pass over the chunk and one Python call per value.

Names follow the scenario file: ``draw.actors.us.resolve``,
``draw.actors.us.force_arrival_hours.with_japan_bases``. A rule's slots sit under its path:
``draw.actors.<actor>.rules.<id>.delay_hours`` (its first deliberation), ``.decide_u`` (the
uniform of its first decision: it acts when this is below its probability), ``.hazard_e`` (a
hazard rule's Exp(1) draw: it fires when its cumulative hazard reaches it) and
``.message_hours.<recipient>`` (its first message's transit, relay and latency factor included).
An observer's first delay in seeing an event is
``draw.communication.detection_delay_hours.<observer>.<event>``; a misreading's draws are
``draw.perception.<observer>.reading.<event>.{u,probability,clears_after_hours}``. A quantity
whose value cannot vary (a fixed number, a rule sure to act) has no column.

Draws a process takes during play (a salvo's hits, the weather of a week, a second vote) are
noise within a run, not inputs, and are not columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.model import streams

PREFIX = "draw."
_BLOCK = 1024  # replications per NumPy pass: bounds a worker's memory whatever the chunk size


@dataclass(frozen=True)
class DrawColumn:
    """One column: the sum of ``parts`` ((stream, sampler) pairs, each read at its draw 0;
    sampler ``"u"`` is the uniform itself, ``"exp"`` its Exp(1) transform), times the scalar
    ``factor`` (a scalar name) when given."""

    name: str
    parts: tuple
    factor: str | None = None


_PROBES = ((0.0, -5.0), (0.5, 0.0), (1.0 - 2.0 ** -53, 5.0))  # the ends of u and z, the middle


def _varies(f) -> bool:
    """Whether a sampler's value depends on its draw (a Bernoulli(0.01) does, at u near 0)."""
    if hasattr(f, "fixed_value"):
        return False
    first = f(*_PROBES[0])
    return any(f(u, z) != first for u, z in _PROBES[1:])


def quantity_paths(sc) -> dict[int, str]:
    """``id`` of every distribution in a validated scenario -> its dotted YAML path (the first
    path, if one object sits at two)."""
    out: dict[int, str] = {}

    def walk(node: Any, path: tuple) -> None:
        if hasattr(node, "dist") and hasattr(type(node), "model_fields"):
            out.setdefault(id(node), ".".join(path))
            return
        if hasattr(type(node), "model_fields"):
            for k in type(node).model_fields:
                walk(getattr(node, k), path + (k,))
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + (str(k),))
        elif isinstance(node, (list, tuple)):
            for i, v in enumerate(node):
                walk(v, path + (str(i),))

    walk(sc, ())
    return out


def draw_columns(c) -> tuple[DrawColumn, ...]:
    """The draw columns of a compiled scenario, in a stable order: parameters, rules,
    detection delays, misreadings."""
    from sim.model.vocab import ACTORS, EVENTS

    cols: list[DrawColumn] = []
    paths = c.scalar_paths or {}
    for name, f, s in c.drawn_scalars:
        if _varies(f):
            cols.append(DrawColumn(PREFIX + paths.get(name, name), ((c.slot_names[s], f),)))
    fixed = c.fixed_params
    lat_varies = "comm.latency_factor" not in fixed
    for r in c.rules:
        base = f"{PREFIX}actors.{ACTORS[r.actor]}.rules.{r.rid}"
        if r.hazard is not None:
            cols.append(DrawColumn(base + ".hazard_e", ((r.stream + "/hazard", "exp"),)))
        else:
            if _varies(r.delay):
                cols.append(DrawColumn(base + ".delay_hours", ((r.stream + "/delay", r.delay),)))
            if not (isinstance(r.prob, float) and r.prob in (0.0, 1.0)):
                cols.append(DrawColumn(base + ".decide_u", ((r.stream + "/decide", "u"),)))
        for dst in r.to:
            chans, relayed = c.routes[r.actor][dst]
            hop = f"{r.stream}/to/{ACTORS[dst]}"
            parts = ((f"{hop}/0", c.channels[chans[0]]),)
            if relayed:
                parts += ((f"{hop}/1", c.channels[chans[1]]), (f"{hop}/2", c.broker))
            if lat_varies or any(_varies(f) for _, f in parts):
                cols.append(DrawColumn(f"{base}.message_hours.{ACTORS[dst]}", parts,
                                       "comm.latency_factor"))
    for e in EVENTS:
        for ai, actor in enumerate(ACTORS):
            f = c.detection[e][ai]
            if c.detection_slot[e][ai] >= 0 and _varies(f):
                cols.append(DrawColumn(
                    f"{PREFIX}communication.detection_delay_hours.{actor}.{e}",
                    ((f"detect/{e}/{actor}", f),)))
    for (e, ai), rd in sorted((c.readings or {}).items()):
        base = f"{PREFIX}perception.{ACTORS[ai]}.reading.{e}"
        cols.append(DrawColumn(base + ".u", ((rd.stream, "u"),)))
        if _varies(rd.probability):
            cols.append(DrawColumn(base + ".probability", ((rd.stream + "/p", rd.probability),)))
        if rd.clears is not None and _varies(rd.clears):
            cols.append(DrawColumn(base + ".clears_after_hours",
                                   ((rd.stream + "/clears", rd.clears),)))
    seen: set[str] = set()
    return tuple(col for col in cols if not (col.name in seen or seen.add(col.name)))


def draw_column_names(c) -> tuple[str, ...]:
    return tuple(col.name for col in draw_columns(c))


def _uz(keys: np.ndarray, rkeys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(replications, streams) uniforms and normals: ``streams.slot_draws`` for many
    replications at once (the same uint64 arithmetic, so the same numbers)."""
    x = keys[None, :, :] + rkeys[:, None, None]  # wraps modulo 2**64, as SplitMix64 wants
    x ^= x >> np.uint64(30)
    x *= np.uint64(streams._C1)
    x ^= x >> np.uint64(27)
    x *= np.uint64(streams._C2)
    x ^= x >> np.uint64(31)
    w = (x >> np.uint64(11)).astype(np.float64) * streams._TO_UNIT
    z = np.sqrt(-2.0 * np.log1p(-w[:, :, 1])) * np.cos(streams._TWO_PI * w[:, :, 2])
    return w[:, :, 0], z


def _apply(f, u: np.ndarray, z: np.ndarray) -> np.ndarray:
    if f == "u":
        return u.copy()
    if f == "exp":
        return -np.log1p(-u)
    fixed = getattr(f, "fixed_value", None)
    if fixed is not None:
        return np.full(len(u), fixed)
    return np.fromiter(map(f, u.tolist(), z.tolist()), dtype=np.float64, count=len(u))


def chunk_draws(c, root_seed: int, start: int, stop: int,
                columns: tuple[DrawColumn, ...] | None = None) -> dict[str, np.ndarray]:
    """Column name -> float64 values of replications ``start..stop-1`` under ``root_seed``."""
    cols = draw_columns(c) if columns is None else columns
    names = list(dict.fromkeys(s for col in cols for s, _ in col.parts))
    where = {s: k for k, s in enumerate(names)}
    keys = streams.slot_keys(names) if names else np.zeros((0, 3), np.uint64)
    factors = {col.factor for col in cols if col.factor is not None}
    lookup = {name: (f, s) for name, f, s in c.drawn_scalars}
    out = {col.name: np.empty(stop - start) for col in cols}
    for a in range(start, stop, _BLOCK):
        b = min(stop, a + _BLOCK)
        rkeys = np.array([streams.replication_key(root_seed, i) for i in range(a, b)],
                         dtype=np.uint64)
        u, z = _uz(keys, rkeys)
        scale = {}
        for fac in factors:
            if fac in c.fixed_params:
                scale[fac] = c.fixed_params[fac]
            else:
                f, s = lookup[fac]
                su, sz = _uz(streams.slot_keys([c.slot_names[s]]), rkeys)
                scale[fac] = _apply(f, su[:, 0], sz[:, 0])
        for col in cols:
            v = None
            for s, f in col.parts:
                part = _apply(f, u[:, where[s]], z[:, where[s]])
                v = part if v is None else v + part
            if col.factor is not None:
                v = v * scale[col.factor]
            out[col.name][a - start:b - start] = v
    return out


def replication_draws(c, root_seed: int, replication: int) -> dict[str, float]:
    """One replication's draw columns (a reader's check; batches use :func:`chunk_draws`)."""
    return {k: float(v[0]) for k, v in chunk_draws(c, root_seed, replication,
                                                    replication + 1).items()}

