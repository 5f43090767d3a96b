"""Taiwan's output under a blockade: a week's GDP lost to the power shortfall and to trade
cut off (issue 13).

Lights Out's bands tie output to electricity (csis-lo-electricity-bands): at 80% of normal
most manufacturing goes on, at 60% it runs near 60%, at 20% all of it stops and only
emergency services keep power. Its trade module ties output to imports
(csis-lo-cross-strait-trade): losing cross-strait trade, 37% of non-energy imports, cuts
manufacturing about a fifth. So a week loses

    max(power_elasticity x (1 - electricity share), trade_elasticity x (1 - trade share))

of a normal week's GDP: the binding of the two limits (a factory short of power or of inputs
stops either way; counting both would count one idle factory twice). ``trade share`` is the
container ships arrived over normal (general cargo: inputs, food, consumer goods). The two
elasticities are labelled assumptions in the scenario files; the published estimate quoted by
Lights Out -- Taiwan losing about 12% of a year's GDP to a blockade, about 40% to a war
(csis-lo-taiwan-gdp-loss) -- is the check docs/blockade-arithmetic.md works, not an input.

The cumulative loss is reported as a share of a year's GDP: the sum of the weekly losses / 52.
Plain floats; no randomness.
"""

from __future__ import annotations

WEEKS_A_YEAR = 52.0


def week_gdp_loss(electricity: float, trade: float, power_elasticity: float,
                  trade_elasticity: float) -> float:
    """Share of a normal week's GDP lost, 0-1. Electricity 0.5 and trade 0.4 of normal with
    elasticities 0.7 and 0.4: max(0.7 x 0.5, 0.4 x 0.6) = max(0.35, 0.24) = 0.35 (power
    binds); electricity 0.96 and trade 0.5: max(0.028, 0.2) = 0.2 (trade binds)."""
    p = power_elasticity * (1.0 - electricity) if electricity < 1.0 else 0.0
    t = trade_elasticity * (1.0 - trade) if trade < 1.0 else 0.0
    loss = p if p > t else t
    return loss if loss < 1.0 else 1.0


def annual_share(weekly_losses: float) -> float:
    """Summed weekly losses as a share of a year's GDP: 26 weeks losing 0.35 each is
    26 x 0.35 / 52 = 0.175 of a year's GDP."""
    return weekly_losses / WEEKS_A_YEAR
