"""The scenario format as a JSON Schema (draft-07), generated from the pydantic models.

Editors (VS Code's YAML extension, anything built on yaml-language-server) read draft-07 best,
so pydantic's 2020-12 output is rewritten: ``$defs`` becomes ``definitions``, a ``$ref`` never
has siblings (draft-07 ignores them), and pydantic's OpenAPI ``discriminator`` is dropped.

Two things the pydantic models cannot say on their own are added here:

* Quantities: the loader turns a plain number, or a mapping without ``dist``, into a fixed
  value before validating, so the schema accepts a number (range-checked where the field is a
  probability, a share or a non-negative quantity) or any of the distribution mappings.
* Partial files: a file that ``extends`` another holds only what differs, at any depth, so
  nothing in it is required. The same holds for a base file of shared defaults (such as
  ``scenarios/common/alliance.yaml``) that names no ``name``, ``title`` or ``family``. Such
  files are checked against a copy of every definition with ``required`` removed; a complete
  scenario against the full definitions.

The range checks on distributions (a lognormal share needs ``max: 1``), the expression
language and cross-references (actions, channels) stay with the loader: ``straitsim validate``
is the final word.
"""

from __future__ import annotations

import copy
import json
import typing
from typing import Any

from pydantic import AfterValidator, BaseModel

from sim.config import schema as S

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "https://github.com/straitsim/straitsim/schema/scenario.schema.json"
_DIST_MODELS = ("Fixed", "Uniform", "Triangular", "Lognormal", "Normal", "Exponential",
                "Bernoulli")
# range check of a quantity type -> (definition name, the plain number it allows)
_RANGES = {
    None: ("Quantity", {"type": "number"}),
    S._non_negative: ("NonNegativeQuantity", {"type": "number", "minimum": 0}),
    S._probability: ("ProbabilityQuantity", {"type": "number", "minimum": 0, "maximum": 1}),
    S._unit_interval: ("ShareQuantity", {"type": "number", "minimum": 0, "maximum": 1}),
    S._positive: ("PositiveQuantity", {"type": "number", "exclusiveMinimum": 0}),
}
_RANGE_WORDS = {
    None: "A quantity: a number, or a distribution {dist: ...}.",
    S._non_negative: "A quantity that can never be negative.",
    S._probability: "A probability: every value it can take lies in [0, 1].",
    S._unit_interval: "A share or 0-1 scale: every value it can take lies in [0, 1].",
    S._positive: "A quantity that is always above zero.",
}
# YAML 1.1 reads 1e-3 (no dot) as text; the loader accepts it as the number it spells.
_NUMERIC_TEXT = {"type": "string", "pattern": r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)$"}
_FORBIDDEN = ("$defs", "prefixItems", "unevaluatedProperties", "unevaluatedItems",
              "dependentRequired", "dependentSchemas", "$anchor", "$dynamicRef", "discriminator")


def _quantity_check(ann, metadata=()) -> tuple[bool, Any]:
    """(is it a quantity?, its range check or None), looking through Annotated layers."""
    if typing.get_origin(ann) is typing.Annotated:
        inner, *meta = typing.get_args(ann)
        return _quantity_check(inner, tuple(metadata) + tuple(meta))
    if S.Fixed in typing.get_args(ann):
        checks = [m.func for m in metadata if isinstance(m, AfterValidator)]
        return True, checks[0] if checks else None
    return False, None


def scenario_models() -> list[type[BaseModel]]:
    """Every model a scenario contains, found by walking the annotations from ``Scenario``."""
    found: list[type[BaseModel]] = []

    def walk(ann) -> None:
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            if ann not in found:
                found.append(ann)
                for f in ann.model_fields.values():
                    walk(f.annotation)
            return
        for a in typing.get_args(ann):
            walk(a)

    walk(S.Scenario)
    return found


def _rewrite_refs(node: Any, suffix: str = "") -> Any:
    """``#/$defs/X`` -> ``#/definitions/X<suffix>``; a $ref with siblings goes into allOf."""
    if isinstance(node, list):
        return [_rewrite_refs(x, suffix) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _rewrite_refs(v, suffix) for k, v in node.items() if k != "discriminator"}
    if "$ref" in out:
        ref = out.pop("$ref")
        name = ref.rsplit("/", 1)[1]
        ref = f"#/definitions/{name}{suffix}"
        if out:
            out["allOf"] = [{"$ref": ref}]
        else:
            out = {"$ref": ref}
    return out


def _quantity_defs() -> dict[str, dict]:
    refs = [{"$ref": f"#/definitions/{m}"} for m in _DIST_MODELS]
    return {name: {"description": _RANGE_WORDS[check],
                   "anyOf": [number, _NUMERIC_TEXT, *refs]}
            for check, (name, number) in _RANGES.items()}


_DIST_WORDS = {
    "Fixed": "A fixed value: {value: x}, or just the number.",
    "Uniform": "Uniform between low and high.",
    "Triangular": "Triangular from low to high, most likely at mode.",
    "Lognormal": "Lognormal given by its median and 90th percentile, optionally capped at max.",
    "Normal": "Normal with mean and sd, optionally clipped to [low, high].",
    "Exponential": "Exponential waiting time with the given mean.",
    "Bernoulli": "1 with probability p, else 0.",
}


