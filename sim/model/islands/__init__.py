"""The arithmetic of an outer island's garrison under a quarantine or an assault (issue 14).

Pure functions with hand-worked examples (docs/islands-arithmetic.md); the island_garrison
process plays them turn by turn.
"""

# The garrison's stocks, each counted in days of its use at the siege ration.
STOCKS = ("water", "food", "fuel", "ammunition")
# Stocks whose end makes the garrison give up (no water or no food): fuel and ammunition only
# weaken its fire.
VITAL = ("water", "food")
