"""Load a scenario: read YAML, follow ``extends``, apply ``--set`` overrides, validate, compile.

Errors come out as one ``ScenarioError`` that names the file, line, column and field path of the
offending value, whichever layer (base file, variant, override) it came from.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pydantic

from sim.config.schema import Rule, Scenario
from sim.config.yamlio import Marks, _os_reason, _short, parse_yaml, read_yaml
from sim.errors import ScenarioError

MAX_EXTENDS_DEPTH = 16


@dataclass(frozen=True)
class Loaded:
    """A validated scenario with the merged data it came from (for the run manifest)."""

    scenario: Scenario
    data: dict
    files: tuple[str, ...]
    marks: Marks = field(default_factory=Marks, compare=False, repr=False)

    @property
    def hash(self) -> str:
        """SHA-256 of the resolved scenario, independent of key order and file layout."""
        text = json.dumps(self.data, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def _merge(base: Any, over: Any, base_marks: Marks, over_marks: Marks, path: tuple = ()) -> Any:
    """Deep-merge ``over`` into ``base``: mappings merge key by key, anything else replaces."""
    if _is_quantity(base) and _is_quantity(over) and \
            base.get("dist", "fixed") != over.get("dist", "fixed"):
        return over  # another distribution: replace it whole (the caller drops its marks)
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v, base_marks, over_marks, path + (k,)) if k in base else v
            if k not in base or out[k] is v:
                _drop_marks(base_marks, path + (k,))
        return out
    return over


def _is_quantity(d: Any) -> bool:
    return isinstance(d, dict) and ("dist" in d or "value" in d)


def _drop_marks(marks: Marks, prefix: tuple) -> None:
    n = len(prefix)
    for key in [k for k in marks if k[:n] == prefix]:
        del marks[key]


def _read_layered(path: Path, stack: tuple[Path, ...]) -> tuple[dict, Marks, list[str]]:
    path = path.resolve() if os.path.exists(path) else path
    if path in stack:
        chain = " -> ".join(p.name for p in stack + (path,))
        raise ScenarioError(f"cyclic extends: {chain}", file=str(stack[-1]), path="extends")
    if len(stack) > MAX_EXTENDS_DEPTH:
        raise ScenarioError("extends chain too deep", file=str(path), path="extends")
    data, marks = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError("not a scenario: a scenario file is a mapping of keys such as "
                            "name, title and actors", file=str(path), line=1, col=1)
    if not set(data) & (set(Scenario.model_fields) | {"extends"}):
        # Say nothing of what the file holds: it may be any file (extends: /etc/shadow).
        raise ScenarioError("not a scenario: none of its top-level keys is a scenario field "
                            "(name, title, family, actors, ...)", file=str(path))
    files = [str(path)]
    parent = data.pop("extends", None)
    if parent is None:
        return data, marks, files
    f, line, col = marks.where(("extends",))
    at = dict(file=f, line=line, col=col, path="extends")
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError("extends must be a file name", **at)
    if "\0" in parent:
        raise ScenarioError("a file name cannot contain a NUL character", **at)
    parent_path = (path.parent / parent)
    shown = _short(os.path.abspath(parent_path), 200)[1:-1]
    try:
        os.stat(parent_path)
    except FileNotFoundError:
        relative = "" if os.path.isabs(parent) else \
            f" (extends is relative to the folder of {path.name})"
        raise ScenarioError(f"file not found: {shown}{relative}", **at) from None
    except OSError as exc:  # e.g. a name longer than the system allows
        raise ScenarioError(f"cannot read {shown}: {_os_reason(exc)}", **at) from None
    except ValueError:  # a character no file name can hold (e.g. a lone surrogate)
        raise ScenarioError(f"{_short(parent, 60)} is not a valid file name", **at) from None
    parent_path = parent_path.resolve()
    if parent_path in stack + (path,):
        chain = " -> ".join(p.name for p in stack + (path, parent_path))
        raise ScenarioError(f"cyclic extends: {chain}", **at)
    try:
        base, base_marks, base_files = _read_layered(parent_path, stack + (path,))
    except ScenarioError as exc:
        if exc.file == str(parent_path) and exc.line is None:
            # the file as a whole is refused (a device, a folder, not a scenario): the extends
            # line that named it is where to fix it
            raise ScenarioError(f"{shown}: {exc.problem}", **at) from None
        raise
    merged_marks = Marks(base_marks)
    merged = _merge(base, data, merged_marks, marks)
    merged_marks.update({k: v for k, v in marks.items() if k != ("extends",)})
    return merged, merged_marks, base_files + files


def set_label(text: str) -> str:
    """How errors name a ``--set``: the whole argument, cut if it is very long."""
    return "--set " + (text if len(text) <= 80 else text[:76] + "...")


def parse_override(text: str) -> tuple[tuple[str, ...], Any]:
    """Split ``path=value``; the value is read as a YAML scalar or flow collection (data only)."""
    if "=" not in text:
        raise ScenarioError(f"--set expects path=value, got {_short(text)}", file="--set")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key or any(not p for p in key.split(".")):
        raise ScenarioError(f"--set path {_short(key)} is empty or has an empty part",
                            file="--set")
    try:
        value, _ = parse_yaml(raw, set_label(text))
    except ScenarioError as exc:  # a --set is one short line: name it and the path, no column
        raise ScenarioError(exc.problem, file=set_label(text),
                            path=".".join(filter(None, (key, exc.path)))) from None
    return tuple(key.split(".")), value  # an empty value is null


def apply_overrides(data: dict, marks: Marks, overrides: Iterable[str]) -> dict:
    data = copy.deepcopy(data)
    for text in overrides:
        path, value = parse_override(text)
        node = data
        for i, part in enumerate(path[:-1]):
            nxt = node.get(part) if isinstance(node, dict) else None
            if nxt is None:
                nxt = {}
                node[part] = nxt
                marks[path[:i + 1]] = (set_label(text), None, None)
            elif not isinstance(nxt, dict):
                raise ScenarioError(f"{'.'.join(path[:i + 1])} is not a mapping; cannot set "
                                    f"{'.'.join(path)}", file="--set", path=".".join(path))
            node = nxt
        if isinstance(node.get(path[-1]), dict) and not isinstance(value, dict):
            # 'probability=0.3' on a {dist: ...} quantity replaces it; keep citation if there
            old = node[path[-1]]
            if ("dist" in old or "value" in old) and isinstance(value, (int, float)) and \
                    not isinstance(value, bool):
                # the old citation belonged to the old value: say where the new one came from
                unit = {"unit": old["unit"]} if "unit" in old else {}
                value = {"value": value, "note": "set on the command line", **unit}
        node[path[-1]] = value
        _drop_marks(marks, path)
        marks[path] = (set_label(text), None, None)
    return data


def _pydantic_error(exc: pydantic.ValidationError, marks: Marks,
                    root: Any = None) -> ScenarioError:
    """The first validation error, said in scenario terms at the place it was written.

    pydantic's own phrases ("Input should be a valid dictionary or instance of Japan") name
    Python types; a scenario author needs to hear what the field expects."""
    errs = exc.errors()
    err = errs[0]
    if err["type"] in ("float_type", "string_type") and isinstance(err.get("input"), dict):
        # a Union[float, str, Quantity] given a mapping: report the Quantity branch's error
        err = next((e for e in errs if e["type"] not in ("float_type", "string_type")), err)
    if err["type"] == "missing":  # a misspelt key: name the typo, not the missing field
        err = next((e for e in errs if e["type"] == "extra_forbidden"
                    and e["loc"][:-1] == err["loc"][:-1]), err)
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (
        p in _DIST_TAGS or p.startswith("function-"))))
    path = ".".join(str(p) for p in loc)
    msg = _in_scenario_terms(err, loc, root)
    f, line, col = marks.where(loc)
    # A check over a whole section (e.g. a uniform's high >= low) blames the section; if an
    # override inside it caused the problem, point at the override instead.
    n = len(loc)
    for key, mark in marks.items():
        if key[:n] == loc and len(key) > n and str(mark[0]).startswith("--set"):
            f, line, col = mark
            break
    return ScenarioError(msg, file=f, line=line, col=col, path=path)


def _in_scenario_terms(err: dict, loc: tuple, root: Any = None) -> str:
    kind, ctx, given = err["type"], err.get("ctx") or {}, err.get("input")
    got = f" (got {_short(given)})" if isinstance(given, (int, float, str, bool)) and \
        given is not None else ""
    if kind == "extra_forbidden":
        key = str(loc[-1])
        options = _fields_at(loc[:-1], root)
        close = difflib.get_close_matches(key, options, n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        if loc[:-1] == ("actors",):
            return f"unknown actor {_short(key)}{hint}; the actors are {', '.join(options)}"
        listing = f"; expected one of {', '.join(options)}" if not close and options and \
            len(options) <= 12 else ""
        return f"unknown key {_short(key)}{hint}{listing}"
    if kind == "missing":
        return "required field is missing"
    if kind.startswith("value_error") or kind == "assertion_error":
        msg = str(ctx.get("error") or err["msg"])
        msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if msg.startswith("value ") and loc and isinstance(loc[-1], str):
            msg = f"{loc[-1]} {msg[len('value '):]}"
        return msg
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        if isinstance(given, str):
            return f"expected a number, not text (got {_short(given)}; write it without quotes)"
        if isinstance(given, bool):
            return "expected a number, not true/false"
        return f"expected a number{_kind_of(given)}"
    if kind == "finite_number":
        return f"expected a finite number{got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false{got or _kind_of(given)}"
    if kind in ("string_type", "string_unicode"):
        return f"expected text{got or _kind_of(given)}"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        keys = _fields_at(loc, root)
        what = f" with keys such as {', '.join(keys[:4])}" if keys else " (key: value lines)"
        return f"expected a mapping{what}{got or _kind_of(given)}"
    if kind in ("list_type", "tuple_type", "sequence_str"):
        return f"expected a list{got or _kind_of(given)}"
    if kind == "literal_error":
        options = str(ctx.get("expected", ""))
        words = [w.strip(" '") for w in options.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(given), words, n=1, cutoff=0.5) \
            if isinstance(given, str) else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"expected one of {options}{got}{hint}"
    if kind in ("less_than_equal", "less_than", "greater_than_equal", "greater_than"):
        bound = {"less_than_equal": ("at most", "le"), "less_than": ("below", "lt"),
                 "greater_than_equal": ("at least", "ge"),
                 "greater_than": ("above", "gt")}[kind]
        limit = ctx.get(bound[1])
        limit = f"{limit:g}" if isinstance(limit, (int, float)) else limit
        return f"must be {bound[0]} {limit}{got}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return "unknown distribution; give dist: one of " + ", ".join(_DISTS)
    if kind in ("string_too_long", "string_too_short", "too_long", "too_short"):
        return f"wrong length{got}"
    # Any other check: its kind in words, never pydantic's sentence about Python types.
    return f"not a valid value here ({kind.replace('_', ' ')}){got}"


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return " (got a mapping)"
    if isinstance(value, list):
        return " (got a list)"
    if value is None:
        return " (got nothing: the value is empty)"
    return ""


_DISTS = ("fixed", "uniform", "triangular", "lognormal", "normal", "exponential", "bernoulli")
_DIST_TAGS = {"fixed", "uniform", "triangular", "lognormal", "normal", "exponential", "bernoulli",
              "float", "str", "function-after[_order(), Uniform]"}


def _fields_at(loc: tuple, root: Any = None) -> list[str]:
    """Field names the model (``root``, by default the scenario) accepts at ``loc`` (for 'did
    you mean' suggestions)."""
    model: Any = Scenario if root is None else root
    skip_key = False
    for part in loc:
        if skip_key:  # a dict key such as a rule id
            skip_key = False
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model, skip_key = _unwrap(field.annotation)
    return list(getattr(model, "model_fields", {}))


def _unwrap(ann) -> tuple[Any, bool]:
    """The model class behind an annotation, and whether it sits inside a dict."""
    import typing
    origin = typing.get_origin(ann)
    if origin is dict:
        return _unwrap(typing.get_args(ann)[1])[0], True
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(ann)[0])
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        for a in typing.get_args(ann):
            if hasattr(a, "model_fields"):
                return a, False
    return ann, False