def _describe_definitions(defs: dict) -> None:
    """Give every definition a description: a section takes that of the field holding it."""
    for model in scenario_models():
        for field in model.model_fields.values():
            ann = field.annotation
            target = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
            if target is None and typing.get_origin(ann) is dict:
                inner = typing.get_args(ann)[1]
                target = inner if isinstance(inner, type) and issubclass(inner, BaseModel) \
                    else None
            if target is not None and field.description:
                defs[target.__name__].setdefault("description", field.description)
    for name, words in _DIST_WORDS.items():
        defs[name].setdefault("description", words)


def _patch_quantities(defs: dict) -> None:
    """Point every quantity field at the Quantity definition that matches its range check."""
    for model in scenario_models():
        props = defs[model.__name__].get("properties", {})
        for name, field in model.model_fields.items():
            prop = props[name]
            keep = {k: prop[k] for k in ("description", "default", "title") if k in prop}
            ann = field.annotation
            is_q, check = _quantity_check(ann, field.metadata)
            opt = [a for a in typing.get_args(ann) if a is not type(None)]
            if not is_q and len(opt) == 1 and type(None) in typing.get_args(ann):
                # an optional quantity (e.g. a perception delay for one kind of event)
                is_q, check = _quantity_check(opt[0])
                if is_q:
                    props[name] = {**keep, "anyOf": [
                        {"$ref": f"#/definitions/{_RANGES[check][0]}"}, {"type": "null"}]}
                    continue
            if is_q:
                props[name] = {**keep, "allOf": [{"$ref": f"#/definitions/{_RANGES[check][0]}"}]}
            elif typing.get_origin(ann) is dict:
                is_q, check = _quantity_check(typing.get_args(ann)[1])
                if is_q:
                    prop["additionalProperties"] = {
                        "$ref": f"#/definitions/{_RANGES[check][0]}"}
    # A rule's probability: a number in [0, 1], an expression, or a probability quantity.
    prob = defs["Rule"]["properties"]["probability"]
    prob.pop("anyOf", None)
    prob["anyOf"] = [{"type": "number", "minimum": 0, "maximum": 1},
                     {"type": "string", "description": "An expression over what the actor "
                                                       "knows (clipped to [0, 1])."},
                     {"$ref": "#/definitions/ProbabilityQuantity"}]


def _partial(defs: dict) -> dict:
    """A copy of every definition with nothing required (for files that extend another)."""
    out = {}
    for name, d in defs.items():
        p = _rewrite_refs(copy.deepcopy(d), "Partial")
        _drop_required(p)
        out[name + "Partial"] = p
    return out


def _drop_required(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("required", None)
        for v in node.values():
            _drop_required(v)
    elif isinstance(node, list):
        for v in node:
            _drop_required(v)


def scenario_schema() -> dict:
    """The JSON Schema (draft-07) of a scenario file, ``extends`` and partial files included."""
    raw = S.Scenario.model_json_schema(mode="validation")
    defs = {k: _rewrite_refs(v) for k, v in raw.pop("$defs").items()}
    top = _rewrite_refs(raw)
    defs["Scenario"] = top
    _patch_quantities(defs)
    _describe_definitions(defs)
    defs.update(_quantity_defs())
    # The rewritten definitions reference '#/definitions/X'; partial copies 'XPartial'.
    defs.update(_partial({k: v for k, v in defs.items()}))
    extends = {"type": "string", "description": "A scenario file this one builds on, relative "
               "to this file's folder. Mappings merge key by key; anything else replaces the "
               "base value. A file that extends another needs only the keys it changes."}
    for name in ("Scenario", "ScenarioPartial"):
        defs[name]["properties"] = {"extends": extends, **defs[name]["properties"]}
    return {
        "$schema": DRAFT_07,
        "$id": SCHEMA_ID,
        "title": "straitsim scenario",
        "description": "A straitsim scenario file (YAML). Complete scenarios are checked "
                       "strictly; a file with `extends`, or a base file of shared defaults "
                       "with no name, title or family, may leave anything out. Generated by "
                       "`straitsim schema` from sim/config/schema.py; do not edit by hand.",
        "type": "object",
        "if": {"anyOf": [
            {"required": ["extends"]},
            {"not": {"anyOf": [{"required": ["name"]}, {"required": ["title"]},
                               {"required": ["family"]}]}},
        ]},
        "then": {"$ref": "#/definitions/ScenarioPartial"},
        "else": {"$ref": "#/definitions/Scenario"},
        "definitions": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """The schema as the committed file holds it (stable key order, trailing newline)."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def later_keywords(node: Any, path: str = "#") -> list[str]:
    """Places where ``node`` uses a keyword draft-07 does not know (2019-09 or later)."""
    found = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in _FORBIDDEN and not path.endswith("/properties"):
                found.append(f"{path}/{k}")
            found += later_keywords(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += later_keywords(v, f"{path}/{i}")
    return found
