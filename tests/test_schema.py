"""The JSON Schema of the scenario format: committed file equals what `straitsim schema` writes,
it is a valid draft-07 schema with no later keywords, every bundled file validates against it
(and points at it from its first line), and bad files are rejected as the loader rejects them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator
from typer.testing import CliRunner

from _support import ROOT
from sim.cli import app
from sim.config.jsonschema import later_keywords, scenario_schema, schema_text
from sim.config.loader import load

SCHEMA_FILE = ROOT / "schema" / "scenario.schema.json"
FILES = sorted((ROOT / "scenarios").rglob("*.yaml"))
runner = CliRunner()


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def _errors(validator, data) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(data)]


def test_committed_schema_is_what_the_command_writes(tmp_path):
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), \
        "schema/scenario.schema.json is stale: run " \
        "`straitsim schema -o schema/scenario.schema.json`"
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == schema_text()
    printed = runner.invoke(app, ["schema"])
    assert json.loads(printed.output) == scenario_schema()


def test_schema_is_valid_draft07_without_later_keywords():
    s = scenario_schema()
    Draft7Validator.check_schema(s)
    assert s["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert later_keywords(s) == []
    text = json.dumps(s)
    assert "#/$defs/" not in text and '"$defs"' not in text
    # every $ref resolves to a definition
    refs = {r.split("/")[-1] for r in _refs(s)}
    assert refs <= set(s["definitions"]), refs - set(s["definitions"])


def _refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def test_later_keywords_are_found():
    assert later_keywords({"$defs": {}, "properties": {"prefixItems": {}}}) == ["#/$defs"]
    assert later_keywords({"a": [{"unevaluatedProperties": False}]}) == \
        ["#/a/0/unevaluatedProperties"]


def test_a_ref_never_has_siblings():
    def walk(node):
        if isinstance(node, dict):
            assert "$ref" not in node or len(node) == 1, node
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(scenario_schema())


def test_every_property_and_definition_has_a_description():
    for name, d in scenario_schema()["definitions"].items():
        assert d.get("description"), name
        for prop, v in d.get("properties", {}).items():
            assert v.get("description"), f"{name}.{prop}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_file_validates_and_points_at_the_schema(path, validator):
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target == SCHEMA_FILE.resolve()
    assert os.path.relpath(target, path.parent) == first.split("$schema=", 1)[1].strip()
    assert _errors(validator, yaml.safe_load(text)) == []


@pytest.mark.parametrize("name", ["blockade", "full_invasion", "outer_islands", "gray_zone"])
def test_resolved_scenario_validates_as_a_complete_file(name, validator):
    data = load(ROOT / "scenarios" / f"{name}.yaml").data
    assert "extends" not in data
    assert _errors(validator, data) == []
    # and it is checked strictly: drop a required field and the schema says so
    broken = {k: v for k, v in data.items() if k != "horizon_days"}
    assert any("'horizon_days' is a required property" in e
               for e in _errors(validator, broken))


def _blockade_with(**changes) -> dict:
    data = yaml.safe_load((ROOT / "scenarios" / "blockade.yaml").read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("__")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return data


@pytest.mark.parametrize("changes, expected", [
    ({"actors__prc__rules__militarize__probabilty": 0.3},
     "Additional properties are not allowed ('probabilty' was unexpected)"),
    ({"actors__prc__rules__militarize__probability": 1.5}, "1.5"),
    ({"actors__us__resolve": 1.5}, "1.5"),
    ({"actors__us__resolve": True}, "True"),
    ({"actors__us__resolve": {"dist": "unifrom", "low": 0, "high": 1}}, "unifrom"),
    ({"actors__us__war_powers_clock_days": -1}, "-1"),
    ({"family": "civil_war"}, "civil_war"),
    ({"target": "okinawa"}, "okinawa"),
    ({"communication__direct_trilateral_channel": "yes"}, "'yes' is not of type 'boolean'"),
])
def test_bad_files_are_rejected(changes, expected, validator):
    errors = _errors(validator, _blockade_with(**changes))
    assert errors, changes
    assert any(expected in e for e in errors), errors


def test_partial_quantity_in_a_variant_is_accepted_but_not_in_a_complete_file(validator):
    # a variant may change only the median of a lognormal (the keys merge with the base's)
    variant = {"extends": "blockade.yaml",
               "actors": {"japan": {"armed_attack_recognition_hours": {"median": 48}}}}
    assert _errors(validator, variant) == []
    data = load(ROOT / "scenarios" / "blockade.yaml").data
    data["actors"]["japan"]["armed_attack_recognition_hours"] = {"median": 48}
    assert _errors(validator, data) != []


def test_a_file_with_a_name_but_no_extends_must_be_complete(validator):
    errors = _errors(validator, {"name": "x", "title": "y"})
    assert any("'family' is a required property" in e for e in errors)
    assert _errors(validator, {"horizon_days": 30}) == []  # a base file of shared defaults


def test_schema_out_to_a_missing_folder_is_one_line_and_exit_2(tmp_path):
    result = runner.invoke(app, ["schema", "--out", str(tmp_path / "no" / "s.json")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {tmp_path / 'no' / 's.json'}: folder {tmp_path / 'no'} does not exist"]
    assert not (tmp_path / "no").exists()


def test_header_path_is_relative_for_every_folder():
    for path in FILES:
        header = path.read_text(encoding="utf-8").splitlines()[0]
        rel = header.split("$schema=", 1)[1]
        assert not Path(rel).is_absolute()


def test_reference_carries_every_description_of_the_schema():
    """The scenario reference is generated from the schema: every field description an editor
    shows is also in docs/scenario-reference.md, and the outline lists every top-level key."""
    reference = (ROOT / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    defs = scenario_schema()["definitions"]
    for name, d in defs.items():
        if name.endswith("Partial") or name.endswith("Quantity"):
            continue
        for prop, node in d.get("properties", {}).items():
            if prop == "dist":
                continue
            assert node["description"] in reference, f"{name}.{prop}"
    for key in defs["Scenario"]["properties"]:
        assert f"| `{key}` |" in reference
