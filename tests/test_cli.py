"""The ``straitsim`` command line: messages, exit codes and the files a run leaves behind.

Typer's ``CliRunner`` here keeps stderr apart from stdout (``result.stderr``); ``result.output``
is both, interleaved as a user would see them.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from _support import weekly_outputs
import sim
from sim.cli import app
from sim.config.loader import load

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
BLOCKADE = SCENARIOS / "blockade.yaml"
BUNDLED = ("blockade", "full_invasion", "gray_zone", "outer_islands")
REQUIRED_COLUMNS = (
    "replication", "outcome", "end_day", "us_intervened", "us_intervention_day", "japan_level",
    "japan_survival_threatening_day", "japan_armed_attack_day", "bases_used", "japan_struck",
    "taiwan_capitulated", "tokyo_taipei_first_contact_hours",
)
ERROR_LINE = re.compile(r"^error: (?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<path>[\w.]+): "
                        r"(?P<problem>.+)$")

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def assert_clean_failure(result) -> str:
    """Exit code 2, nothing on stdout, one ``error:`` line on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def bad_variant(folder: Path) -> Path:
    """A variant with a misspelt key on line 6, column 9."""
    path = folder / "bad.yaml"
    path.write_text(f"extends: {BLOCKADE}\nactors:\n  prc:\n    rules:\n      militarize:\n"
                    f"        probabilty: 0.3\n")
    return path


# --- list and validate ------------------------------------------------------------------------

def test_list_shows_the_bundled_scenarios():
    result = invoke("list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(BUNDLED)
    assert "invalid" not in result.stdout
    assert dict(line.split()[:2] for line in lines) == {
        "blockade": "blockade", "full_invasion": "invasion", "gray_zone": "gray_zone",
        "outer_islands": "outer_islands"}


@pytest.mark.parametrize("scenario", [BLOCKADE, "blockade", "blockade.yaml"])
def test_validate_ok(scenario):
    result = invoke("validate", scenario)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"ok: blockade \(blockade\), \d+ rules, hash [0-9a-f]{12}\n",
                        result.stdout), result.stdout
    assert result.stderr == ""


def test_validate_with_override_changes_the_hash():
    plain = invoke("validate", "blockade").stdout
    changed = invoke("validate", "blockade", "--set", "actors.us.resolve=0.9").stdout
    assert plain.startswith("ok: ") and changed.startswith("ok: ")
    assert plain != changed


def test_validate_bad_file_is_one_line_with_location(tmp_path):
    path = bad_variant(tmp_path)
    line = assert_clean_failure(invoke("validate", path))
    m = ERROR_LINE.match(line)
    assert m, line
    assert (m["file"], m["line"], m["col"], m["path"]) == (
        str(path.resolve()), "6", "9", "actors.prc.rules.militarize.probabilty")
    assert m["problem"] == "unknown key 'probabilty' (did you mean 'probability'?)"


def test_validate_missing_file(tmp_path):
    line = assert_clean_failure(invoke("validate", tmp_path / "nope.yaml"))
    assert line == f"error: {tmp_path / 'nope.yaml'}: file not found"


def test_validate_bad_override(tmp_path):
    override = "actors.prc.rules.militarize.probability=1.5"
    line = assert_clean_failure(invoke("validate", "blockade", "--set", override))
    assert line == (f"error: --set {override}: actors.prc.rules.militarize.probability: "
                    f"a probability must lie in [0, 1] (got 1.5)")


# --- run --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plotted_run(tmp_path_factory):
    """One run with plots, shared by the tests that read its files."""
    out = tmp_path_factory.mktemp("run") / "blockade"
    result = invoke("run", "blockade", "--runs", 50, "--seed", 7, "--out", out)
    return result, out


def run_table(out: Path, *args) -> pd.DataFrame:
    result = invoke("run", "blockade", "--runs", 50, "--no-plots", "--quiet", "--out", out, *args)
    assert result.exit_code == 0, result.output
    assert result.output == ""  # --quiet
    return pd.read_parquet(out / "outcomes.parquet")


