"""The invasion campaign (invasion_campaign process): opt-in, conservation, paired monotone
properties, no fixed judgement day, and one turn worked by hand."""

from __future__ import annotations

import pytest

from _support import frame, scenario_path
from sim.config.loader import load
from sim.model.compiled import compile_scenario
from sim.model.processes.invasion_campaign import InvasionCampaign
from sim.model.processes.invasion_judgement import InvasionJudgement
from sim.model.replication import run_replication

BASE = "variants/invasion_2023_base"
CAMPAIGN = "adjudication.invasion.campaign."
RUNS, SEED = 300, 3
CAMPAIGN_COLUMNS = [n for n, _, _ in InvasionCampaign.columns]


def test_the_campaign_is_opt_in():
    """Without the section the weighted judgement decides, as before; with it, the campaign
    replaces it (and its outcomes replace the score)."""
    plain = compile_scenario(load(scenario_path("full_invasion")).scenario)
    assert InvasionJudgement in plain.processes and InvasionCampaign not in plain.processes
    assert not any(n.startswith("param/campaign.") for n in plain.slot_names)
    assert not set(CAMPAIGN_COLUMNS) & set(plain.column_names)
    with_campaign = compile_scenario(load(scenario_path(BASE)).scenario)
    assert InvasionCampaign in with_campaign.processes
    assert InvasionJudgement not in with_campaign.processes
    assert "invasion_score" not in with_campaign.column_names
    df = frame("full_invasion", runs=200, seed=SEED)
    assert set(df["outcome"]) <= {"repelled", "stalemate", "taiwan_fell", "capitulation",
                                  "ongoing"}


def test_conservation():
    """Ships sunk never exceed ships sailed, battalions ashore never exceed those landed, and
    the LRASM stock is never overdrawn, whatever the stock or the U.S. decides."""
    for overrides in ((), (CAMPAIGN + "lrasm_stock=2000",),
                      ("actors.us.rules.combat_against_invasion.probability=0",)):
        df = frame(BASE, *overrides, runs=RUNS, seed=SEED)
        d = df[df["battalions_landed"].notna()]  # a landing happened
        assert len(d) > 0.9 * RUNS
        assert (d["amphibious_sunk"] <= 96 + 1e-9).all() and (d["amphibious_sunk"] >= 0).all()
        assert d["amphibious_sunk_share"].between(0, 1).all()
        assert (d["escorts_sunk"] <= 60 + 1e-9).all() and (d["escorts_sunk"] >= 0).all()
        assert (d["battalions_ashore"] <= d["battalions_landed"] + 1e-9).all()
        assert (d["battalions_ashore"] >= 0).all()
        stock = 2000 if overrides and "2000" in overrides[0] else 450
        assert (d["lrasm_fired"] <= stock).all() and (d["lrasm_fired"] >= 0).all()
        assert (d["taiwan_battalions_lost"] <= 114 + 63 * 0.5 + 1e-9).all()


def test_more_lrasm_lands_fewer_battalions():
    """Paired runs (same seed): more LRASM sink more of the fleet, so fewer battalions cross
    and, against none at all, fewer are ashore at the end."""
    none, base, double = (frame(BASE, CAMPAIGN + f"lrasm_stock={n}", runs=RUNS, seed=SEED)
                          for n in (0, 450, 900))
    assert none["lrasm_fired"].max() == 0
    assert none["battalions_landed"].mean() > base["battalions_landed"].mean() \
        > double["battalions_landed"].mean()
    assert (base["battalions_landed"] <= none["battalions_landed"] + 1e-9).mean() > 0.95
    assert none["battalions_ashore"].mean() > base["battalions_ashore"].mean()
    assert none["amphibious_sunk_share"].mean() < base["amphibious_sunk_share"].mean() \
        < double["amphibious_sunk_share"].mean()
    assert (none["outcome"] == "repelled").mean() < (double["outcome"] == "repelled").mean()


