"""The docs cannot drift from the code: every generated table in docs/scenario-reference.md is
exactly what ``sim.docs`` renders now, and the README's command table names every command and
option that ``straitsim --help`` shows (and no other)."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from _support import ROOT
from sim import docs
from sim.cli import app

REFERENCE = ROOT / "docs" / "scenario-reference.md"
README = ROOT / "README.md"
RENDERED = docs.blocks()
IN_FILE = docs.generated_blocks(REFERENCE.read_text(encoding="utf-8"))


# --- the scenario reference -------------------------------------------------------------------

def test_every_generated_block_has_its_markers():
    assert sorted(IN_FILE) == sorted(RENDERED)


@pytest.mark.parametrize("name", sorted(RENDERED))
def test_generated_block_matches_the_code(name):
    assert IN_FILE.get(name) == RENDERED[name], \
        f"block {name!r} of {REFERENCE.name} is out of date: run `make docs`"


def test_main_check_reports_up_to_date(capsys):
    assert docs.main([str(REFERENCE), "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_main_check_reports_a_stale_block(tmp_path, capsys):
    stale = tmp_path / "ref.md"
    stale.write_text(REFERENCE.read_text(encoding="utf-8").replace("| `start` |", "| `begin` |"))
    assert docs.main([str(stale), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert docs.main([str(stale)]) == 0  # rewrites it
    assert stale.read_text(encoding="utf-8") == REFERENCE.read_text(encoding="utf-8")


def test_a_name_without_a_note_or_a_stale_note_is_an_error():
    with pytest.raises(docs.DocsError, match=r"no note for \['new_event'\].*\['gone'\]"):
        docs._check(["start", "new_event"], {"start": "", "gone": ""}, "model events")


def test_a_missing_or_unknown_marker_is_an_error():
    with pytest.raises(docs.DocsError, match="no marker"):
        docs.update("no markers here\n", {"columns": "| a |"})
    text = "<!-- BEGIN GENERATED: nope -->\nold\n<!-- END GENERATED: nope -->\n"
    with pytest.raises(docs.DocsError, match="markers with no block: \\['nope'\\]"):
        docs.update(text, {})
    with pytest.raises(docs.DocsError, match="no matching END"):
        docs.update("<!-- BEGIN GENERATED: columns -->\n", {"columns": "x"})


def test_every_schema_field_is_in_some_table():
    docs._check_coverage()  # raises if a model reachable from Scenario has an undocumented field
    shown = "\n".join(RENDERED[name] for name, _, _ in docs.SECTIONS)
    for name, model, _ in docs.SECTIONS:
        for field in docs._own_fields(model):
            assert f"| `{field}` |" in RENDERED[name], (name, field)
    assert "`survival_indicators` | mapping: name → quantity ≥ 0" in shown
    assert "`resolve` | quantity in [0, 1]" in shown
    assert "`turn_days` | quantity > 0" in shown


# --- the README's command table ---------------------------------------------------------------

runner = CliRunner()
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
COMMANDS = sorted(typer.main.get_command(app).commands)


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def _readme_rows() -> dict[str, str]:
    """Command name -> its row of the README's command table."""
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| `straitsim (\w+)[^`]*` \|", line)
        if m:
            rows[m[1]] = line
    return rows


def test_readme_table_lists_exactly_the_commands():
    top = _help()
    for name in COMMANDS:
        assert re.search(rf"\b{name}\b", top), name
    assert sorted(_readme_rows()) == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_table_lists_exactly_the_options(command):
    shown = set(OPTION.findall(_help(command))) - {"--help", "-h"}
    row = _readme_rows()[command]
    options_cell = row.rstrip(" |").rsplit(" | ", 1)[1]
    in_readme = set(OPTION.findall(options_cell))
    assert shown <= in_readme, f"README lacks {sorted(shown - in_readme)} for {command}"
    assert in_readme <= shown, f"README names {sorted(in_readme - shown)} that {command} lacks"
