"""Does a citation say what it supports? Figures of claims against the values that cite them.

A claim in ``seeds/claims.yaml`` may list the numbers it states as ``figures: [{name, value,
unit}]``. A quantity, rule or channel in a scenario that cites a claim with ``supports: value``
says the number itself comes from that claim, so the number must be one of the claim's figures
(any of the cited claims'), in the parameter's unit. The rule for which parameter is compared is
written once here and in docs/scenario-reference.md ("What a citation supports"):

- a fixed ``value``, a ``bernoulli``'s ``p``, a rule's numeric ``probability``: that number;
- ``lognormal``: its ``median``; ``normal`` and ``exponential``: their ``mean`` (the spread is
  not a figure a source gives, so it stays an assumption);
- ``triangular``: its ``mode``, or else both ``low`` and ``high``; ``uniform``: both bounds. A
  bound of 0 needs no figure: it is the floor of a delay or share, not a claim;
- a channel: the central value of its ``latency_hours``.

Units: the parameter's unit comes from its name (``_hours``, ``_days``, ``_weeks``, ``_m2``), the
nearest enclosing key that has one (``stocks_days.lng``) or its ``unit:`` when that names a known
unit; otherwise it is a plain number (a count, share, ratio or probability). A figure in hours,
days, weeks or months (30 days) is converted to the parameter's time unit, a figure in percent
to a share; a time figure never matches a plain number. A value matches a figure when it equals
it as written: within half a unit of the value's last written decimal and within 2% of the
figure (0.667 for two thirds, 0.361 for 36.1%).

Pure functions over parsed YAML, so the tests can point at the file and line of a problem.
"""

from __future__ import annotations

import math

TIME_HOURS = {"hours": 1.0, "days": 24.0, "weeks": 168.0, "months": 720.0, "years": 8760.0}
PLAIN = {"count", "share", "ratio", "probability", "flag"}
OTHER = {"percent": ("share", 0.01), "km": ("km", 1.0), "nm": ("nm", 1.0),
         "km2": ("km2", 1.0), "m2": ("m2", 1.0), "tons_per_day": ("tons_per_day", 1.0),
         "usd_trillion": ("usd_trillion", 1.0), "MW": ("MW", 1.0)}
UNITS = tuple(sorted(set(TIME_HOURS) | PLAIN | set(OTHER)))
_SUFFIX = {"_hours": "hours", "_h": "hours", "_days": "days", "_weeks": "weeks", "_m2": "m2",
           "_km2": "km2", "_km": "km"}
_DISTS = {"uniform", "triangular", "lognormal", "normal", "exponential", "bernoulli", "fixed"}


def figure_problems(data, marks, file: str) -> list[str]:
    """``file:line: claims[i].figures...: problem`` for each malformed figure of a claims file."""
    out = []

    def bad(path: tuple, problem: str) -> None:
        _f, line, _c = marks.where(path)
        out.append(f"{file}:{line}: {'.'.join(map(str, path))}: {problem}")

    for i, claim in enumerate((data or {}).get("claims") or []):
        if not isinstance(claim, dict) or "figures" not in claim:
            continue
        where = ("claims", i, "figures")
        figs = claim["figures"]
        if not isinstance(figs, list) or not figs:
            bad(where, f"figures of {claim.get('id')!r} must be a non-empty list of "
                       "{name, value, unit}")
            continue
        names = set()
        for j, fig in enumerate(figs):
            at = where + (j,)
            if not isinstance(fig, dict):
                bad(at, "a figure is a mapping {name, value, unit}")
                continue
            extra = sorted(set(fig) - {"name", "value", "unit"})
            if extra:
                bad(at + (extra[0],), f"unknown key {extra[0]!r} (a figure has name, value, unit)")
            name, value, unit = fig.get("name"), fig.get("value"), fig.get("unit")
            if not isinstance(name, str) or not name.strip():
                bad(at + ("name",), "a figure needs a 'name' saying what the number counts")
            elif name in names:
                bad(at + ("name",), f"figure {name!r} appears twice in this claim")
            names.add(name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value):
                bad(at + ("value",), f"value must be a number, not {value!r}")
            if unit not in UNITS:
                bad(at + ("unit",), f"unknown unit {unit!r}; one of {', '.join(UNITS)}")
    return out


def figures_by_claim(claims: list[dict]) -> dict[str, list[dict]]:
    return {c["id"]: list(c.get("figures") or []) for c in claims}


def _unit_of(path: tuple, node: dict) -> str | None:
    """The parameter's unit: its ``unit:`` if a known unit, else the nearest key's suffix."""
    if isinstance(node.get("unit"), str) and node["unit"] in UNITS:
        return node["unit"]
    for key in reversed(path):
        for suffix, unit in _SUFFIX.items():
            if isinstance(key, str) and key.endswith(suffix):
                return unit
    return None


