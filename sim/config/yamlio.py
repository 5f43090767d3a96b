"""Safe YAML reading that remembers where every value came from.

A scenario file is data: only the plain YAML tags (map, list, str, int, float, bool, null) are
accepted, so a file can never construct Python objects. Every value's position is kept so that
validation errors can point at ``file:line:col``.

The reader is also the first line of defence against hostile files: it reads only regular files
up to ``MAX_FILE_BYTES`` (a device, a FIFO or a folder is refused before a byte is read), bounds
nesting depth, alias expansion (nodes and characters) and the size of numbers, and refuses alias
cycles, so nothing later (merging, hashing, validation) can be made to explode or recurse.
"""

from __future__ import annotations

import errno
import os
import re
import stat
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
MAX_FILE_BYTES = 1_000_000  # a scenario is a few kB; this leaves room without reading /dev/zero
_MAX_NODES = 200_000  # guards against alias bombs ("billion laughs"): values after expansion
_MAX_CHARS = 4_000_000  # ...and characters after expansion (one long string aliased many times)
MAX_DEPTH = 64  # nesting levels; a real scenario uses under ten
_MAX_INT_CHARS = 400  # longer integer literals are refused before Python converts them


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads ``1e3`` as a number and refuses deep nesting before recursing.

    PyYAML follows YAML 1.1, whose float needs a dot: ``1e3`` and ``2e-1`` would be strings.
    YAML 1.2 and every reader of a scenario file take them as numbers, so we do too."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."))


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
    return _Loader("")


def _at(node: yaml.Node) -> dict:
    return {"line": node.start_mark.line + 1, "col": node.start_mark.column + 1}


def _check_acyclic(root: yaml.Node, file: str) -> None:
    """Refuse an alias (or merge key) that refers to a value containing it.

    PyYAML composes ``a: &a [*a]`` into a node that contains itself; building or merging it
    would recurse without end. Iterative depth-first search, each node visited once."""
    state: dict[int, int] = {}  # 1 = on the current path, 2 = done
    stack: list[tuple[yaml.Node, Any]] = [(root, None)]
    while stack:
        node, children = stack[-1]
        if children is None:
            state[id(node)] = 1
            if isinstance(node, yaml.MappingNode):
                kids = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                kids = list(node.value)
            else:
                kids = []
            children = iter(kids)
            stack[-1] = (node, children)
        for child in children:
            s = state.get(id(child))
            if s == 1:
                raise ScenarioError("an alias refers to a value that contains it (an alias "
                                    "cycle)", file=file, **_at(child))
            if s is None:
                stack.append((child, None))
                break
        else:
            state[id(node)] = 2
            stack.pop()


class _Budget:
    """Expanded size of a document: values and characters, after aliases and merge keys."""

    def __init__(self) -> None:
        self.nodes = 0
        self.chars = 0
        self.merged: dict[int, int] = {}  # id(mapping node) -> number of pairs merge keys added


def _build(node: yaml.Node, path: tuple, marks: Marks, file: str, ctor: yaml.SafeLoader,
           budget: _Budget) -> Any:
    budget.nodes += 1
    if isinstance(node, yaml.ScalarNode):
        budget.chars += len(node.value)
    if budget.nodes > _MAX_NODES or budget.chars > _MAX_CHARS:
        raise ScenarioError(f"document too large once its aliases are expanded (over "
                            f"{_MAX_NODES:,} values or {_MAX_CHARS:,} characters)",
                            file=file, **_at(node))
    marks[path] = (file, node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _PLAIN_TAGS:
        raise ScenarioError(f"YAML tag {node.tag!r} is not allowed: scenario files are plain data",
                            file=file, **_at(node), path=_dotted(path) or None)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        if id(node) not in budget.merged:  # an aliased mapping is flattened once only
            n_explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
            ctor.flatten_mapping(node)  # resolves YAML merge keys (<<) safely
            budget.merged[id(node)] = len(node.value) - n_explicit
        n_merged = budget.merged[id(node)]  # merged pairs come first; explicit keys win
        explicit: set[str] = set()
        for i, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise ScenarioError("mapping keys must be plain strings", file=file,
                                    **_at(key_node), path=_dotted(path) or None)
            budget.chars += len(key_node.value)
            key = ctor.construct_object(key_node)
            if not isinstance(key, str):
                key = str(key)
            if i >= n_merged and key in explicit:
                raise ScenarioError(f"duplicate key {_short(key)}", file=file, **_at(key_node),
                                    path=_dotted(path + (key,)))
            if i >= n_merged:
                explicit.add(key)
            out[key] = _build(value_node, path + (key,), marks, file, ctor, budget)
            # point errors about a key at the key itself
            marks[path + (key,)] = (file, key_node.start_mark.line + 1,
                                    key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v, path + (i,), marks, file, ctor, budget) for i, v in enumerate(node.value)]
    return _scalar(node, path, file, ctor)