def test_later_us_entry_puts_more_battalions_ashore():
    """Paired: U.S. combat two weeks after its decision instead of hours lets more battalions
    land and more stay ashore; without the U.S. the PLA is never repelled."""
    prompt = frame(BASE, runs=RUNS, seed=SEED)
    late = frame(BASE, "actors.us.rules.combat_against_invasion.delay_hours=336", runs=RUNS,
                 seed=SEED)
    assert late["battalions_landed"].mean() > prompt["battalions_landed"].mean() + 3
    assert late["battalions_ashore"].mean() > prompt["battalions_ashore"].mean()
    alone = frame(BASE, "actors.us.rules.combat_against_invasion.probability=0",
                  "actors.us.rules.combat_when_attacked.probability=0", runs=RUNS, seed=SEED)
    assert alone["lrasm_fired"].max() == 0
    assert (alone["outcome"] == "repelled").mean() == 0.0
    assert alone["battalions_landed"].mean() > late["battalions_landed"].mean()


def test_no_fixed_judgement_day():
    """The campaign ends on different turns in different replications."""
    df = frame(BASE, runs=RUNS, seed=SEED)
    turns = df["campaign_decided_turn"].dropna()
    assert len(turns) > RUNS / 2
    assert turns.nunique() >= 4
    assert df["campaign_turns"].nunique() >= 4


def test_one_turn_by_hand(tmp_path):
    """One turn with no missiles and no submarines: 8 battalions cross by sea on D-day (8,000
    troops, csis-invasion-timeline) and 1 by air and small craft (lift.AIR_AND_SMALL_CRAFT_LIFT),
    9 in all, against 9 engaged Taiwanese (frontage 1); each side loses 0.1 x 9 = 0.9
    (ground.KILL_RATE), leaving 8.1 ashore; no port, fleet intact: stalemate."""
    loaded = load(scenario_path(BASE), [
        CAMPAIGN + "max_turns=1", CAMPAIGN + "lrasm_stock=0", CAMPAIGN + "taiwan_asm_stock=0",
        CAMPAIGN + "us_ssns=0", CAMPAIGN + "japan_ssn_equivalents=0"])
    c = compile_scenario(loaded.scenario)
    row, _ = run_replication(c, 1, 0)
    r = dict(zip(row.columns, row))
    assert r["battalions_landed"] == pytest.approx(9.0)
    assert r["battalions_ashore"] == pytest.approx(8.1)
    assert r["taiwan_battalions_lost"] == pytest.approx(0.9)
    assert r["amphibious_sunk"] == 0.0 and r["lrasm_fired"] == 0.0
    assert r["campaign_turns"] == 1.0 and r["campaign_decided_turn"] is None
    assert r["outcome"] == "stalemate"


ALONE = ("actors.us.rules.combat_against_invasion.probability=0",
         "actors.us.rules.combat_when_attacked.probability=0")


def test_taiwan_alone_is_decided_on_different_turns():
    """Without the U.S., over a long campaign, the war still ends by the rule on turns that
    vary between replications (Japan's anti-submarine force and Taiwan's missiles, drawn), and
    Taiwan can fall."""
    df = frame(BASE, *ALONE, CAMPAIGN + "max_turns=40", runs=200, seed=SEED)
    assert df["lrasm_fired"].max() == 0
    turns = df["campaign_decided_turn"].dropna()
    assert len(turns) > 100 and turns.nunique() >= 3
    assert (df["outcome"] == "taiwan_fell").any()


def test_taiwan_falls_when_the_lodgment_outgrows_its_defenders():
    """With half the frontage, PLA battalions ashore outgrow the engaged defenders, take ports
    and reach Taiwan's remaining strength: the rule decides taiwan_fell, not the horizon."""
    df = frame(BASE, *ALONE, CAMPAIGN + "max_turns=40", CAMPAIGN + "frontage_ratio=0.5",
               runs=100, seed=SEED)
    fell = df[df["outcome"] == "taiwan_fell"]
    assert len(fell) > 90
    assert fell["campaign_decided_turn"].notna().all()
    assert (fell["battalions_ashore"] >= 1.0).all()
