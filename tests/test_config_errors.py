"""Bad scenario input gives one ``ScenarioError`` pointing at the file, line, column and field.

Each test writes a tiny file into ``tmp_path``; most are variants that ``extends:`` the bundled
blockade scenario by absolute path, so line 1 is the ``extends`` line and the body starts on 2.
"""

from __future__ import annotations

import re
import shutil
import textwrap
import time
from pathlib import Path

import pytest

from sim.config.loader import load
from sim.errors import ScenarioError

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
BLOCKADE = SCENARIOS / "blockade.yaml"
ONE_LINE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+):(?P<col>\d+))?:(?: (?P<path>\S+):)? "
                      r"(?P<problem>.+)$")

# The blockade rule 'operations_near_sakishima', opened so that the next line (line 6) is one of
# its fields, indented to column 9.
SAKISHIMA = """\
actors:
  prc:
    rules:
      operations_near_sakishima:
"""
RULE_PATH = "actors.prc.rules.operations_near_sakishima"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def variant(folder: Path, body: str, name: str = "variant.yaml") -> Path:
    """A scenario extending the bundled blockade; ``body`` starts on line 2."""
    return write(folder, name, f"extends: {BLOCKADE}\n" + textwrap.dedent(body))


def error_of(path: Path, overrides=()) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load(path, list(overrides))
    err = info.value
    text = str(err)
    assert "\n" not in text, text
    assert ONE_LINE.match(text), text
    return err


def assert_at(err: ScenarioError, file, line, col, path) -> None:
    """``err`` reads ``file:line:col: path: problem`` with exactly these parts."""
    assert (err.file, err.line, err.col, err.path) == (str(file), line, col, path), str(err)
    where = f"{file}:{line}:{col}" if line is not None else f"{file}"
    field = f" {path}:" if path else ""
    assert str(err) == f"{where}:{field} {err.problem}"


# --- YAML itself ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, col, plain, problem", [
    ("name: blockade\ntitle: a: b\n", 2, 9, "a ': ' inside a value (put the value in quotes",
     "mapping values are not allowed here"),
    ("name: blockade\nactors:\n  prc: {rules: [1, 2}\n", 3, 21,
     "a '[...]' list is not closed properly", "expected ',' or ']'"),
    ("name: x\n\tfoo: 1\n", 2, 1, "a tab: YAML indents with spaces only",
     "'\\t' that cannot start any token"),
    ("name: x\ntitle: - a\n", 2, 8, "a '- ' list item where a value on the same line was "
     "expected", "sequence entries are not allowed here"),
    ("name: x\nother: {<<: 1}\n", 2, 13, "a merge key (<<) must name a mapping",
     "expected a mapping or list of mappings for merging"),
    ("name: x\nactors:\n  prc:\n     rules: 1\n   us: 2\n", 5, 4,
     "bad indentation: a key at column 4 where column 3 or 6 was expected",
     "expected <block end>"),
])
def test_malformed_yaml_points_at_line_and_column(tmp_path, text, line, col, plain, problem):
    # plain words first, the library's message after them
    path = write(tmp_path, "bad.yaml", text)
    err = error_of(path)
    assert_at(err, path, line, col, None)
    assert err.problem.startswith(plain)
    assert err.problem.endswith(")") and problem in err.problem.split("(YAML: ", 1)[1]


def test_duplicate_key(tmp_path):
    path = variant(tmp_path, "name: a\nname: b\n")
    assert_at(error_of(path), path, 3, 1, "name")
    assert error_of(path).problem == "duplicate key 'name'"


def test_duplicate_nested_key(tmp_path):
    path = variant(tmp_path, """\
        actors:
          prc:
            rules:
              a: {when: start, action: invade}
              a: {when: start, action: invade}
        """)
    err = error_of(path)
    assert_at(err, path, 6, 7, "actors.prc.rules.a")
    assert err.problem == "duplicate key 'a'"


