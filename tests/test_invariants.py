"""Invariants that hold in every replication, whatever the assumptions: checked on the bundled
scenarios and, with hypothesis, on randomly perturbed ones."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _support import BUNDLED, frame
from sim.model.vocab import JAPAN_LEVELS, OUTCOMES, TAIWAN_LOST

HORIZON_DAYS = {"gray_zone": 365}  # the others: 180


def check_invariants(df: pd.DataFrame, horizon_days: float = 180) -> None:
    assert df.outcome.isin(OUTCOMES).all()
    assert (df.end_day <= horizon_days + 1e-9).all()
    assert (df.taiwan_held == ~df.outcome.isin(TAIWAN_LOST)).all()
    assert (df.taiwan_capitulated == (df.outcome == "capitulation")).all()
    assert (df.us_intervened == df.us_intervention_day.notna()).all()
    engaged = df[df.us_intervened]
    assert (engaged.us_intervention_day >= engaged.us_combat_decision_day - 1e-9).all()
    assert (engaged.us_posture == "combat").all()
    assert (~df.bases_used | (df.us_intervened & (df.japan_base_use == "granted"))).all()
    # Japan's recorded level is the highest step with a day, and no higher step has one
    day_cols = {lvl: f"japan_{lvl}_day" for lvl in JAPAN_LEVELS[1:]}
    for _, row in df.iterrows():
        reached = [lvl for lvl, col in day_cols.items() if not pd.isna(row[col])]
        top = reached[-1] if reached else "none"
        assert row.japan_level == top
    assert ((df.japan_level == "armed_attack") == df.japan_struck).all()
    # stocks never go below zero or above their start plus the storage arrivals may refill
    # (storage_extra_days, 14 in the bundled files)
    for col, start in (("lng_days_left", 11), ("coal_days_left", 39), ("oil_days_left", 146)):
        assert df[col].between(0, start + 14 + 1e-9).all()
    contact = df.dropna(subset=["tokyo_taipei_first_contact_hours"])
    assert (contact.tokyo_taipei_first_contact_hours
            >= contact.tokyo_taipei_message_hours - 1e-9).all()
    times = df.filter(regex=r"_day$").stack().dropna()
    assert (times >= 0).all() and all(math.isfinite(v) for v in times)


@pytest.mark.parametrize("name", BUNDLED)
def test_invariants_on_bundled_scenarios(name):
    check_invariants(frame(name), HORIZON_DAYS.get(name, 180))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(BUNDLED),
       resolve=st.floats(0, 1),
       threshold=st.floats(0, 5),
       transit_loss=st.floats(0, 1),
       direct=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_invariants_under_random_assumptions(name, resolve, threshold, transit_loss, direct,
                                             seed):
    df = frame(name, f"actors.us.resolve={resolve}",
               f"actors.japan.survival_threshold={threshold}",
               f"adjudication.blockade.shipping.transit_loss={transit_loss}",
               f"communication.direct_trilateral_channel={str(direct).lower()}",
               runs=25, seed=seed)
    check_invariants(df, HORIZON_DAYS.get(name, 180))