def _convert(fig: dict, unit: str | None) -> float | None:
    """The figure's value in ``unit`` (None: the units cannot be compared)."""
    v, fu = float(fig["value"]), fig["unit"]
    if unit in TIME_HOURS or fu in TIME_HOURS:
        if unit in TIME_HOURS and fu in TIME_HOURS:
            return v * TIME_HOURS[fu] / TIME_HOURS[unit]
        return None
    if fu in OTHER:
        base, k = OTHER[fu]
        if base == "share":
            return v * k if unit in (None, "share", "probability") else None
        return v * k if unit == base else None
    return v if unit in (None, *PLAIN) else None


def _decimals(x: float) -> int:
    text = repr(float(x))
    if "e" in text:
        return 12
    return max(0, len(text.split(".")[1].rstrip("0")))


def equals_figure(x: float, fig_value: float) -> bool:
    """``x`` as written equals ``fig_value``: within half its last decimal and 2%."""
    half_digit = 0.5 * 10.0 ** -_decimals(x)
    return abs(x - fig_value) <= min(half_digit, 0.02 * abs(fig_value)) + 1e-12


def compared(node: dict, is_rule: bool = False) -> list[tuple[str, list[str]]]:
    """The alternatives a ``supports: value`` citation of ``node`` must meet: each is a label and
    the parameters that must all equal a figure (an empty list: nothing to compare).
    ``is_rule``: the node is a rule (or a variant's override of one)."""
    if "latency_hours" in node and isinstance(node["latency_hours"], dict):
        return [("latency_hours." + label, ["latency_hours." + k for k in keys])
                for label, keys in compared(node["latency_hours"])]
    if is_rule or "when" in node:  # a rule: its citation covers its probability
        p = node.get("probability", 1)
        if isinstance(p, dict):
            return [("probability." + label, ["probability." + k for k in keys])
                    for label, keys in compared(p)]
        return [("probability", ["probability"])]
    kind = node.get("dist", "fixed" if "value" in node else None)
    if kind == "fixed":
        return [("value", ["value"])]
    if kind == "bernoulli":
        return [("p", ["p"])]
    if kind == "lognormal":
        return [("median", ["median"])]
    if kind in ("normal", "exponential"):
        return [("mean", ["mean"])]
    if kind == "triangular":
        return [("mode", ["mode"]), ("low and high", ["low", "high"])]
    if kind == "uniform":
        return [("low and high", ["low", "high"])]
    return []


def _get(node: dict, dotted: str):
    for k in dotted.split("."):
        node = node.get(k) if isinstance(node, dict) else None
    return node


def _cited(node: dict) -> list[str]:
    s = node.get("source")
    return [s] if isinstance(s, str) else list(s or [])


def value_citations(data, path: tuple = ()):
    """(path, node) of every mapping in a scenario that says ``supports: value``."""
    if isinstance(data, dict):
        if data.get("supports") == "value":
            yield path, data
        for k, v in data.items():
            yield from value_citations(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from value_citations(v, path + (i,))


def value_mismatch(path: tuple, node: dict, figures: dict[str, list[dict]]) -> str | None:
    """Why ``node``'s ``supports: value`` does not hold, or None if it does."""
    is_rule = "when" in node or (len(path) >= 2 and path[-2] == "rules")
    options = compared(node, is_rule)
    if not options:
        return "supports: value, but there is no number here to compare with a figure"
    cited = _cited(node)
    figs = [(cid, f) for cid in cited for f in figures.get(cid, [])]
    if not figs:
        return (f"supports: value, but {', '.join(cited) or 'no claim'} states no figures "
                f"(give the claim 'figures:', or cite it with supports: mechanism and an "
                f"assumption)")
    tried = []
    for _label, keys in options:
        ok = True
        for key in keys:
            x = _get(node, key)
            if isinstance(x, bool) or not isinstance(x, (int, float)):
                ok = False
                tried.append(f"{key} is {x!r}, not a number")
                break
            if key.rsplit(".", 1)[-1] == "low" and x == 0:
                continue  # the natural floor of a delay or share
            leaf = node if "." not in key else _get(node, key.rsplit(".", 1)[0])
            unit = _unit_of(path + tuple(key.split(".")[:-1]), leaf)
            if is_rule:
                unit = None  # a probability is a plain number
            if not any((v := _convert(f, unit)) is not None and equals_figure(float(x), v)
                       for _cid, f in figs):
                ok = False
                tried.append(f"{key} {x:g}{' ' + unit if unit else ''}")
                break
        if ok:
            return None
    have = "; ".join(f"{f['name']} = {f['value']:g} {f['unit']}" for _cid, f in figs)
    return (f"supports: value, but {' / '.join(tried)} matches no figure of "
            f"{', '.join(cited)} ({have})")
