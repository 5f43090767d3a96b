"""Hostile and careless inputs: each gives one line ``file:line:col: path: problem``, exit 2.

Every case goes through the command line (``straitsim validate`` with Typer's ``CliRunner``), so
the test sees what a user sees: the exit code, one line on stderr, no traceback, no Python or
pydantic wording, nothing of a non-scenario file's content. The cases are those of issue 9.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.config.loader import load

BLOCKADE = (Path(__file__).resolve().parent.parent / "scenarios" / "blockade.yaml")
runner = CliRunner()
ONE_LINE = re.compile(r"^error: (?P<file>.+?)(?::(?P<line>\d+):(?P<col>\d+))?:"
                      r"(?: (?P<path>\S+):)? (?P<problem>.+)$")
PYTHON_WORDS = ("Traceback", "Error:", "Input should", "instance of", "pydantic",
                "errors.pydantic.dev", "UnicodeDecodeError", "OSError")
SECRET = "SECRETHASH"


def variant(folder: Path, body: str, name: str = "v.yaml") -> Path:
    """A scenario extending the bundled blockade; ``body`` starts on line 2."""
    path = folder / name
    path.write_text(f"extends: {BLOCKADE}\n{body}", encoding="utf-8")
    return path


def rule(actor: str, rid: str, text: str) -> str:
    return f"actors:\n  {actor}:\n    rules:\n      {rid}:\n        {text}\n"


# Each case: (id, build(tmp_path) -> validate arguments, line or None, path or None, problem
# substring). ``line`` None means the error names no line (a --set, or a whole file).
def _file(text: str | bytes, name: str = "s.yaml"):
    def build(tmp: Path) -> list[str]:
        p = tmp / name
        p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return [str(p)]
    return build


def _variant(body: str):
    return lambda tmp: [str(variant(tmp, body))]


def _set(*overrides: str):
    def build(tmp: Path) -> list[str]:
        args = [str(BLOCKADE)]
        for o in overrides:
            args += ["--set", o]
        return args
    return build


def _extends(target: str | None = None, make=None):
    def build(tmp: Path) -> list[str]:
        name = target
        if make is not None:
            name = make(tmp)
        p = tmp / "v.yaml"
        p.write_text(f"extends: {name}\nname: v\n", encoding="utf-8")
        return [str(p)]
    return build


def _fifo(tmp: Path) -> str:
    os.mkfifo(tmp / "pipe")
    return "pipe"


def _shadow(tmp: Path) -> str:
    (tmp / "shadow").write_text(f"toor:{SECRET}:19000:0:99999:7:::\n", encoding="utf-8")
    return str(tmp / "shadow")


def _shadow_mapping(tmp: Path) -> str:
    (tmp / "shadow").write_text(f"toor: {SECRET}\nbob: x\n", encoding="utf-8")
    return str(tmp / "shadow")


def _big(tmp: Path) -> str:
    (tmp / "big.yaml").write_text("name: x\n" + "# padding\n" * 120_000, encoding="utf-8")
    return "big.yaml"


def _laughs() -> str:
    """About 1 MB: one 100 kB string aliased 9,000 times would be 900 MB in the hash's JSON."""
    return ('a: &a "' + "x" * 100_000 + '"\nb: [' + ", ".join(["*a"] * 9_000) + "]\n")


