"""The scenario-wide parameters that decide which outcome a scenario can reach.

When one outcome takes every replication, the shares say nothing; what a facilitator needs is
the handful of settings that would change it (an outer-islands run at ``target: kinmen`` is
always a fait accompli; ``target: penghu`` is not). Those are the scenario's own settings and its
family's adjudication, not the dozens of rule parameters: they are listed from the resolved
scenario with :mod:`sim.config.explain`'s walker, so the paths and meanings match
``straitsim explain``.
"""

from __future__ import annotations

# Settings that describe the run rather than change what can happen in it.
_NOT_LEVERS = ("name", "title", "family", "horizon_days", "extends", "format")
MAX_LEVERS = 8


def levers(resolved: dict | None) -> list[dict]:
    """``[{path, value, meaning}]`` for the scenario-wide settings and the adjudication of its
    family, read from a manifest's ``resolved_scenario``; empty when it no longer validates
    (a manifest from another schema version) or is missing."""
    if not isinstance(resolved, dict):
        return []
    import pydantic

    from sim.config import schema as S
    from sim.config.explain import _Walker
    try:
        scenario = S.Scenario.model_validate(resolved)
    except (pydantic.ValidationError, ValueError, TypeError):
        return []
    w = _Walker({}, {}, None)
    w.model(scenario, ())
    family = resolved.get("family")
    out = []
    for r in w.rows:
        parts = r.path.split(".")
        top = "." not in r.path and parts[0] not in _NOT_LEVERS
        adjudication = parts[0] == "adjudication" and len(parts) > 2 and parts[1] == family
        if top or adjudication:
            out.append({"path": r.path, "value": r.value, "meaning": r.meaning})
    return out[:MAX_LEVERS]