def load(path: str | Path, overrides: Iterable[str] = ()) -> Loaded:
    """Read, merge, override and validate a scenario. Raises ``ScenarioError``."""
    path = Path(path)
    data, marks, files = _read_layered(path, ())
    data = apply_overrides(data, marks, overrides)
    _check_rule_ids(data, marks)
    try:
        scenario = Scenario.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _pydantic_error(exc, marks) from None
    from sim.model.compiled import compile_scenario
    try:
        compile_scenario(scenario)  # cross-references are checked here
    except ScenarioError as exc:
        loc = getattr(exc, "loc", None)
        if loc is not None and exc.file is None:
            f, line, col = marks.where(loc)
            raise ScenarioError(exc.problem, file=f, line=line, col=col, path=exc.path) from None
        raise
    _check_key_assumptions(scenario, marks)
    return Loaded(scenario=scenario, data=data, files=tuple(files), marks=marks)


def _check_key_assumptions(scenario: Scenario, marks: Marks) -> None:
    """Each key assumption names a column some scenario's run can have (a misspelling is an
    error). A column this scenario's processes do not fill (a variant without Japan inheriting
    ``japan_base_use``) is not: the report says so beside the other splits."""
    from sim.config.groups import parse_by
    from sim.model.outcome import COLUMN_NAMES as columns
    for i, spec in enumerate(scenario.key_assumptions):
        column = parse_by(spec).column
        if column not in columns:
            close = difflib.get_close_matches(column, list(columns), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            f, line, col = marks.where(("key_assumptions", i))
            raise ScenarioError(f"no outcome column {column!r}{hint}", file=f,
                                line=line, col=col, path=f"key_assumptions.{i}")


def _check_rule_ids(data: dict, marks: Marks) -> None:
    """A rule that has no ``when`` or ``action`` once every layer has merged was never defined:
    most likely a misspelt id in a variant or ``--set`` (which would otherwise add a new rule)."""
    actors = data.get("actors")
    if not isinstance(actors, dict):
        return
    fields = set(Rule.model_fields)
    for actor, body in actors.items():
        rules = body.get("rules") if isinstance(body, dict) else None
        if not isinstance(rules, dict):
            continue
        defined = [rid for rid, r in rules.items() if isinstance(r, dict) and
                   {"when", "action"} <= set(r)]
        for rid, r in rules.items():
            if not isinstance(r, dict) or rid in defined or not set(r) <= fields:
                continue  # not a mapping, or an unknown key: validation names that
            close = difflib.get_close_matches(str(rid), defined, n=1, cutoff=0.6)
            if close:
                why = f" (did you mean {close[0]!r}?)"
            elif "when" not in r and "action" not in r:
                why = "; a new rule needs 'when' and 'action'" + (
                    f" (its rules: {', '.join(defined)})" if defined else "")
            else:
                continue  # a new rule missing one of them: validation says which
            f, line, col = marks.where(("actors", actor, "rules", rid))
            raise ScenarioError(f"no rule {_short(rid)} in actors.{actor}.rules{why}", file=f,
                                line=line, col=col, path=f"actors.{actor}.rules.{rid}")