def test_yaml_merge_key_can_be_overridden(tmp_path):
    path = write(tmp_path, "merge.yaml", "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")
    from sim.config.yamlio import read_yaml
    data, _ = read_yaml(path)
    assert data["other"] == {"x": 1, "y": 3}


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system",
    "!!python/object/new:os.system",
    "!!python/object/apply:subprocess.check_call",
])
def test_python_tags_are_rejected_and_never_run(tmp_path, tag):
    marker = tmp_path / "pwned"
    arg = f'["touch {marker}"]' if "os.system" in tag else f'[["touch", "{marker}"]]'
    path = variant(tmp_path, f"name: {tag} {arg}\n")
    err = error_of(path)
    assert_at(err, path, 2, 7, "name")
    assert "is not allowed: scenario files are plain data" in err.problem
    assert not marker.exists()


@pytest.mark.parametrize("value", ["!!python/name:os.system ''", "!include other.yaml"])
def test_other_non_data_tags_are_rejected(tmp_path, value):
    path = variant(tmp_path, f"name: {value}\n")
    err = error_of(path)
    assert_at(err, path, 2, 7, "name")
    assert "YAML tag" in err.problem and "not allowed" in err.problem


def test_alias_bomb_is_rejected_quickly(tmp_path):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "lol.yaml", "\n".join(lines) + "\n")  # 9**9 strings if expanded
    t0 = time.perf_counter()
    err = error_of(path)
    assert time.perf_counter() - t0 < 5.0
    assert err.file == str(path) and err.line is not None
    assert "too large" in err.problem


# --- files and extends ------------------------------------------------------------------------

def test_missing_scenario_file(tmp_path):
    path = tmp_path / "nope.yaml"
    err = error_of(path)
    assert_at(err, path, None, None, None)
    assert err.problem == "file not found"


def test_missing_extends_file(tmp_path):
    path = write(tmp_path, "v.yaml", "extends: nothere.yaml\nname: v\n")
    err = error_of(path)
    assert_at(err, path, 1, 1, "extends")
    # the resolved path, and what it is relative to
    assert err.problem == (f"file not found: {tmp_path / 'nothere.yaml'} (extends is relative "
                           f"to the folder of v.yaml)")


def test_extends_must_be_a_file_name(tmp_path):
    path = write(tmp_path, "v.yaml", "name: v\nextends: [a.yaml]\n")
    err = error_of(path)
    assert_at(err, path, 2, 1, "extends")
    assert err.problem == "extends must be a file name"


def test_cyclic_extends(tmp_path):
    a = write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    b = write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\n")
    err = error_of(a)
    assert err.file == str(b) and err.path == "extends"
    assert err.problem == "cyclic extends: a.yaml -> b.yaml -> a.yaml"


def test_self_extends_is_a_cycle(tmp_path):
    a = write(tmp_path, "a.yaml", "name: a\nextends: a.yaml\n")
    err = error_of(a)
    assert err.file == str(a) and err.path == "extends"
    assert "cyclic extends: a.yaml -> a.yaml" in err.problem


