"""One exception family for everything the package raises on purpose.

The CLI turns a ``ScenarioError`` into ``file:line:col: field.path: problem`` and exit code 2;
anything outside this family is a bug and keeps its traceback.
"""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` with control characters and lone surrogates escaped (``\\x00``, ``\\udc80``).

    A message is printed to a terminal: a NUL or a lone surrogate (from a file name or a
    ``--set`` argument) must neither garble it nor fail to encode."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode()
                   if ord(c) < 0xD800 or ord(c) > 0xDFFF else f"\\u{ord(c):04x}" for c in text)


class SimError(Exception):
    """Base class of straitsim's own errors."""


class ScenarioError(SimError):
    """A scenario file (or an override) is not valid.

    Carries where the problem is so the message can point at the YAML line.
    """

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None,
                 col: int | None = None, path: str | None = None):
        self.problem = problem
        self.file = file
        self.line = line
        self.col = col
        self.path = path
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        field = f" {self.path}:" if self.path else ""
        return printable(f"{where}:{field} {self.problem}")


class OutputError(SimError):
    """The output folder cannot be written as asked."""


class ModelError(SimError):
    """The model reached a state its rules do not allow (a bug or an inconsistent scenario)."""