D400, D4301 = "9" * 400, "9" * 4301
CASES = [
    # item 1: the name becomes a folder
    ("name-dotdot", _variant("name: ..\n"), 2, "name", "name must be 1 to 100 letters"),
    ("name-absolute", _variant("name: /tmp/x\n"), 2, "name", "name must be 1 to 100 letters"),
    ("name-parent", _variant("name: ../../x\n"), 2, "name", "name must be 1 to 100 letters"),
    ("name-hidden", _variant("name: .x\n"), 2, "name", "not starting with '.'"),
    ("name-nul", _variant('name: "a\\0b"\n'), 2, "name", "(got 'a\\x00b')"),
    ("name-surrogate", _variant('name: "a\\ud800"\n'), 2, "name", "(got 'a\\ud800')"),
    ("name-300", _variant("name: " + "n" * 300 + "\n"), 2, "name", "1 to 100"),
    ("name-set-dotdot", _set("name=.."), None, "name", "name must be 1 to 100 letters"),
    ("name-set-surrogate", _set("name=a\udcff"), None, "name", "control character U+DCFF"),
    # item 8: extends reads only regular files of a scenario's size
    ("extends-dev-zero", _extends("/dev/zero"), 1, "extends", "is a device"),
    ("extends-fifo", _extends(make=_fifo), 1, "extends", "is a named pipe (FIFO)"),
    ("extends-folder", _extends("."), 1, "extends", "is a folder"),
    ("extends-too-large", _extends(make=_big), 1, "extends", "file too large"),
    ("extends-shadow", _extends(make=_shadow), None, None, ""),
    ("extends-shadow-mapping", _extends(make=_shadow_mapping), 1, "extends",
     "not a scenario"),
    # item 9: alias expansion bounded before merging and hashing
    ("alias-laughs", _file(_laughs()), 1, None, "too large once its aliases are expanded"),
    # item 10: no traceback
    ("nested-500", _variant("name: " + "[" * 500 + "]" * 500 + "\n"), 2, None,
     "nested more than"),
    ("alias-cycle", _variant("x: &a [*a]\n"), 2, None, "alias cycle"),
    ("merge-key-cycle", _variant("x: &a {<<: *a}\n"), 2, None, "alias cycle"),
    ("int400-quantity", _variant(f"horizon_days: {D400}\n"), 2, "horizon_days",
     "number too large (400 digits"),
    ("int4301-quantity", _variant(f"horizon_days: {D4301}\n"), 2, "horizon_days",
     "number too large (4301 digits"),
    ("int400-probability", _variant(rule("us", "signal", f"probability: {D400}")), 6,
     "actors.us.rules.signal.probability", "number too large"),
    ("int4301-probability", _variant(rule("us", "signal", f"probability: {D4301}")), 6,
     "actors.us.rules.signal.probability", "number too large"),
    ("int400-expression", _variant(rule("us", "signal", f"when: resolve > {D400}")), 6,
     "actors.us.rules.signal.when", "number too large in expression"),
    ("int400-set", _set(f"actors.us.resolve={D400}"), None, "actors.us.resolve",
     "number too large"),
    ("int4301-set", _set(f"horizon_days={D4301}"), None, "horizon_days", "number too large"),
    ("int400-set-expression", _set(f"actors.us.rules.signal.probability=resolve * {D400}"),
     None, "actors.us.rules.signal.probability", "number too large in expression"),
    ("float-overflow", _variant("horizon_days: 1e999\n"), 2, "horizon_days",
     "number too large"),
    ("extends-name-too-long", _extends("a" * 5000 + ".yaml"), 1, "extends",
     "longer than the system allows"),
    ("extends-path-too-long", _extends("/a" * 3000 + ".yaml"), 1, "extends", ""),
    # item 11: NaN, quoted numbers, an overflowing lognormal
    ("nan-in-when", _variant(rule("us", "signal", "when: 1/0 * 0 < 1")), 6,
     "actors.us.rules.signal.when", "is NaN (not a number)"),
    ("nan-in-when-set", _set("actors.us.rules.signal.when=resolve > 1/0 - 1/0"), None,
     "actors.us.rules.signal.when", "is NaN (not a number)"),
    ("quoted-number-quantity", _variant("horizon_days: '2'\n"), 2, "horizon_days",
     "not text (got '2'); write numbers without quotes"),
    ("quoted-number-probability", _variant(rule("us", "signal", "probability: '0.5'")), 6,
     "actors.us.rules.signal.probability", "a probability is a number, not text"),
    ("quoted-number-field", _variant("actors:\n  us:\n    resolve: {dist: lognormal, "
                                     "median: '2', p90: 3}\n"), 4, "actors.us.resolve.median",
     "expected a number, not text (got '2'"),
    ("quoted-number-set", _set("actors.us.resolve='0.5'"), None, "actors.us.resolve",
     "not text"),
    ("lognormal-overflow", _variant("actors:\n  us:\n    war_powers_clock_days: {dist: lognormal, "
                                    "median: 60, p90: 1e200}\n"), 4,
     "actors.us.war_powers_clock_days", "draws would overflow"),
    # item 13: files a first-time user meets
    ("empty-file", _file(""), None, None, "the file is empty"),
    ("comment-only-file", _file("# nothing yet\n\n"), None, None, "the file is empty"),
    ("control-character", _file("name: a\x01b\n"), 1, None, "control character U+0001"),
    ("binary-file", _file(b"\x89PNG\r\n\x1a\n\x00\x00\x00"), 1, None, "not a text file"),
    ("folder-as-scenario", lambda tmp: [str(tmp)], None, None, "is a folder"),
    ("bad-indentation", _file("name: x\nactors:\n  prc:\n      rules: 1\n   x: 2\n"), 5, None,
     "bad indentation: a key at column 4 where column 3 or 7 was expected"),
    ("not-a-mapping-type", _variant("actors:\n  japan: Japan\n"), 3, "actors.japan",
     "expected a mapping with keys such as"),
    ("list-for-number", _variant("horizon_days: [1]\n"), 2, "horizon_days",
     "expected a number or a distribution (got a list)"),
    # item 14: misspelt rule ids and actors
    ("rule-id-typo", _variant(rule("us", "escort_thru_blockade", "probability: 0.1")), 5,
     "actors.us.rules.escort_thru_blockade",
     "no rule 'escort_thru_blockade' in actors.us.rules (did you mean "
     "'escort_through_blockade'?)"),
    ("rule-id-typo-disabled", _variant(rule("us", "escort_thru_blockade", "enabled: false")), 5,
     "actors.us.rules.escort_thru_blockade", "(did you mean 'escort_through_blockade'?)"),
    ("rule-id-typo-set", _set("actors.us.rules.escort_thru_blockade.probability=0.1"), None,
     "actors.us.rules.escort_thru_blockade", "(did you mean 'escort_through_blockade'?)"),
    ("unknown-actor", _variant("actors:\n  usa:\n    resolve: 1\n"), 3, "actors.usa",
     "unknown actor 'usa' (did you mean 'us'?); the actors are prc, us, japan, taiwan"),
]