def test_run_writes_table_manifest_and_plots(plotted_run):
    result, out = plotted_run
    assert result.exit_code == 0, result.output
    assert "50 replications" in result.stdout and "outcomes.parquet" in result.stdout
    figures = ["decision_days.png", "decision_ecdfs.png", "japan_ladder.png",
               "loss_distributions.png", "outcome_shares.png"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        figures + ["manifest.json", "outcomes.parquet"] + weekly_outputs(BLOCKADE, ("png",)))
    for png in figures:
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_run_table_has_one_row_per_replication(plotted_run):
    _, out = plotted_run
    df = pd.read_parquet(out / "outcomes.parquet")
    assert len(df) == 50
    assert df["replication"].tolist() == list(range(50))
    assert set(REQUIRED_COLUMNS) <= set(df.columns)
    assert df["outcome"].notna().all()
    assert (df["end_day"] >= 0).all()
    assert df["us_intervention_day"].notna().sum() == df["us_intervened"].sum()


def test_run_manifest(plotted_run):
    _, out = plotted_run
    manifest = json.loads((out / "manifest.json").read_text())
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["scenario_hash"])
    assert manifest["root_seed"] == 7
    assert manifest["runs"] == 50
    assert {"straitsim", "python", "numpy", "simpy", "pyarrow"} <= set(manifest["versions"])
    assert isinstance(manifest["wall_seconds"], (int, float)) and manifest["wall_seconds"] >= 0
    resolved = manifest["resolved_scenario"]
    assert resolved["name"] == "blockade"
    assert "extends" not in resolved
    assert "militarize" in resolved["actors"]["prc"]["rules"]   # from blockade.yaml
    assert "protest" in resolved["actors"]["us"]["rules"]       # from common/alliance.yaml


def test_run_same_seed_same_table_different_seed_different_table(tmp_path):
    a = run_table(tmp_path / "a", "--seed", 3)
    b = run_table(tmp_path / "b", "--seed", 3)
    c = run_table(tmp_path / "c", "--seed", 4)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_run_override_reaches_the_manifest(tmp_path):
    out = tmp_path / "out"
    run_table(out, "--set", "actors.prc.rules.threaten_japan.probability=0.05")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["resolved_scenario"]["actors"]["prc"]["rules"]["threaten_japan"][
        "probability"] == 0.05
    assert manifest["overrides"] == ["actors.prc.rules.threaten_japan.probability=0.05"]
    assert manifest["scenario_hash"] != load(BLOCKADE).hash


@pytest.mark.parametrize("kind", ["file", "override"])
def test_run_bad_input_writes_nothing(tmp_path, kind):
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    if kind == "file":
        args = ("run", bad_variant(tmp_path), "--runs", 50, "--out", out)
    else:
        args = ("run", "blockade", "--runs", 50, "--out", out,
                "--set", "actors.prc.rules.militarize.probability=1.5")
    line = assert_clean_failure(invoke(*args))
    assert ("probabilty" if kind == "file" else "--set ") in line
    assert not out.exists()
    assert list(work.iterdir()) == []  # no temporary folders beside it either


def test_run_into_a_file_fails_cleanly(tmp_path):
    out = tmp_path / "taken"
    out.write_text("keep me")
    line = assert_clean_failure(invoke("run", "blockade", "--runs", 5, "--out", out))
    assert "not a folder" in line
    assert out.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


# --- trace ------------------------------------------------------------------------------------

def test_trace_prints_a_timeline_and_the_outcome():
    result = invoke("trace", "blockade", "--seed", 7, "--replication", 1)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[0] == "blockade: seed 7, replication 1"
    assert " observes " in out and " decides " in out
    assert re.search(r"^outcome: \w+ on day [\d.]+; U\.S\. posture \w+; Japan \w+; "
                     r"bases used: (True|False)$", out, re.MULTILINE), out


def test_trace_is_repeatable():
    first = invoke("trace", "blockade", "-s", 5).stdout
    assert first == invoke("trace", "blockade", "-s", 5).stdout


def test_trace_bad_input(tmp_path):
    line = assert_clean_failure(invoke("trace", bad_variant(tmp_path)))
    assert ERROR_LINE.match(line), line


