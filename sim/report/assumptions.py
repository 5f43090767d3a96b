"""The cited values of a resolved scenario, for the report's list of key assumptions.

Every mapping in the resolved scenario that carries a ``source`` or an ``assumption`` is one
entry: where it is, what it says, and the text of each claim it cites (from
the bundled ``seeds/claims.yaml``; the claim id alone if it cannot be read).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sim.resources import claims_file

CLAIMS = claims_file()
CITATION_KEYS = ("source", "assumption", "note", "description")
SOURCE_KEYS = ("source", "family_source", "direct_channel_source")  # fields that cite claims
UNKNOWN_CLAIM = "unknown claim id: not in the claims register (seeds/claims.yaml)"


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


def read_claims_file(path: Path) -> set[str]:
    """Claim ids in a user's claims file (the register's format: ``claims: [{id: ...}]``).

    Read with the scenario loader's safe reader, so a bad file gets ``file:line:col``."""
    from sim.config.yamlio import read_yaml
    from sim.errors import ScenarioError
    data, marks = read_yaml(Path(path))
    items = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(items, list):
        f, line, col = marks.where(("claims",))
        raise ScenarioError("a claims file is a mapping with a list 'claims' of {id: ..., "
                            "claim: ...} entries", file=f or str(path), line=line, col=col,
                            path="claims")
    ids = set()
    for i, c in enumerate(items):
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            f, line, col = marks.where(("claims", i))
            raise ScenarioError("each claim needs an 'id' (text)", file=f, line=line, col=col,
                                path=f"claims.{i}")
        ids.add(c["id"])
    return ids


def unknown_claim_ids(data: dict, known: set[str]) -> list[tuple[tuple, str]]:
    """``(path, claim id)`` for every citation in ``data`` that names no claim in ``known``."""
    out: list[tuple[tuple, str]] = []

    def walk(node, path: tuple) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in SOURCE_KEYS:
                    ids = [v] if isinstance(v, str) else v if isinstance(v, list) else []
                    out.extend((path + (k,), i) for i in ids
                               if isinstance(i, str) and i not in known)
                elif k not in CITATION_KEYS:
                    walk(v, path + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, path + (i,))

    walk(data, ())
    return out


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
                # an id the register does not hold is flagged (a typo, or an uncited source)
                out.append(Cited(path or "(scenario)", describe_value(node),
                                 tuple((i, known.get(i, UNKNOWN_CLAIM if known else ""))
                                       for i in ids),
                                 str(node.get("assumption") or ""), str(node.get("note") or "")))
            for k, v in node.items():
                if k not in CITATION_KEYS:
                    walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(data, "")
    return out