def _scalar(node: yaml.ScalarNode, path: tuple, file: str, ctor: yaml.SafeLoader) -> Any:
    """A scalar's value; numbers too large for a float are refused where they are written."""
    where = dict(file=file, **_at(node), path=_dotted(path) or None)
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > _MAX_INT_CHARS:
        raise ScenarioError(f"number too large ({len(node.value)} digits)", **where)
    value = ctor.construct_object(node)
    if isinstance(value, int) and not isinstance(value, bool) and \
            abs(value) > 1.7976931348623157e308:
        raise ScenarioError(f"number too large ({len(str(abs(value)))} digits; the largest is "
                            f"about 1.8e308)", **where)
    if isinstance(value, float) and value in (float("inf"), float("-inf")) and \
            "inf" not in node.value.lower():
        raise ScenarioError(f"number too large ({_short(node.value)}; the largest is about "
                            f"1.8e308)", **where)
    return value


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def _short(value: Any, limit: int = 40) -> str:
    """``repr`` of a value, cut to ``limit`` characters (errors never echo a whole file)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 4] + "...'"


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def parse_yaml(text: str, file: str) -> tuple[Any, Marks]:
    """Parse ``text`` as one YAML document; return the data and its marks (None if empty)."""
    marks = Marks()
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        ch = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise ScenarioError(f"control character U+{ord(ch):04X} is not allowed in a scenario "
                            f"(write it as an escape such as \\u{ord(ch):04x} inside double "
                            f"quotes)", file=file, line=line, col=col) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ScenarioError(plain_yaml_problem(exc, text), file=file,
                            line=mark.line + 1 if mark else None,
                            col=mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"malformed YAML: {' '.join(str(exc).split())}", file=file) from None
    if node is None:
        return None, marks
    _check_acyclic(node, file)
    try:
        data = _build(node, (), marks, file, _scalar_loader(), _Budget())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ScenarioError(plain_yaml_problem(exc, text), file=file,
                            line=mark.line + 1 if mark else None,
                            col=mark.column + 1 if mark else None) from None
    return data, marks


# --- YAML syntax errors in plain words --------------------------------------------------------

_PLAIN = [  # (substring of PyYAML's problem, what it means for someone editing a scenario)
    ("'\\t' that cannot start", "a tab: YAML indents with spaces only"),
    ("cannot start any token", "a tab or a character that cannot start a value here (YAML "
                               "indents with spaces; quote text that starts with @ or `)"),
    ("found a tab character", "a tab in the indentation: YAML indents with spaces only"),
    ("mapping values are not allowed here", "a ': ' inside a value (put the value in quotes, "
                                            "or start the mapping on a new line)"),
    ("could not find expected ':'", "a line that is not 'key: value' (a ':' is missing, or a "
                                    "quoted string runs on)"),
    ("expected ',' or ']'", "a '[...]' list is not closed properly"),
    ("expected ',' or '}'", "a '{...}' mapping is not closed properly"),
    ("found undefined alias", "an alias (*name) with no anchor (&name) above it"),
    ("found duplicate anchor", "the same anchor (&name) is defined twice"),
    ("found unknown escape character", "an unknown backslash escape in a double-quoted string "
                                       "(use single quotes to keep backslashes)"),
    ("found unexpected end of stream", "the file ends inside a quoted string or a bracket"),
    ("did not find expected '-' indicator", "a list item that does not start with '-' at the "
                                            "list's column"),
    ("did not find expected key", "a line at the wrong indentation, or a key without ':'"),
    ("expected <block end>", "a line at the wrong indentation"),
    ("expected alphabetic or numeric character", "an anchor or alias name (after & or *) "
                                                 "must be letters, digits, _ or -"),
    ("expected a comment or a line break", "text after a value on the same line (quote it)"),
    ("expected the node content", "a value is missing or starts with a character YAML "
                                  "reserves (quote it)"),
    ("expected chomping or indentation indicators", "text after '|' or '>' on the same line "
                                                    "(a block of text starts on the next line; "
                                                    "quote a value that starts with | or >)"),
    ("expected URI", "a '!' tag that is not plain data (quote a value that starts with !)"),
    ("expected '!', but found", "a '!' tag that is not plain data (quote a value that "
                                "starts with !)"),
    ("expected ' ', but found", "a '!' tag that is not plain data (quote a value that "
                                "starts with !)"),
    ("expected '<document start>'", "more than one value at the top level (a scenario is "
                                    "one mapping; quote text that starts with [, { or a "
                                    "quote)"),
    ("tag handle", "a '!' tag that is not plain data (quote a value that starts with !)"),
    ("mapping keys are not allowed here", "a '? ' key where none can start (quote text that "
                                          "starts with ?)"),
    ("sequence entries are not allowed here", "a '- ' list item where a value on the same "
                                              "line was expected (start the list on the next "
                                              "line)"),
    ("expected a mapping for merging", "a merge key (<<) must name a mapping or a list of "
                                       "them"),
    ("expected a mapping or list of mappings for merging", "a merge key (<<) must name a "
                                                           "mapping or a list of them"),
    ("while constructing a mapping", "a merge key (<<) must name a mapping or a list of them"),
]


def plain_yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> str:
    """Say a YAML syntax error in scenario terms, with PyYAML's own words after it."""
    library = " ".join((exc.problem or exc.context or "malformed YAML").split())
    if "nested more than" in library:
        return library
    mark = exc.problem_mark or exc.context_mark
    indent = _bad_indentation(text, mark.line) if mark is not None else None
    if indent and any(s in library for s in ("block end", "expected key", "mapping values",
                                             "expected ':'", "'-' indicator")):
        return f"{indent} (YAML: {library})"
    plain = next((p for s, p in _PLAIN if s in library), None)
    if plain and ("alias" in library or "anchor" in library or "escape" in library):
        return plain  # PyYAML quotes the file's text here; the position is enough
    return f"{plain} (YAML: {library})" if plain else f"malformed YAML: {library}"


