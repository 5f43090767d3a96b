"""The cited values of a resolved scenario, for the report's list of key assumptions.

Every mapping in the resolved scenario that carries a ``source`` or an ``assumption`` is one
entry: where it is, what it says, and the text of each claim it cites (from
the bundled ``seeds/claims.yaml``; the claim id alone if it cannot be read).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sim.resources import claims_file

CLAIMS = claims_file()
CITATION_KEYS = ("source", "assumption", "note", "description")


@dataclass(frozen=True)
class Cited:
    path: str
    value: str
    sources: tuple[tuple[str, str], ...]  # (claim id, claim text or "")
    assumption: str
    note: str


@lru_cache(maxsize=1)
def claims() -> dict[str, str]:
    """Claim id -> claim text, or an empty mapping when the register is not there."""
    try:
        import yaml
        data = yaml.safe_load(CLAIMS.read_text(encoding="utf-8")) or {}
        return {c["id"]: str(c.get("claim", "")).strip() for c in data.get("claims", [])
                if isinstance(c, dict) and "id" in c}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    except Exception:  # noqa: BLE001 - a malformed register must not stop a report
        return {}


def _short(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_short(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_short(x)}" for k, x in v.items()
                               if k not in CITATION_KEYS) + "}"
    return str(v)


def describe_value(node: dict) -> str:
    """A one-line statement of a cited mapping: a value, a distribution, or a rule."""
    if "value" in node:
        return _short(node["value"])
    if "dist" in node:
        params = ", ".join(f"{k}={_short(v)}" for k, v in node.items()
                           if k not in CITATION_KEYS and k != "dist")
        return f"{node['dist']}({params})"
    if "when" in node and "action" in node:
        p = node.get("probability", 1)
        target = f" {node['message']} to {_short(node['to'])}" if node.get("message") else ""
        off = " [disabled]" if node.get("enabled") is False else ""
        delay = node.get("delay_hours")
        after = f", decides after {describe_value(delay)} h" if isinstance(delay, dict) else ""
        return f"when {node['when']}: {node['action']}{target}, p = {_short(p)}{after}{off}"
    parts = [f"{k}: {describe_value(v) if isinstance(v, dict) else _short(v)}"
             for k, v in node.items() if k not in CITATION_KEYS]
    return "; ".join(parts)


def cited_values(data: dict) -> list[Cited]:
    """Every mapping with a source or assumption, in document order."""
    known = claims()
    out: list[Cited] = []

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            if "source" in node or "assumption" in node:
                src = node.get("source") or []
                ids = [src] if isinstance(src, str) else [str(s) for s in src]
                out.append(Cited(path or "(scenario)", describe_value(node),
                                 tuple((i, known.get(i, "")) for i in ids),
                                 str(node.get("assumption") or ""), str(node.get("note") or "")))
            for k, v in node.items():
                if k not in CITATION_KEYS:
                    walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(data, "")
    return out