def test_cli_modules_import_common_not_each_other():
    """The command modules share one module of options and errors and never import each other,
    so the command line has no import circle (sim/cli/__init__.py alone gathers them)."""
    import ast
    from pathlib import Path

    import sim.cli
    folder = Path(sim.cli.__file__).parent
    commands = {"scenario", "results", "experiments"}
    for path in folder.glob("*.py"):
        if path.name == "__init__.py":
            continue
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "sim.cli":
                    imported |= {a.name for a in node.names}
                elif node.module.startswith("sim.cli."):
                    imported.add(node.module.rsplit(".", 1)[1])
        assert not imported & commands, f"{path.name} imports {imported & commands}"
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert names[:4] == ["run", "validate", "trace", "list"]


# --- the command itself: help, -h, --version --------------------------------------------------

COMMANDS = sorted(typer.main.get_command(app).commands)
HELP_WIDTH = 100
TYPE_LABEL = re.compile(r"<(?:bool|str|int|float|path|file|dir|list\[|tuple|datetime|uuid)"
                        r"|<\w+(?:\|\w+)+>")  # Typer's own labels: <bool>, <list[str]>, <a|b>


def help_text(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], terminal_width=HELP_WIDTH)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_version_comes_from_the_package_metadata():
    result = invoke("--version")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"straitsim {importlib.metadata.version('straitsim')}\n"
    assert importlib.metadata.version("straitsim") == sim.__version__  # one version, written once


def test_straitsim_alone_prints_the_help_and_succeeds():
    result = invoke()
    assert result.exit_code == 0, result.output
    assert result.stdout == invoke("--help").stdout
    assert result.stdout.startswith("Usage: ")
    assert all(re.search(rf"^  {name}\b", result.stdout, re.M) for name in COMMANDS)


@pytest.mark.parametrize("args", [(), *((c,) for c in COMMANDS)])
def test_dash_h_is_help(args):
    short, long = invoke(*args, "-h"), invoke(*args, "--help")
    assert short.exit_code == 0, short.output
    assert short.stdout == long.stdout and short.stdout.startswith("Usage: ")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_values_in_words(command):
    """Options name their value (N, DIR, PATH=VALUE, [a|b]); no Typer type labels."""
    text = help_text(command)
    assert not TYPE_LABEL.search(text), TYPE_LABEL.search(text)


def test_run_help_lists_the_executors():
    text = help_text("run")
    assert "-e, --executor [local|dask|serial]" in text
    assert "--quiet " in text and "<bool>" not in text
    assert "[default: CPU count]" in " ".join(text.split())  # not swallowed as Rich markup
    assert invoke("run", "blockade", "--executor", "gpu").exit_code == 2


def test_executor_choices_are_the_executor_kinds():
    from sim.batch.executors import KINDS
    from sim.cli.common import Executor
    assert sorted(e.value for e in Executor) == sorted(KINDS)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_paragraphs_are_wrapped_to_the_terminal_not_the_source(command):
    """Each line of a description paragraph is as full as the next word allows: a docstring
    wrapped in the source reads as one paragraph, not as its source lines."""
    text = help_text(*([command] if command else []))
    description = text.split("\n\n", 1)[1].split("\nArguments:")[0].split("\nOptions:")[0]
    for paragraph in description.split("\n\n"):
        lines = [line.rstrip() for line in paragraph.splitlines()]
        for line, after in zip(lines, lines[1:]):
            assert len(line) + 1 + len(after.split()[0]) > HELP_WIDTH, (line, after)


# --- the README shows what the code does ------------------------------------------------------

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_row(command: str) -> str:
    """The row of the README's command table for ``straitsim <command>``."""
    (row,) = [line for line in README.read_text(encoding="utf-8").splitlines()
              if line.startswith(f"| `straitsim {command} ")]
    return row


