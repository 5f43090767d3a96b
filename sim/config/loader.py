"""Load a scenario: read YAML, follow ``extends``, apply ``--set`` overrides, validate, compile.

Errors come out as one ``ScenarioError`` that names the file, line, column and field path of the
offending value, whichever layer (base file, variant, override) it came from.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pydantic

from sim.config.schema import Scenario
from sim.config.yamlio import Marks, parse_yaml, read_yaml
from sim.errors import ScenarioError

MAX_EXTENDS_DEPTH = 16


@dataclass(frozen=True)
class Loaded:
    """A validated scenario with the merged data it came from (for the run manifest)."""

    scenario: Scenario
    data: dict
    files: tuple[str, ...]

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
    path = path.resolve() if path.exists() else path
    if path in stack:
        chain = " -> ".join(p.name for p in stack + (path,))
        raise ScenarioError(f"cyclic extends: {chain}", file=str(stack[-1]), path="extends")
    if len(stack) > MAX_EXTENDS_DEPTH:
        raise ScenarioError("extends chain too deep", file=str(path), path="extends")
    data, marks = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError("a scenario file must be a mapping at the top level",
                            file=str(path), line=1, col=1)
    files = [str(path)]
    parent = data.pop("extends", None)
    if parent is None:
        return data, marks, files
    if not isinstance(parent, str):
        f, line, col = marks.where(("extends",))
        raise ScenarioError("extends must be a file name", file=f, line=line, col=col,
                            path="extends")
    parent_path = (path.parent / parent)
    if not parent_path.exists():
        f, line, col = marks.where(("extends",))
        raise ScenarioError(f"file not found: {parent}", file=f, line=line, col=col,
                            path="extends")
    if parent_path.resolve() in stack + (path,):
        chain = " -> ".join(p.name for p in stack + (path, parent_path.resolve()))
        f, line, col = marks.where(("extends",))
        raise ScenarioError(f"cyclic extends: {chain}", file=f, line=line, col=col,
                            path="extends")
    base, base_marks, base_files = _read_layered(parent_path, stack + (path,))
    merged_marks = Marks(base_marks)
    merged = _merge(base, data, merged_marks, marks)
    merged_marks.update({k: v for k, v in marks.items() if k != ("extends",)})
    return merged, merged_marks, base_files + files


def parse_override(text: str) -> tuple[tuple[str, ...], Any]:
    """Split ``path=value``; the value is read as a YAML scalar or flow collection (data only)."""
    if "=" not in text:
        raise ScenarioError(f"--set expects path=value, got {text!r}", file="--set")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key or any(not p for p in key.split(".")):
        raise ScenarioError(f"--set path {key!r} is empty or has an empty part", file="--set")
    value, _ = parse_yaml(raw, f"--set {key}")
    return tuple(key.split(".")), value


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
                marks[path[:i + 1]] = (f"--set {text}", None, None)
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
        marks[path] = (f"--set {text}", None, None)
    return data


def _pydantic_error(exc: pydantic.ValidationError, marks: Marks) -> ScenarioError:
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
    kind = err["type"]
    msg = err["msg"]
    if kind == "extra_forbidden":
        field = loc[-1]
        options = _fields_at(loc[:-1])
        close = difflib.get_close_matches(str(field), options, n=1, cutoff=0.5)
        msg = f"unknown key {field!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    elif kind == "missing":
        msg = "required field is missing"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
        if msg.startswith("value ") and loc and isinstance(loc[-1], str):
            msg = f"{loc[-1]} {msg[len('value '):]}"
    elif kind == "union_tag_invalid":
        msg = f"unknown distribution; {msg}"
    if "input" in err and kind not in ("missing", "extra_forbidden") and \
            isinstance(err["input"], (int, float, str, bool)) and "got" not in msg and \
            "lowest possible" not in msg and "got range" not in msg:
        msg += f" (got {err['input']!r})"
    f, line, col = marks.where(loc)
    # A check over a whole section (e.g. repel_at >= stalemate_at) blames the section; if an
    # override inside it caused the problem, point at the override instead.
    n = len(loc)
    for key, mark in marks.items():
        if key[:n] == loc and len(key) > n and str(mark[0]).startswith("--set"):
            f, line, col = mark
            break
    return ScenarioError(msg, file=f, line=line, col=col, path=path)


_DIST_TAGS = {"fixed", "uniform", "triangular", "lognormal", "normal", "exponential", "bernoulli",
              "float", "str", "function-after[_order(), Uniform]"}


def _fields_at(loc: tuple) -> list[str]:
    """Field names the model accepts at ``loc`` (for 'did you mean' suggestions)."""
    model: Any = Scenario
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
    return Loaded(scenario=scenario, data=data, files=tuple(files))