def test_cyclic_extends_points_at_the_extends_line(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    b = write(tmp_path, "b.yaml", "name: b\nextends: a.yaml\n")
    assert_at(error_of(tmp_path / "a.yaml"), b, 2, 1, "extends")


def _copy_bundled_with(tmp_path: Path, after: str, old: str, new: str) -> tuple[Path, int, int]:
    """Copy the bundled scenarios and edit common/alliance.yaml on the line after ``after``;
    return the edited file, the 1-based line and the column of ``new``."""
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    alliance = tmp_path / "scenarios" / "common" / "alliance.yaml"
    lines = alliance.read_text().splitlines(keepends=True)
    n = next(i for i, s in enumerate(lines) if s.strip() == after) + 1
    assert lines[n].strip() == old
    lines[n] = lines[n].replace(old, new)
    alliance.write_text("".join(lines))
    return alliance.resolve(), n + 1, lines[n].index(new) + 1


def test_error_in_a_base_file_points_into_that_file(tmp_path):
    alliance, line, col = _copy_bundled_with(tmp_path, "dist: bernoulli", "p: 0.6", "p: 1.6")
    err = error_of(tmp_path / "scenarios" / "blockade.yaml")
    assert_at(err, alliance, line, col, "actors.us.congress_support.p")
    assert err.problem == "must be at most 1 (got 1.6)"


def test_misspelt_value_in_a_quantity_is_named(tmp_path):
    _copy_bundled_with(tmp_path, "war_powers_clock_days:", "value: 60", "valeu: 60")
    err = error_of(tmp_path / "scenarios" / "blockade.yaml")
    assert err.path.startswith("actors.us.war_powers_clock_days")
    assert "discriminator" not in err.problem
    assert "valeu" in err.problem or "'value'" in err.problem


def test_extends_merges_one_rule_and_keeps_the_rest(tmp_path):
    path = variant(tmp_path, SAKISHIMA + "        probability: 0.9\n")
    base = load(BLOCKADE)
    loaded = load(path)
    rules = loaded.scenario.actors.prc.rules
    assert list(rules) == list(base.scenario.actors.prc.rules)
    rid = "operations_near_sakishima"
    merged, original = rules[rid], base.scenario.actors.prc.rules[rid]
    assert merged.probability == 0.9 and original.probability == 0.5
    assert merged.model_copy(update={"probability": 0.5}) == original
    for rid in rules:
        if rid != "operations_near_sakishima":
            assert rules[rid] == base.scenario.actors.prc.rules[rid]
    assert loaded.scenario.actors.us == base.scenario.actors.us  # from common/alliance.yaml
    assert loaded.scenario.communication == base.scenario.communication
    assert [Path(f).name for f in loaded.files] == ["alliance.yaml", "blockade.yaml",
                                                    "variant.yaml"]
    assert loaded.hash != base.hash


def test_variant_error_in_a_merged_field_points_at_the_variant(tmp_path):
    # p90 below the base file's median: the merged distribution is wrong, the variant is blamed
    path = variant(tmp_path, SAKISHIMA + "        delay_hours: {p90: 50}\n")
    err = error_of(path)
    assert_at(err, path, 6, 9, f"{RULE_PATH}.delay_hours")
    assert err.problem == "p90 (50) must be above the median (72)"


def test_variant_can_switch_a_quantity_to_another_distribution(tmp_path):
    path = variant(tmp_path, SAKISHIMA + "        delay_hours: {dist: uniform, low: 1, high: 5}\n")
    delay = load(path).scenario.actors.prc.rules["operations_near_sakishima"].delay_hours
    assert (delay.dist, delay.low, delay.high) == ("uniform", 1.0, 5.0)


# --- schema -----------------------------------------------------------------------------------

def test_unknown_key_suggests_the_nearest(tmp_path):
    path = variant(tmp_path, SAKISHIMA + "        probabilty: 0.3\n")
    err = error_of(path)
    assert_at(err, path, 6, 9, f"{RULE_PATH}.probabilty")
    assert err.problem == "unknown key 'probabilty' (did you mean 'probability'?)"


def test_unknown_top_level_key_suggests_the_nearest(tmp_path):
    path = variant(tmp_path, "horizon_day: 3\n")
    err = error_of(path)
    assert_at(err, path, 2, 1, "horizon_day")
    assert err.problem == "unknown key 'horizon_day' (did you mean 'horizon_days'?)"


@pytest.mark.parametrize("body, line, col, path, problem", [
    (SAKISHIMA + "        enabled: maybe\n", 6, 9, f"{RULE_PATH}.enabled",
     "expected true or false (got 'maybe')"),
    ("name: [1, 2]\n", 2, 1, "name", "expected text (got a list)"),
    ("horizon_days: lots\n", 2, 1, "horizon_days", "(got 'lots')"),
    (SAKISHIMA + "        probability: true\n", 6, 9, f"{RULE_PATH}.probability",
     "probability must be a number or an expression, not true/false"),
])
def test_wrong_type(tmp_path, body, line, col, path, problem):
    file = variant(tmp_path, body)
    err = error_of(file)
    assert_at(err, file, line, col, path)
    assert problem in err.problem


@pytest.mark.parametrize("p", ["1.5", "-0.1"])
def test_rule_probability_outside_0_1(tmp_path, p):
    path = variant(tmp_path, SAKISHIMA + f"        probability: {p}\n")
    err = error_of(path)
    assert_at(err, path, 6, 9, f"{RULE_PATH}.probability")
    assert err.problem == f"a probability must lie in [0, 1] (got {float(p):g})"


def test_probability_quantity_outside_0_1(tmp_path):
    path = variant(tmp_path, "actors:\n  japan:\n    diet_approval_probability: 1.5\n")
    err = error_of(path)
    assert_at(err, path, 4, 5, "actors.japan.diet_approval_probability")
    assert "a probability must lie in [0, 1]" in err.problem


@pytest.mark.parametrize("p, problem", [
    ("1.2", "must be at most 1 (got 1.2)"),
    ("-0.1", "must be at least 0 (got -0.1)"),
])
def test_bernoulli_p_outside_0_1(tmp_path, p, problem):
    body = f"actors:\n  us:\n    congress_support: {{dist: bernoulli, p: {p}}}\n"
    path = variant(tmp_path, body)
    err = error_of(path)
    col = len("    congress_support: {dist: bernoulli, ") + 1  # the 'p' key
    assert_at(err, path, 4, col, "actors.us.congress_support.p")
    assert err.problem == problem


def test_rule_probability_as_bernoulli_with_p_outside_0_1(tmp_path):
    path = variant(tmp_path, SAKISHIMA + "        probability: {dist: bernoulli, p: 1.2}\n")
    err = error_of(path)
    assert err.file == str(path) and err.line == 6
    assert err.path in (f"{RULE_PATH}.probability", f"{RULE_PATH}.probability.p")
    assert "valid number" not in err.problem
    assert "must be at most 1" in err.problem or "[0, 1]" in err.problem


NEW_RULE = """\
actors:
  prc:
    rules:
      probe:
        when: start
        action: gray_zone_pressure
"""


def test_negative_fixed_delay(tmp_path):
    path = variant(tmp_path, SAKISHIMA + "        delay_hours: -5\n")
    err = error_of(path)
    assert_at(err, path, 6, 9, f"{RULE_PATH}.delay_hours")
    assert "delay_hours must not be negative (lowest possible -5)" in err.problem


def test_negative_uniform_delay(tmp_path):
    path = variant(tmp_path, NEW_RULE + "        delay_hours: {dist: uniform, low: -1, high: 5}\n")
    err = error_of(path)
    assert_at(err, path, 8, 9, "actors.prc.rules.probe.delay_hours")
    assert err.problem == "delay_hours must not be negative (lowest possible -1)"


def test_negative_channel_latency(tmp_path):
    body = "communication:\n  channels:\n    beijing-tokyo:\n      latency_hours: -2\n"
    path = variant(tmp_path, body)
    err = error_of(path)
    assert_at(err, path, 5, 7, "communication.channels.beijing-tokyo.latency_hours")
    assert "latency_hours must not be negative" in err.problem


def test_unknown_distribution_name(tmp_path):
    path = variant(tmp_path,
                   NEW_RULE + "        delay_hours: {dist: lognormall, median: 1, p90: 2}\n")
    err = error_of(path)
    assert_at(err, path, 8, 9, "actors.prc.rules.probe.delay_hours")
    assert err.problem.startswith("unknown distribution 'lognormall' (did you mean 'lognormal'?)")


# --- cross-references (compiled model) --------------------------------------------------------

def test_unknown_name_in_condition_points_at_when(tmp_path):
    path = variant(tmp_path, SAKISHIMA + "        when: quarantine_enforcd\n")
    err = error_of(path)
    assert_at(err, path, 6, 9, f"{RULE_PATH}.when")
    assert "unknown name 'quarantine_enforcd'" in err.problem
    assert "(did you mean 'quarantine_enforced'?)" in err.problem


def test_unknown_name_in_probability_expression(tmp_path):
    body = "actors:\n  us:\n    rules:\n      signal:\n        probability: 0.5 + 0.5 * resolv\n"
    path = variant(tmp_path, body)
    err = error_of(path)
    assert_at(err, path, 6, 9, "actors.us.rules.signal.probability")
    assert "unknown name 'resolv'" in err.problem and "did you mean 'resolve'?" in err.problem


def test_unknown_action_suggests_the_nearest(tmp_path):
    path = variant(tmp_path, SAKISHIMA + "        action: militry_blockade\n")
    err = error_of(path)
    assert_at(err, path, 6, 9, f"{RULE_PATH}.action")
    assert err.problem.startswith("unknown action 'militry_blockade' for prc "
                                  "(did you mean 'military_blockade'?); one of ")


def test_unknown_otherwise_action(tmp_path):
    body = "actors:\n  japan:\n    rules:\n      base_use:\n        otherwise: deny_bases\n"
    path = variant(tmp_path, body)
    err = error_of(path)
    assert_at(err, path, 6, 9, "actors.japan.rules.base_use.otherwise")
    assert "(did you mean 'deny_base_use'?)" in err.problem


# --- --set overrides --------------------------------------------------------------------------

def test_override_changes_the_value():
    loaded = load(BLOCKADE, [f"{RULE_PATH}.probability=0.3"])
    assert loaded.scenario.actors.prc.rules["operations_near_sakishima"].probability == 0.3
    assert loaded.data["actors"]["prc"]["rules"]["operations_near_sakishima"]["probability"] == 0.3
    assert loaded.hash != load(BLOCKADE).hash


def test_override_of_a_distribution_by_a_number_drops_the_old_citation():
    # the old source and assumption were about the old value; the new one says where it came from
    loaded = load(BLOCKADE, ["actors.us.resolve=0.8"])
    resolve = loaded.scenario.actors.us.resolve
    assert (resolve.dist, resolve.value, resolve.source, resolve.assumption) == (
        "fixed", 0.8, None, None)
    assert resolve.note == "set on the command line"


def test_override_applies_to_a_variant(tmp_path):
    path = variant(tmp_path, SAKISHIMA + "        probability: 0.9\n")
    loaded = load(path, [f"{RULE_PATH}.probability=0.2"])
    assert loaded.scenario.actors.prc.rules["operations_near_sakishima"].probability == 0.2


@pytest.mark.parametrize("override, path, problem", [
    (f"{RULE_PATH}.probability=2", f"{RULE_PATH}.probability",
     "a probability must lie in [0, 1] (got 2)"),
    (f"{RULE_PATH}.probabilty=0.2", f"{RULE_PATH}.probabilty",
     "unknown key 'probabilty' (did you mean 'probability'?)"),
    (f"{RULE_PATH}.delay_hours=-3", f"{RULE_PATH}.delay_hours",
     "delay_hours must not be negative (lowest possible -3)"),
    ("actors.us.congress_support.p=1.5", "actors.us.congress_support.p",
     "must be at most 1 (got 1.5)"),
    ("actors.japan.diet_approval_probability=1.5", "actors.japan.diet_approval_probability",
     "a probability must lie in [0, 1]"),
    ("name=123", "name", "expected text (got 123)"),
    # checked again after the override: cross-references in the compiled model
    (f"{RULE_PATH}.when=quarantine_enforcd", f"{RULE_PATH}.when",
     "(did you mean 'quarantine_enforced'?)"),
    (f"{RULE_PATH}.action=fly", f"{RULE_PATH}.action", "unknown action 'fly' for prc"),
])
def test_invalid_override_names_the_set_and_the_field(override, path, problem):
    err = error_of(BLOCKADE, [override])
    assert_at(err, f"--set {override}", None, None, path)
    assert problem in err.problem


def test_only_the_bad_override_is_blamed():
    good = "actors.us.resolve=0.8"
    bad = f"{RULE_PATH}.probability=7"
    err = error_of(BLOCKADE, [good, bad])
    assert err.file == f"--set {bad}"


@pytest.mark.parametrize("override, file, problem", [
    ("name", "--set", "--set expects path=value, got 'name'"),
    ("actors..x=1", "--set", "--set path 'actors..x' is empty or has an empty part"),
    ("name=[1,", "--set name=[1,", "(YAML: expected the node content"),
    ("name=!!python/object/apply:os.system ['true']",
     "--set name=!!python/object/apply:os.system ['true']", "is not allowed"),
    ("name.first=x", "--set", "name is not a mapping; cannot set name.first"),
])
def test_malformed_override(override, file, problem):
    err = error_of(BLOCKADE, [override])
    assert err.file == file
    assert problem in err.problem


def test_error_inside_a_mapping_created_by_override_points_at_the_set():
    override = "actors.prc.rules.newrule.when=start"
    err = error_of(BLOCKADE, [override])
    assert err.path == "actors.prc.rules.newrule.action"
    assert err.file == f"--set {override}"


# --- claim ids (issue 9, item 14) -------------------------------------------------------------

def _validate(*args):
    from typer.testing import CliRunner
    from sim.cli import app
    return CliRunner().invoke(app, ["validate", *[str(a) for a in args]])


CITED = SAKISHIMA + "        source: [aspi-three-scenarios, my-own-interview]\n"


def test_validate_warns_about_an_unknown_claim_id(tmp_path):
    path = variant(tmp_path, CITED)
    result = _validate(path)
    assert result.exit_code == 0
    assert result.stderr == (f"warning: {path}:6:9: {RULE_PATH}.source: unknown claim id "
                             f"'my-own-interview' (not in seeds/claims.yaml)\n")
    assert result.stdout.startswith("ok: blockade (blockade)")
    assert "1 warning(s)" in result.stdout


def test_validate_strict_fails_on_an_unknown_claim_id(tmp_path):
    result = _validate(variant(tmp_path, CITED), "--strict")
    assert result.exit_code == 1
    assert "unknown claim id 'my-own-interview'" in result.stderr


def test_validate_strict_passes_the_bundled_scenarios():
    for name in ("blockade", "full_invasion", "outer_islands", "gray_zone"):
        result = _validate(name, "--strict")
        assert result.exit_code == 0 and result.stderr == "", (name, result.stderr)


def test_a_users_claims_file_makes_its_ids_known(tmp_path):
    claims = write(tmp_path, "mine.yaml", "claims:\n  - id: my-own-interview\n    claim: x\n")
    result = _validate(variant(tmp_path, CITED), "--strict", "--claims", claims)
    assert result.exit_code == 0 and result.stderr == ""


def test_a_bad_claims_file_is_one_line(tmp_path):
    claims = write(tmp_path, "mine.yaml", "claims:\n  - claim: no id\n")
    result = _validate(variant(tmp_path, CITED), "--claims", claims)
    assert result.exit_code == 2
    assert result.stderr == f"error: {claims}:2:5: claims.0: each claim needs an 'id' (text)\n"


def test_unknown_claim_id_set_on_the_command_line_is_flagged():
    result = _validate(BLOCKADE, "--set", "actors.us.resolve.source=nope", "--strict")
    assert result.exit_code == 1
    assert result.stderr.startswith("warning: --set actors.us.resolve.source=nope: "
                                    "actors.us.resolve.source: unknown claim id 'nope'")


def test_report_flags_an_unknown_claim_id(tmp_path):
    from sim.report.assumptions import UNKNOWN_CLAIM, cited_values
    data = load(variant(tmp_path, CITED)).data
    rule = next(c for c in cited_values(data) if c.path == RULE_PATH)
    assert dict(rule.sources)["my-own-interview"] == UNKNOWN_CLAIM
    assert dict(rule.sources)["aspi-three-scenarios"] not in ("", UNKNOWN_CLAIM)


def test_a_bad_campaign_value_and_a_retired_judgement_field_point_at_their_lines(tmp_path):
    """The campaign block every scenario inherits is checked like any other section, and the
    weighted judgement's fields, retired, are unknown keys at their own line."""
    campaign = "adjudication:\n  invasion:\n    campaign:\n"
    path = variant(tmp_path, campaign + "      turn_days: 0\n")
    err = error_of(path)
    assert_at(err, path, 5, 7, "adjudication.invasion.campaign.turn_days")
    assert "must be positive" in err.problem
    path = variant(tmp_path, "adjudication:\n  invasion:\n    window_days: 14\n")
    err = error_of(path)
    assert_at(err, path, 4, 5, "adjudication.invasion.window_days")
    assert "unknown key 'window_days'" in err.problem
