"""``straitsim explain``: every parameter of a resolved scenario, with what it means and why.

A student reading a scenario wants, for each number, four things the YAML spreads over several
files: its value after ``extends`` and ``--set``, its unit, what the model does with it (the
schema's description), and what it rests on (a claim in ``seeds/claims.yaml`` or a stated
assumption). The loader's marks say which file and line set each value, so a variant's change
and a ``--set`` stand out from the inherited defaults.
"""

from __future__ import annotations

import typing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from sim.config import schema as S
from sim.config.dists import describe
from sim.config.jsonschema import _quantity_check
from sim.config.loader import Loaded, _read_layered, apply_overrides, load
from sim.config.yamlio import Marks, read_yaml
from sim.errors import ScenarioError
from sim.resources import claims_file

CLAIMS = claims_file()
_UNIT_OF_CHECK = {S._probability: "probability", S._unit_interval: "0-1 scale"}
_SKIP = {"description", "enabled", "variables", "rules", "family_source",
         "direct_channel_source"}  # shown another way (or as text)
_RULE_SHOWN = {"when", "action", "otherwise", "probability"}  # in the rule's own rows


@dataclass
class Param:
    """One row of the explanation."""

    path: str
    value: str
    unit: str = ""
    meaning: str = ""
    source: list[str] = field(default_factory=list)
    claims: dict[str, str] = field(default_factory=dict)  # claim id -> its text
    assumption: str = ""
    note: str = ""
    cited_by: str = ""       # path whose citation covers this value, when not its own
    set_at: str = ""         # file:line, '--set ...', or 'default'
    overridden: bool = False  # set on the command line


def _claims(path: Path = CLAIMS) -> dict[str, str]:
    """Claim id -> text, from the register (empty when the package runs without its repo)."""
    if not path.exists():
        return {}
    data, _ = read_yaml(path)
    return {c["id"]: " ".join(str(c.get("claim", "")).split())
            for c in (data or {}).get("claims", []) if isinstance(c, dict) and "id" in c}


def _where(marks: Marks, path: tuple, root: Path | None) -> tuple[str, bool]:
    if path not in marks:
        return "default", False
    f, line, _col = marks[path]
    f = str(f)
    if f.startswith("--set"):
        return f, True
    if root is not None:
        try:
            f = str(Path(f).resolve().relative_to(root))
        except ValueError:
            pass
    return (f"{f}:{line}" if line else f), False


def _unit(path: tuple, q, check) -> str:
    if getattr(q, "unit", None):
        return q.unit
    for part in reversed(path):
        if isinstance(part, str) and part.endswith("_hours"):
            return "hours"
        if isinstance(part, str) and part.endswith("_days"):
            return "days"
    return _UNIT_OF_CHECK.get(check, "")


def _sources(c) -> list[str]:
    return c.sources() if isinstance(c, S.Cited) else []


