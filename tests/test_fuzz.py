"""Fuzzing the loader with hypothesis: mutated bundled scenarios and hostile ``--set`` values.

Every mutated file either loads or raises a ``ScenarioError`` whose message is one line naming
the file, line and column (``file:line:col: path: problem``; a ``--set`` is named instead of a
file, and a few whole-file problems such as "the file is empty" have no line). Any other
exception is a traceback a user would see, and fails the test. No wording of pydantic or Python
may reach the message. The number of examples is bounded so that ``make test`` stays quick;
``STRAITSIM_FUZZ_EXAMPLES=2000`` runs more. The last test prints the counts: files fuzzed,
errors by kind, tracebacks.
"""

from __future__ import annotations

import os
import re
import shutil
import traceback
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.config.loader import load
from sim.errors import ScenarioError

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SOURCES = sorted(p.relative_to(SCENARIOS) for p in SCENARIOS.rglob("*.yaml"))
EXAMPLES = int(os.environ.get("STRAITSIM_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ONE_LINE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+):(?P<col>\d+))?:(?: (?P<path>\S+):)? "
                      r"(?P<problem>.+)$")
FORBIDDEN = ("Input should", "instance of", "pydantic", "Traceback", "Error(", "<class ")
# Problems about a whole file or argument, which have no line to point at.
WHOLE = ("the file is empty", "not a scenario", "file too large", "is a folder", "file not found",
         "--set expects", "--set path", "cyclic extends", "extends chain too deep")

HOSTILE = [
    "", "~", "null", ".nan", ".inf", "-.inf", "1e999", "-1e999", "9" * 400, "9" * 4301,
    "0x" + "f" * 500, "'2'", '"0.5"', '"a\\0b"', '"\\ud800"', "[1, 2]", "{a: 1}", "{}", "[]",
    "true", "no", "-1", "0", "1e3", "2e-1", "1.5", "1_000", "12:30", "2024-01-01", "x" * 300,
    "[" * 300 + "]" * 300, "*undefined", "&a [*a]", "&b {<<: *b}",
    "!!python/object/apply:os.system ['true']", "!!binary aGk=", "!include x.yaml", "..",
    "/etc/passwd", "../../x", "1/0*0", "resolve / 0 * 0 > 1", "nan", "1 +", "__import__('os')",
    "{dist: lognormal, median: 1, p90: 1e300}", "{dist: uniform, low: 2, high: 1}",
    "{dist: nope, p: 1}", "{dist: bernoulli, p: 1.5}", "{value: '3'}", "a: b: c", "'unclosed",
    "[1, 2", "{a: 1", "\t1", "|\n  text", "@x", "`x", "%x", "- 1\n- 2", "{<<: [1]}",
]
STATS: dict[str, Counter] = {"files": Counter(), "sets": Counter(), "kinds": Counter(),
                             "tracebacks": Counter()}
TRACEBACKS: list[str] = []


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the bundled scenarios, so mutated files sit where their extends resolve."""
    root = tmp_path_factory.mktemp("fuzz") / "scenarios"
    shutil.copytree(SCENARIOS, root)
    return root


# --- mutations --------------------------------------------------------------------------------

def _value_lines(lines: list[str]) -> list[int]:
    return [i for i, s in enumerate(lines) if re.match(r"^\s*[\w.-]+:\s*\S", s) and
            not s.lstrip().startswith("#")]


@st.composite
def mutated(draw) -> tuple[Path, str]:
    source = draw(st.sampled_from(SOURCES))
    lines = (SCENARIOS / source).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["value", "value", "value", "delete", "duplicate", "indent",
                                     "char", "truncate", "swap", "key"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "value":
            targets = _value_lines(lines)
            if targets:
                i = draw(st.sampled_from(targets))
                key = lines[i].split(":", 1)[0]
                new = draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)))
                lines[i] = f"{key}: {new}"
        elif kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "indent":
            n = draw(st.integers(-3, 3))
            if n >= 0:
                lines[i] = " " * n + lines[i]
            else:  # take away up to -n leading spaces
                lines[i] = lines[i][min(-n, len(lines[i]) - len(lines[i].lstrip(" "))):]
        elif kind == "char":
            ch = draw(st.one_of(st.sampled_from(list(":{}[]&*!|>#'\"\t\x00\x01\x7f\ufeff%@`-,")),
                                st.characters()))
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + ch + lines[i][j:]
        elif kind == "truncate":
            lines = lines[:i]
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "key":
            m = re.match(r"^(\s*)([\w.-]+):", lines[i])
            if m:
                k = m.group(2)
                j = draw(st.integers(0, len(k)))
                lines[i] = m.group(1) + k[:j] + draw(st.sampled_from("xs_")) + k[j:] + \
                    lines[i][m.end() - 1:]
    return source, "\n".join(lines) + "\n"


def _kind(problem: str) -> str:
    """A short, stable name for a kind of error: its first words without values."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "X", problem)  # quoted names and values
    text = re.sub(r"\S*/\S*?:? ", "FILE ", text)  # a file named by extends
    text = re.split(r"[(:;]|\d", text, maxsplit=1)[0].strip()
    return " ".join(text.split()[:6]) or problem[:30]


def _check(exc: ScenarioError, set_arg: bool) -> None:
    text = str(exc)
    assert "\n" not in text, text
    m = ONE_LINE.match(text)
    assert m, text
    assert not any(w in text for w in FORBIDDEN), text
    if set_arg:  # the --set itself, or what it made wrong elsewhere (a message it removed)
        assert m["file"].startswith("--set") or m["line"] is not None, text
    elif m["line"] is None:
        assert m["file"].startswith("--set") or any(w in m["problem"] for w in WHOLE), text
    text.encode("utf-8")
    STATS["kinds"][_kind(exc.problem)] += 1


def _run(fn, set_arg: bool, label: str) -> None:
    try:
        fn()
    except ScenarioError as exc:
        _check(exc, set_arg)
    except Exception:  # noqa: BLE001 - what the fuzz test is looking for
        STATS["tracebacks"][label] += 1
        TRACEBACKS.append(traceback.format_exc())
        raise


@FUZZ
@given(case=mutated())
def test_mutated_bundled_scenarios_load_or_fail_in_one_line(tree, case):
    source, text = case
    target = tree / source.parent / f"_fuzz_{source.name}"
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    if source.parent.name == "common":
        # a base file: load a bundled scenario that extends the mutated copy
        top = tree / "_fuzz_top.yaml"
        top.write_text((tree / "blockade.yaml").read_text(encoding="utf-8").replace(
            "extends: common/alliance.yaml", f"extends: common/{target.name}"), encoding="utf-8")
        path = top
    else:
        path = target
    STATS["files"][str(source)] += 1
    _run(lambda: load(path), False, str(source))


def _leaf_paths() -> list[str]:
    data = load(SCENARIOS / "blockade.yaml").data
    out: list[str] = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + [str(k)])
        elif path:
            out.append(".".join(path))
    walk(data, [])
    return out


LEAVES = _leaf_paths()


@FUZZ
@given(path=st.one_of(st.sampled_from(LEAVES), st.sampled_from(LEAVES).map(lambda p: p + "x"),
                      st.text(min_size=1, max_size=20)),
       value=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)))
def test_hostile_set_values_fail_in_one_line(path, value):
    STATS["sets"]["--set"] += 1
    _run(lambda: load(SCENARIOS / "blockade.yaml", [f"{path}={value}"]), True, "--set")


def test_fuzz_numbers(capsys):
    """The counts for the record (run with ``-s`` to see them); no traceback was seen."""
    with capsys.disabled():
        files = sum(STATS["files"].values())
        print(f"\nfuzz: {files} mutated files ({len(STATS['files'])} sources), "
              f"{STATS['sets']['--set']} --set values, "
              f"{sum(STATS['kinds'].values())} errors, "
              f"{sum(STATS['tracebacks'].values())} tracebacks")
        for kind, n in STATS["kinds"].most_common():
            print(f"  {n:5d}  {kind}")
    assert not TRACEBACKS, TRACEBACKS[0]
