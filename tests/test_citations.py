"""Every default in the bundled scenarios cites a claim or says why it is an assumption, and
every claim id cited anywhere (scenarios or model code) exists in seeds/."""

from __future__ import annotations

import re

import pytest
import yaml

from _support import ROOT, SCENARIOS

CLAIMS = yaml.safe_load((ROOT / "seeds" / "claims.yaml").read_text())["claims"]
SOURCES = yaml.safe_load((ROOT / "seeds" / "sources.yaml").read_text())["sources"]
CLAIM_IDS = {c["id"] for c in CLAIMS}
SOURCE_IDS = {s["id"] for s in SOURCES}
SCENARIO_FILES = sorted(SCENARIOS.rglob("*.yaml"))


@pytest.mark.parametrize("name", ["claims.yaml", "sources.yaml"])
def test_register_has_no_duplicate_keys(name):
    # yaml.safe_load keeps the last of two equal keys silently (a merge can leave a claim with
    # two `claim:` texts); the scenario parser rejects them, with file and line
    from sim.config.yamlio import read_yaml
    read_yaml(ROOT / "seeds" / name)


def test_claim_and_source_ids_are_unique_and_linked():
    assert len(CLAIM_IDS) == len(CLAIMS)
    assert len(SOURCE_IDS) == len(SOURCES)
    for c in CLAIMS:
        assert c["source"] in SOURCE_IDS, c["id"]
        assert c["claim"].strip() and c["location"], c["id"]


def _cited_ids(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("source", "family_source", "direct_channel_source"):
                yield from ([v] if isinstance(v, str) else v)
            else:
                yield from _cited_ids(v)
    elif isinstance(node, list):
        for v in node:
            yield from _cited_ids(v)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_every_cited_claim_exists(path):
    data = yaml.safe_load(path.read_text())
    missing = sorted(set(_cited_ids(data)) - CLAIM_IDS)
    assert not missing, f"{path.name} cites unknown claims: {missing}"


def _uncited(node, path=(), cited_above=False):
    """Paths of numbers that neither they nor an enclosing rule/channel/quantity cite."""
    if isinstance(node, dict):
        cited = bool(node.get("source") or node.get("assumption"))
        if "dist" in node or "value" in node:
            # a quantity cites itself, or leans on its rule's or channel's citation
            if not (cited or cited_above):
                yield path
            return
        is_rule = "when" in node or (len(path) >= 2 and path[-2] == "rules")
        inherit = cited if (is_rule or "latency_hours" in node) else False
        if path and path[-1] == "repeat":  # a rule's repeat leans on the rule's citation
            inherit = cited_above
        for k, v in node.items():
            if k in ("source", "assumption", "note", "unit", "description", "supports"):
                continue
            if not path and k == "format":  # the file format's version, not a model value
                continue
            # A rule's citation covers its plain numbers (a probability); its delay, being a
            # separate assumption, must cite on its own. A channel's citation covers its latency.
            # A rule's citation also covers how it repeats (its limit and cadence).
            covered = inherit and (not isinstance(v, dict) or k in ("latency_hours", "repeat"))
            yield from _uncited(v, path + (k,), cited_above=covered)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        if not cited_above:
            yield path


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_every_default_is_cited_or_an_assumption(path):
    data = yaml.safe_load(path.read_text())
    bad = [".".join(map(str, p)) for p in _uncited(data)]
    assert not bad, f"{path.name}: values without source or assumption: {bad}"


_ID = re.compile(r"\b(?:aspi|jp|csis|tw|tra|wpr|geo|cnas|spf|ncafp|essay|jfir)"
                 r"-[a-z0-9]+(?:-[a-z0-9]+)*"
                 r"|\bus-(?:troops-japan|strategic-ambiguity|china-hotline)\b")


def test_claim_ids_cited_in_model_code_exist():
    found = set()
    for py in (ROOT / "sim").rglob("*.py"):
        found |= set(_ID.findall(py.read_text()))
    assert found, "the model code should cite its sources"
    assert not sorted(found - CLAIM_IDS)


def _format_2_rules(node, path=()):
    """Rules that use what format 2 added (repeat, hazard_per_day): new citations."""
    if isinstance(node, dict):
        if "when" in node and ("repeat" in node or "hazard_per_day" in node):
            yield path, node
        for k, v in node.items():
            yield from _format_2_rules(v, path + (k,))


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_new_citations_say_what_they_support(path):
    """From format 2 on a citation says whether its claim supports the mechanism, the value or
    the direction; rules that decide again or run at a hazard are new, so theirs must."""
    data = yaml.safe_load(path.read_text())
    for where, rule in _format_2_rules(data):
        if rule.get("source"):
            assert rule.get("supports") in ("mechanism", "value", "direction"), \
                f"{path.name}: {'.'.join(where)} cites {rule['source']} without 'supports'"


def test_supports_needs_a_source_and_a_known_kind():
    from pydantic import ValidationError

    from sim.config.schema import Fixed
    assert Fixed(value=1, source="tra-definition", supports="value").supports == "value"
    with pytest.raises(ValidationError, match="add the claim id as 'source'"):
        Fixed(value=1, supports="value")
    with pytest.raises(ValidationError):
        Fixed(value=1, source="tra-definition", supports="vibe")
