"""The campaign's tempo and the allied losses (issue 12): U.S. bombers' JASSM-ER, the PLA's
finite anti-ship missiles, allied groups withdrawing, air superiority and U.S. submarines
cycling back. Stocks are never overdrawn; paired runs (same seed) move the right way."""

from __future__ import annotations

from _support import frame

BASE = "variants/invasion_2023_base"
CAMPAIGN = "adjudication.invasion.campaign."
RUNS, SEED = 200, 5


def _landed(df):
    return df[df["battalions_landed"].notna()]


def test_jassm_er_never_beyond_stock():
    """JASSM-ER fired never exceed the stock, whatever the stock; none without U.S. combat;
    Taiwan's missiles never beyond its 400."""
    for stock in (3650, 300):
        d = _landed(frame(BASE, CAMPAIGN + f"jassm_er_stock={stock}", runs=RUNS, seed=SEED))
        assert len(d) > 0.9 * RUNS
        assert d["jassm_er_fired"].between(0, stock).all()
        assert d["taiwan_asm_fired"].between(0, 400).all()
    assert d["jassm_er_fired"].max() == 300  # a small stock is used up
    alone = frame(BASE, "actors.us.rules.combat_against_invasion.probability=0",
                  "actors.us.rules.combat_when_attacked.probability=0", runs=100, seed=SEED)
    assert alone["jassm_er_fired"].max() == 0


def test_jassm_er_against_ships_sinks_more_of_the_fleet_sooner():
    """Paired: JASSM-ER with no anti-ship effect (CSIS's excursion, land targets only) sink
    nothing; with the base case's limited effect the fleet goes faster and fewer battalions
    cross, never more in any replication's sunk share."""
    land_only = _landed(frame(BASE, CAMPAIGN + "jassm_er_ship_effectiveness=0", runs=RUNS,
                              seed=SEED))
    base = _landed(frame(BASE, runs=RUNS, seed=SEED))
    assert base["amphibious_sunk_share"].mean() > land_only["amphibious_sunk_share"].mean()
    assert base["battalions_landed"].mean() < land_only["battalions_landed"].mean() - 1
    assert base["campaign_turns"].mean() < land_only["campaign_turns"].mean()