@pytest.mark.parametrize("build, line, path, problem",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_input_gives_one_line(tmp_path, build, line, path, problem):
    args = build(tmp_path)
    t0 = time.perf_counter()
    result = runner.invoke(app, ["validate", *args])
    assert time.perf_counter() - t0 < 20
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    err = result.stderr
    assert err.count("\n") == 1 and err.endswith("\n"), err
    m = ONE_LINE.match(err.rstrip("\n"))
    assert m, err
    if line is not None:
        assert m["line"] == str(line), err
    elif m["file"].startswith("--set"):
        assert m["line"] is None, err
    if path is not None:
        assert m["path"] == path, err
    assert problem in m["problem"], err
    assert not any(w in err for w in PYTHON_WORDS), err
    assert SECRET not in err
    err.encode("utf-8")  # printable: no lone surrogate reaches the terminal


def test_secret_file_named_by_extends_is_not_echoed(tmp_path):
    """``extends: /etc/shadow`` once printed the file's first line."""
    path = tmp_path / "v.yaml"
    path.write_text(f"extends: {_shadow(tmp_path)}\nname: v\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and SECRET not in result.stderr and "toor" not in result.stderr


def test_fifo_never_blocks(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    t0 = time.perf_counter()
    result = runner.invoke(app, ["validate", str(tmp_path / "pipe")])
    assert time.perf_counter() - t0 < 5
    assert result.exit_code == 2 and "named pipe" in result.stderr


def test_alias_bomb_never_reaches_the_hash(tmp_path, monkeypatch):
    """A 1 MB file of aliased long strings is refused while reading, before merge or hash."""
    import json
    calls = []
    real = json.dumps
    monkeypatch.setattr(json, "dumps", lambda *a, **k: calls.append(1) or real(*a, **k))
    path = tmp_path / "laughs.yaml"
    path.write_text(f"extends: {BLOCKADE}\n" + _laughs(), encoding="utf-8")
    assert path.stat().st_size < 1_000_000
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "too large once its aliases are expanded" in result.stderr
    assert not calls


def test_misspelt_bundled_name_suggests_the_nearest():
    result = runner.invoke(app, ["run", "blockde", "--runs", "1"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: blockde: no such file, and no bundled scenario by "
                                    "that name (did you mean 'blockade'?); bundled: blockade")


# --- what is accepted -------------------------------------------------------------------------

def test_unquoted_exponent_is_a_number_in_files_and_set(tmp_path):
    """PyYAML (YAML 1.1) reads 1e3 as text; a scenario reads it as the number it looks like."""
    loaded = load(variant(tmp_path, "horizon_days: 1e3\nactors:\n  us:\n    resolve: 5e-1\n"))
    assert loaded.scenario.horizon_days.value == 1000.0
    assert loaded.data["horizon_days"] == 1000.0  # the resolved data (and its hash) too
    assert loaded.scenario.actors.us.resolve.value == 0.5
    over = load(BLOCKADE, ["horizon_days=2e2", "actors.us.rules.signal.probability=1e-1"])
    assert over.scenario.horizon_days.value == 200.0
    assert over.scenario.actors.us.rules["signal"].probability == 0.1


@pytest.mark.parametrize("name", ["a", "blockade_v2", "my-run.2", "x" * 100, "0.5"])
def test_safe_names_are_accepted(tmp_path, name):
    assert load(variant(tmp_path, f"name: '{name}'\n")).scenario.name == name


def test_lognormal_with_a_cap_never_overflows(tmp_path):
    """A wide lognormal is allowed when ``max`` caps it, and its sampler stays finite."""
    from sim.config.dists import make_sampler
    body = ("actors:\n  us:\n    war_powers_clock_days: {dist: lognormal, median: 60, p90: 1e200, "
            "max: 120}\n")
    q = load(variant(tmp_path, body)).scenario.actors.us.war_powers_clock_days
    draw = make_sampler(q)
    assert [draw(0.5, z) for z in (-40.0, 0.0, 40.0)] == [pytest.approx(0.0, abs=1e-300),
                                                          pytest.approx(60.0), 120.0]


def test_lognormal_at_the_edge_of_overflow_is_accepted(tmp_path):
    from sim.config.dists import make_sampler
    # median 1, p90 = e^(700 * Z90 / 9): the largest z the check allows gives e^700
    p90 = f"{2.718281828459045 ** (700 * 1.2815515655446004 / 9):.6e}"
    body = (f"actors:\n  us:\n    war_powers_clock_days: {{dist: lognormal, median: 1, "
            f"p90: {p90}}}\n")
    q = load(variant(tmp_path, body)).scenario.actors.us.war_powers_clock_days
    assert make_sampler(q)(0.5, 9.0) < float("inf")
