"""Hand-worked examples of combat/air.py (air superiority) and submarines.arrivals, as in
docs/campaign-arithmetic.md section 8."""

from __future__ import annotations

import pytest

from sim.errors import ModelError
from sim.model.combat import air, submarines


def test_allied_share_counts_aircraft_for_aircraft():
    assert air.allied_share(300, 900) == pytest.approx(0.25)  # 300 / 1,200
    assert air.allied_share(500, 500) == 0.5
    assert air.allied_share(0, 0) == air.PARITY  # nobody flies: contested
    assert air.allied_share(0, 10) == 0.0 and air.allied_share(10, 0) == 1.0
    with pytest.raises(ModelError, match=r"pla \(-1\)"):
        air.allied_share(1, -1)


def test_parity_factor_is_full_at_parity_and_proportional_below():
    assert air.parity_factor(0.25) == pytest.approx(0.5)
    assert air.parity_factor(0.5) == 1.0
    assert air.parity_factor(0.75) == 1.0
    assert air.parity_factor(0.0) == 0.0
    with pytest.raises(ModelError, match="share"):
        air.parity_factor(1.5)


def test_standoff_launch_share_has_a_floor():
    assert air.standoff_launch_share(0.25, 0.5) == pytest.approx(0.75)  # 0.5 + 0.5 x 0.5
    assert air.standoff_launch_share(0.0, 0.5) == 0.5
    assert air.standoff_launch_share(0.6, 0.5) == 1.0
    assert air.standoff_launch_share(0.25, 0.0) == pytest.approx(0.5)
    assert air.standoff_launch_share(0.1, 1.0) == 1.0


def test_contested_loss_rate_worked_examples():
    # allies at 0.5% against a PLA holding 0.75: 0.005 x (0.5 + 0.5 x 1.5) = 0.00625
    assert air.contested_loss_rate(0.005, 0.75) == pytest.approx(0.00625)
    # the PLA at 1% against allies holding 0.25: 0.01 x (0.5 + 0.5 x 0.5) = 0.0075
    assert air.contested_loss_rate(0.01, 0.25) == pytest.approx(0.0075)
    assert air.contested_loss_rate(0.01, 0.5) == pytest.approx(0.01)  # parity: the YAML rate
    assert air.contested_loss_rate(0.01, 0.0) == pytest.approx(0.005)  # air defences only
    assert air.contested_loss_rate(0.01, 1.0, ground_share=0.0) == pytest.approx(0.02)
    assert air.contested_loss_rate(0.8, 1.0) == 1.0  # at most 1


def test_losses_rise_with_the_opponents_share():
    rates = [air.contested_loss_rate(0.01, s / 10) for s in range(11)]
    assert rates == sorted(rates) and rates[0] < rates[-1]


def test_submarine_arrivals_accumulate_whole_boats():
    assert submarines.arrivals(0.0, 1.0) == (1, 0.0)
    due, seen = 0.0, []
    for _ in range(3):  # 0.4, 0.8, then 1.2 -> one boat, 0.2 still due
        n, due = submarines.arrivals(due, 0.4)
        seen.append(n)
    assert seen == [0, 0, 1] and due == pytest.approx(0.2)
    assert submarines.arrivals(0.5, 2.0) == (2, 0.5)
    with pytest.raises(ModelError, match="rate"):
        submarines.arrivals(0.0, -1.0)
