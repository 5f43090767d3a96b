"""Summaries that stay fast and small for a million replications: above ``BOOTSTRAP_MAX_N``
values a quantile's interval comes from order statistics instead of a bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim.results.stats as stats


def test_order_statistic_interval_agrees_with_the_bootstrap(monkeypatch):
    x = np.random.default_rng(4).exponential(10.0, 30_000)
    fast = stats.order_statistic_quantiles(x)
    monkeypatch.setattr(stats, "BOOTSTRAP_MAX_N", 10**9)
    slow = stats.bootstrap_quantiles(x, resamples=400, seed=1)
    for f, s in zip(fast, slow):
        assert f["estimate"] == s["estimate"]
        width = s["ci95"][1] - s["ci95"][0]
        assert abs(f["ci95"][0] - s["ci95"][0]) < 0.25 * width
        assert abs(f["ci95"][1] - s["ci95"][1]) < 0.25 * width


def test_order_statistic_interval_covers_the_true_quantile_about_95_percent():
    rng = np.random.default_rng(9)
    true_median = 10.0 * math.log(2)
    hits = 0
    for _ in range(300):
        lo, hi = stats.order_statistic_quantiles(rng.exponential(10.0, 2_000), [0.5])[0]["ci95"]
        hits += lo <= true_median <= hi
    assert 0.91 <= hits / 300 <= 0.99


def test_large_samples_take_the_order_statistic_path(monkeypatch):
    monkeypatch.setattr(stats, "BOOTSTRAP_MAX_N", 1_000)
    x = np.arange(5_000, dtype=float)
    got = stats.bootstrap_quantiles(x, [0.5])[0]
    assert got == stats.order_statistic_quantiles(x, [0.5])[0]
    assert got["ci95"][0] < 2499.5 < got["ci95"][1]


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_erfinv_inverts_erf(level):
    assert math.erf(stats._erfinv(level)) == pytest.approx(level, abs=1e-12)
