"""Safe YAML reading that remembers where every value came from.

A scenario file is data: only the plain YAML tags (map, list, str, int, float, bool, null) are
accepted, so a file can never construct Python objects. Every value's position is kept so that
validation errors can point at ``file:line:col``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.errors import ScenarioError

Path_ = tuple  # a path into the document: keys and list indices

_PLAIN_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAX_NODES = 200_000  # guards against alias bombs ("billion laughs")


class Marks(dict):
    """Maps a document path to ``(file, line, col)`` (1-based)."""

    def where(self, path: tuple) -> tuple[str | None, int | None, int | None]:
        """Position of ``path`` or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if p in self:
                return self[p]
            if not p:
                return (None, None, None)
            p = p[:-1]


def _scalar_loader() -> yaml.SafeLoader:
    return yaml.SafeLoader("")


def _build(node: yaml.Node, path: tuple, marks: Marks, file: str, ctor: yaml.SafeLoader,
           budget: list[int]) -> Any:
    budget[0] += 1
    if budget[0] > _MAX_NODES:
        raise ScenarioError("document too large (too many nodes or aliases)", file=file,
                            line=node.start_mark.line + 1, col=node.start_mark.column + 1)
    marks[path] = (file, node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _PLAIN_TAGS:
        raise ScenarioError(f"YAML tag {node.tag!r} is not allowed: scenario files are plain data",
                            file=file, line=node.start_mark.line + 1,
                            col=node.start_mark.column + 1, path=_dotted(path) or None)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        n_explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        ctor.flatten_mapping(node)  # resolves YAML merge keys (<<) safely
        n_merged = len(node.value) - n_explicit  # merged pairs come first; explicit keys win
        explicit: set[str] = set()
        for i, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, yaml.ScalarNode):
                raise ScenarioError("mapping keys must be plain strings", file=file,
                                    line=key_node.start_mark.line + 1,
                                    col=key_node.start_mark.column + 1, path=_dotted(path) or None)
            key = ctor.construct_object(key_node)
            if not isinstance(key, str):
                key = str(key)
            if i >= n_merged and key in explicit:
                raise ScenarioError(f"duplicate key {key!r}", file=file,
                                    line=key_node.start_mark.line + 1,
                                    col=key_node.start_mark.column + 1, path=_dotted(path + (key,)))
            if i >= n_merged:
                explicit.add(key)
            out[key] = _build(value_node, path + (key,), marks, file, ctor, budget)
            # point errors about a key at the key itself
            marks[path + (key,)] = (file, key_node.start_mark.line + 1,
                                    key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v, path + (i,), marks, file, ctor, budget) for i, v in enumerate(node.value)]
    return ctor.construct_object(node)


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def parse_yaml(text: str, file: str) -> tuple[Any, Marks]:
    """Parse ``text`` as one YAML document; return the data and its marks."""
    marks = Marks()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "malformed YAML").strip()
        raise ScenarioError(f"malformed YAML: {problem}", file=file,
                            line=mark.line + 1 if mark else None,
                            col=mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"malformed YAML: {exc}", file=file) from None
    if node is None:
        return {}, marks
    try:
        data = _build(node, (), marks, file, _scalar_loader(), [0])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ScenarioError(f"malformed YAML: {(exc.problem or '').strip()}", file=file,
                            line=mark.line + 1 if mark else None,
                            col=mark.column + 1 if mark else None) from None
    return data, marks


def read_yaml(path: Path) -> tuple[Any, Marks]:
    """Read and parse a YAML file, with a one-line error if it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError("file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read file: {exc.__class__.__name__}", file=str(path)) from None
    return parse_yaml(text, str(path))