class _Walker:
    def __init__(self, marks: Marks, claims: dict[str, str], root: Path | None):
        self.marks, self.claims, self.root = marks, claims, root
        self.rows: list[Param] = []

    def row(self, path: tuple, value: str, meaning: str, own=None, cover=None,
            cover_path: tuple = (), unit: str = "") -> None:
        set_at, over = _where(self.marks, path, self.root)
        cite = own if own is not None and (_sources(own) or own.assumption) else None
        if cite is None and cover is not None and (_sources(cover) or cover.assumption):
            cite, cited_by = cover, ".".join(map(str, cover_path))
        else:
            cited_by = ""
        srcs = _sources(cite) if cite is not None else []
        self.rows.append(Param(
            path=".".join(map(str, path)), value=value, unit=unit, meaning=meaning or "",
            source=srcs, claims={s: self.claims.get(s, "(not in seeds/claims.yaml)")
                                 for s in srcs},
            assumption=(cite.assumption or "") if cite is not None else "",
            note=(getattr(own, "note", None) or "") if own is not None else "",
            cited_by=cited_by, set_at=set_at, overridden=over))

    def quantity(self, path, q, meaning, check, cover=None, cover_path=()) -> None:
        self.row(path, describe(q), meaning, own=q, cover=cover, cover_path=cover_path,
                 unit=_unit(path, q, check))

    def model(self, m: BaseModel, path: tuple, cover=None, cover_path=()) -> None:
        """Walk a section; a Cited section's citation covers its plain values."""
        if isinstance(m, S.Cited) and (_sources(m) or m.assumption):
            cover, cover_path = m, path
        for name, f in type(m).model_fields.items():
            if name in S.Cited.model_fields or name in _SKIP or \
                    isinstance(m, S.Rule) and name in _RULE_SHOWN:
                continue
            value = getattr(m, name)
            p = path + (name,)
            is_q, check = _quantity_check(f.annotation, f.metadata)
            if value is None:
                continue
            if is_q or hasattr(value, "dist"):
                self.quantity(p, value, f.description, check, cover, cover_path)
            elif isinstance(value, BaseModel):
                self.model(value, p, cover, cover_path)
            elif isinstance(value, dict):
                inner = typing.get_args(f.annotation)[1]
                _, inner_check = _quantity_check(inner)
                for k, v in value.items():
                    if hasattr(v, "dist"):
                        self.quantity(p + (k,), v, f"{f.description} ({k})", inner_check)
                    elif isinstance(v, BaseModel):
                        self.model(v, p + (k,), cover, cover_path)
            else:
                text = ", ".join(value) if isinstance(value, (list, tuple)) else str(value)
                if isinstance(value, bool):
                    text = str(value).lower()
                own = None
                if name in ("family", "direct_trilateral_channel"):
                    src = getattr(m, "family_source" if name == "family"
                                  else "direct_channel_source")
                    own = S.Cited(source=src) if src else None
                self.row(p, text, f.description, own=own, cover=cover, cover_path=cover_path)
        if isinstance(m, S.Actor):
            self.actor_extras(m, path)

    def actor_extras(self, actor: S.Actor, path: tuple) -> None:
        desc = S.Actor.model_fields["variables"].description
        for k, q in actor.variables.items():
            self.quantity(path + ("variables", k), q, f"{desc} ({k})", None)
        for rid, r in actor.rules.items():
            rp = path + ("rules", rid)
            state = "" if r.enabled else " [disabled]"
            orelse = f" (otherwise {r.otherwise})" if r.otherwise else ""
            self.row(rp, f"when {r.when} -> {r.action}{orelse}{state}",
                     r.description or S.Rule.__doc__.splitlines()[0], own=r)
            self.model(r, rp)
            prob = r.probability
            pp = rp + ("probability",)
            meaning = S.Rule.model_fields["probability"].description
            if isinstance(prob, (float, str)):
                text = f"{prob:g}" if isinstance(prob, float) else prob
                self.row(pp, text, meaning, cover=r, cover_path=rp, unit="probability")
            else:
                self.quantity(pp, prob, meaning, S._probability, r, rp)


def explain(path: str | Path, overrides: Iterable[str] = (),
            claims_file: Path = CLAIMS) -> tuple[Loaded, list[Param]]:
    """The resolved scenario and one ``Param`` per parameter, in file order of the schema.

    Raises ``ScenarioError`` as ``load`` does (the scenario is validated first)."""
    overrides = list(overrides)
    loaded = load(path, overrides)
    _data, marks, _files = _read_layered(Path(path), ())
    apply_overrides(_data, marks, overrides)  # for the marks: which file or --set set what
    root = claims_file.parent.parent if claims_file.exists() else None
    try:
        claims = _claims(claims_file)
    except ScenarioError:
        claims = {}
    w = _Walker(marks, claims, root)
    w.model(loaded.scenario, ())
    return loaded, w.rows


def as_json(loaded: Loaded, rows: list[Param]) -> dict[str, Any]:
    return {"scenario": loaded.scenario.name, "title": loaded.scenario.title,
            "family": loaded.scenario.family, "files": list(loaded.files),
            "scenario_hash": loaded.hash, "parameters": [asdict(r) for r in rows]}


def format_text(loaded: Loaded, rows: list[Param], width: int = 100) -> str:
    """A plain terminal listing: one header line per parameter, then meaning and citation."""
    s = loaded.scenario
    out = [f"{s.name} ({s.family}): {s.title}",
           f"files: {', '.join(_short(f) for f in loaded.files)}; hash {loaded.hash[:12]}",
           "Each parameter: path, value or distribution [unit], where it was set; then what it "
           "means and what it rests on.", ""]
    for r in rows:
        unit = f" [{r.unit}]" if r.unit else ""
        flag = "  << --set" if r.overridden else ""
        out.append(f"{r.path} = {r.value}{unit}   ({r.set_at}){flag}")
        if r.meaning:
            out.append(_clip(f"means: {r.meaning}", width))
        for sid in r.source:
            via = f" (via {r.cited_by})" if r.cited_by else ""
            out.append(_clip(f"source {sid}{via}: {r.claims.get(sid, '')}", width))
        if r.assumption:
            via = f" (via {r.cited_by})" if r.cited_by and not r.source else ""
            out.append(_clip(f"assumption{via}: {' '.join(r.assumption.split())}", width))
        if not r.source and not r.assumption and r.note:
            out.append(_clip(f"note: {r.note}", width))
    return "\n".join(out)


def _short(f: str) -> str:
    try:
        return str(Path(f).resolve().relative_to(Path.cwd()))
    except ValueError:
        return f


def _clip(text: str, width: int) -> str:
    """Wrap a line at ``width``, continuation lines indented under its text."""
    import textwrap
    return "\n".join(textwrap.wrap(" ".join(text.split()), width, initial_indent="    ",
                                    subsequent_indent="        "))