def _bad_indentation(text: str, line0: int) -> str | None:
    """``bad indentation: a key at column 4 where column 3 or 7 was expected``, when the line
    (0-based) starts at a column none of the lines above it opened; else None."""
    lines = text.splitlines()
    if line0 >= len(lines):
        return None
    here = lines[line0]
    if not here.strip():
        return None
    col = len(here) - len(here.lstrip(" "))
    allowed: set[int] = set()
    deepest = None
    opens = False
    for prev in reversed(lines[:line0]):
        body = prev.strip()
        if not body or body.startswith("#"):
            continue
        ind = len(prev) - len(prev.lstrip(" "))
        if deepest is None:
            opens = body.rstrip().endswith(":")  # a key whose value starts on the next line
            deepest = ind
            allowed.add(ind)
        elif ind < min(allowed):
            allowed.add(ind)
        if ind == 0:
            break
    if deepest is None or col in allowed or (opens and col > deepest):
        return None
    below = [c for c in allowed if c < col]
    above = [c for c in allowed if c > col]
    expected = ([max(below)] if below else []) + ([min(above)] if above else [])
    if opens and deepest >= col:
        expected.append(deepest + 2)
    words = " or ".join(str(c + 1) for c in sorted(set(expected)))
    what = "a key" if re.match(r"\s*[\w.-]+\s*:(\s|$)", here) else "a line"
    return f"bad indentation: {what} at column {col + 1} where column {words} was expected"


# --- files ------------------------------------------------------------------------------------

def read_text(path: Path) -> str:
    """The text of a scenario file; only a regular UTF-8 file of at most ``MAX_FILE_BYTES``.

    The file is opened non-blocking and checked with ``fstat`` before reading, so a FIFO cannot
    hang the loader and a device such as ``/dev/zero`` is never read. No error quotes the
    file's content."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ScenarioError("file not found", file=name) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read: {_os_reason(exc)}", file=name) from None
    except ValueError:  # a NUL or a lone surrogate in the name
        raise ScenarioError("not a valid file name", file=name) from None
    try:
        st = os.fstat(fd)
        kind = _not_regular(st.st_mode)
        if kind:
            raise ScenarioError(f"{kind}, not a scenario file", file=name)
        if st.st_size > MAX_FILE_BYTES:
            raise ScenarioError(f"file too large for a scenario ({st.st_size:,} bytes; at most "
                                f"{MAX_FILE_BYTES:,})", file=name)
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:  # the file may grow after fstat
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise ScenarioError(f"file too large for a scenario (over {MAX_FILE_BYTES:,} "
                                f"bytes)", file=name)
    except OSError as exc:
        raise ScenarioError(f"cannot read: {_os_reason(exc)}", file=name) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(f"not a text file: byte 0x{raw[exc.start]:02x} is not UTF-8",
                            file=name, line=line, col=col) from None


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    return "is not a regular file"


def _os_reason(exc: OSError) -> str:
    """The OS's reason in words, without Python's exception name."""
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is longer than the system allows"
    reason = exc.strerror or errno.errorcode.get(exc.errno or 0, "input/output error")
    return reason[:1].lower() + reason[1:]


def read_yaml(path: Path) -> tuple[Any, Marks]:
    """Read and parse a YAML file, with a one-line error if it cannot be read or is empty."""
    text = read_text(path)
    data, marks = parse_yaml(text, str(path))
    if not marks:  # no document at all: nothing, or only comments
        raise ScenarioError("the file is empty", file=str(path))
    return data, marks