def named_in(row: str, entry: Path) -> bool:
    """Whether the row names a file or folder: `name`, a pattern such as `sweep_<parameter>.png`
    or `<name>/`, or a stem named once with its other suffixes given alone (`comparison.json`,
    `.csv`)."""
    tokens = re.findall(r"`([^`]+)`", row)
    for token in tokens:
        if entry.is_dir() != token.endswith("/"):
            continue
        token = token.rstrip("/").rsplit("/", 1)[-1]
        pattern = "".join(".+" if part.startswith("<") else re.escape(part)
                          for part in re.split(r"(<[^>]+>)", token))
        if re.fullmatch(pattern, entry.name):
            return True
    stems = {t.split(".")[0] for t in tokens if not t.startswith(".")}
    return entry.is_file() and entry.stem in stems and f"`{entry.suffix}`" in row


def test_readme_list_output_is_what_list_prints():
    text = README.read_text(encoding="utf-8")
    shown = text.split("$ straitsim list\n", 1)[1].split("\n$ ", 1)[0]
    assert shown.splitlines() == [line.rstrip() for line in invoke("list").stdout.splitlines()]


def test_readme_column_count_is_the_table_width(plotted_run):
    _, out = plotted_run
    shape = re.search(r"^\(10000, (\d+)\)$", README.read_text(encoding="utf-8"), re.M)
    assert shape and int(shape[1]) == pd.read_parquet(out / "outcomes.parquet").shape[1]


@pytest.fixture(scope="module")
def written(plotted_run, tmp_path_factory):
    """Each file-writing command, run small into its own folder: command -> that folder."""
    _, run_dir = plotted_run
    tmp = tmp_path_factory.mktemp("written")
    params = tmp / "params.yaml"
    params.write_text("params:\n  - {path: actors.us.resolve, low: 0, high: 1}\n"
                      "  - {path: actors.taiwan.will_to_resist, low: 0, high: 1}\n")
    commands = {
        "run": [],  # plotted_run
        "figures": ["figures", run_dir, "-o", tmp / "figures"],
        "report": ["report", run_dir, "-o", tmp / "report" / "report.html"],
        "compare": ["compare", "blockade", BLOCKADE, "-n", 50, "-o", tmp / "compare"],
        "sweep": ["sweep", "blockade", "-p", "actors.us.resolve=0,1", "-n", 50, "-q",
                  "-o", tmp / "sweep"],
        "sensitivity": ["sensitivity", "blockade", "--params", params, "--samples", 4,
                        "-n", 20, "-w", 1, "-q", "-o", tmp / "sensitivity"],
    }
    folders = {"run": run_dir}
    for command, args in commands.items():
        if args:
            result = invoke(*args)
            assert result.exit_code == 0, result.output
            folders[command] = tmp / command
    return folders


@pytest.mark.parametrize("command", ["run", "figures", "report", "compare", "sweep",
                                     "sensitivity"])
def test_readme_names_every_file_a_command_writes(written, command):
    row = readme_row(command)
    entries = sorted(written[command].iterdir())
    assert entries
    unnamed = [e.name for e in entries if not named_in(row, e)]
    assert not unnamed, f"README's row for {command} does not name {unnamed}"


def test_trace_prints_the_replications_drawn_values_at_the_top():
    """The values a replication drew (resolve, thresholds, will) head its trace, and they are the
    values the engine ran with: they differ between replications, and fixed numbers are left out."""
    from sim.config.loader import load
    from sim.model.compiled import compile_scenario
    from sim.model.engine import Engine
    from sim.model.replication import drawn_values, replication_key, slot_draws
    c = compile_scenario(load(SCENARIOS / "blockade.yaml").scenario)
    d0, d1 = drawn_values(c, 7, 0), drawn_values(c, 7, 1)
    assert {"us.resolve", "japan.survival_threshold", "taiwan.will_to_resist"} <= set(d0)
    assert d0["us.resolve"] != d1["us.resolve"]
    rkey = replication_key(7, 0)
    u, z = slot_draws(c.slot_keys, rkey)
    eng = Engine(c, u, z, None, rkey)
    assert all(eng.p[k] == v for k, v in d0.items())
    assert all(k in d0 for k, v in eng.p.items() if v != drawn_values(c, 7, 1).get(k, v))
    r = runner.invoke(app, ["trace", "blockade", "-s", "7", "-r", "0"])
    assert r.exit_code == 0
    top = " ".join(r.stdout.split("\n   day")[0].split())
    assert "drawn: " in top and f"us.resolve {d0['us.resolve']:.3g}," in top
