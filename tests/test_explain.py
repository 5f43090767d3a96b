"""`straitsim explain`: every parameter of the resolved scenario with its value, unit, meaning,
citation and the file and line (or --set) that set it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from _support import ROOT
from sim.cli import app
from sim.config.explain import explain
from sim.config.loader import load

runner = CliRunner()
BLOCKADE = ROOT / "scenarios" / "blockade.yaml"
VARIANT = ROOT / "scenarios" / "variants" / "invasion_japan_denies_bases.yaml"


def _rows(path, *sets):
    _, rows = explain(path, list(sets))
    return {r.path: r for r in rows}


def test_a_distribution_with_its_unit_meaning_claim_and_place():
    rows = _rows(BLOCKADE)
    r = rows["actors.us.resolve"]
    assert r.value == "uniform(low=0, high=1)"
    assert r.unit == "0-1 scale"
    assert r.meaning.startswith("Presidential resolve")
    assert r.source == ["us-strategic-ambiguity"]
    assert "defend taiwan" in r.claims["us-strategic-ambiguity"].lower()
    assert "flat prior" in r.assumption
    assert r.set_at.startswith("scenarios/common/alliance.yaml:")
    assert not r.overridden
    assert rows["actors.japan.diet_prior_approval_hours"].unit == "hours"
    assert rows["adjudication.invasion.campaign.turn_days"].unit == "days"


def test_a_rule_citation_covers_its_plain_probability():
    r = _rows(BLOCKADE)["actors.prc.rules.strike_bases_in_use.probability"]
    assert r.value == "0.5" and r.unit == "probability"
    # the threat (ASPI) and the study's top escalation level (CSIS), issue 15's citation review
    assert r.source == ["aspi-prc-threat-over-bases", "csis-blockade-escalation-levels"]
    assert r.cited_by == "actors.prc.rules.strike_bases_in_use"
    line = int(r.set_at.rsplit(":", 1)[1])
    text = BLOCKADE.read_text(encoding="utf-8").splitlines()[line - 1]
    assert text.strip().startswith("probability: 0.5")


def test_every_number_of_the_resolved_scenario_is_listed():
    loaded, rows = explain(BLOCKADE)
    paths = {r.path for r in rows}

    def leaves(node, path=()):
        if isinstance(node, dict) and ("dist" in node or "value" in node):
            yield ".".join(path)
        elif isinstance(node, dict):
            for k, v in node.items():
                yield from leaves(v, path + (k,))
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            yield ".".join(path)

    expected = set(leaves(loaded.data))
    assert expected and expected <= paths, sorted(expected - paths)


def test_variant_values_point_at_the_variant_and_overrides_are_marked():
    rows = _rows(VARIANT, "actors.us.resolve=0.9")
    r = rows["actors.japan.rules.base_use.probability"]
    assert r.value == "0"
    assert r.set_at.startswith("scenarios/variants/invasion_japan_denies_bases.yaml:")
    assert r.source == ["csis-japan-base-case", "jp-consultation-readings"]
    res = rows["actors.us.resolve"]
    assert res.value == "0.9" and res.overridden
    assert res.set_at == "--set actors.us.resolve=0.9"
    assert res.source == [] and res.note == "set on the command line"
    assert not rows["actors.us.congress_support"].overridden


def test_cli_text_and_json(tmp_path):
    text = runner.invoke(app, ["explain", "blockade", "--only", "actors.us.resolve",
                               "--set", "actors.us.resolve=0.8"])
    assert text.exit_code == 0, text.output
    assert "actors.us.resolve = 0.8 [0-1 scale]   (--set actors.us.resolve=0.8)  << --set" \
        in text.output
    assert "actors.us.congress" not in text.output
    out = runner.invoke(app, ["explain", "blockade", "--format", "json"])
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert data["scenario"] == "blockade"
    assert data["scenario_hash"] == load(BLOCKADE).hash
    by_path = {p["path"]: p for p in data["parameters"]}
    assert by_path["horizon_days"]["value"] == "180"


@pytest.mark.parametrize("args, message", [
    (["explain", "blockade", "--set", "actors.us.resolve=1.5"],
     "error: --set actors.us.resolve=1.5: actors.us.resolve: resolve must lie in [0, 1] "
     "(got 1.5)"),
    (["explain", "blockade", "--format", "xml"],
     "error: --format: expected text or json (got 'xml')"),
    (["explain", "blockade", "--only", "nowhere"],
     "error: --only nowhere: no parameter path starts with it"),
])
def test_cli_errors_are_one_line_and_exit_2(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.output.strip() == message


def test_bad_file_is_located(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {BLOCKADE}\nactors:\n  us:\n    resolv: 0.5\n")
    result = runner.invoke(app, ["explain", str(bad)])
    assert result.exit_code == 2
    assert result.output.strip() == (f"error: {bad}:4:5: actors.us.resolv: unknown key "
                                     "'resolv' (did you mean 'resolve'?)")


@pytest.mark.parametrize("name", ["full_invasion", "outer_islands", "blockade", "gray_zone"])
def test_every_bundled_scenario_explains(name):
    """Every bundled scenario lists cleanly (the report and the single-outcome note use the same
    walker): a distribution that carries a citation with ``supports:`` once broke it."""
    result = runner.invoke(app, ["explain", name])
    assert result.exit_code == 0, result.output
    assert "actors." in result.stdout


def test_a_distribution_is_described_by_its_numbers_not_its_citation():
    from sim.config.dists import describe
    from sim.config.schema import Lognormal
    d = Lognormal.model_validate({"dist": "lognormal", "median": 12, "p90": 48,
                                  "source": "us-china-hotline", "supports": "mechanism"})
    assert describe(d) == "lognormal(median=12, p90=48)"
