"""Market simulator: demo companies whose data comes with the ground truth that produced it.

>>> from pilotage.simulate import COMPANIES, simulate
>>> market = simulate(COMPANIES["boutique-demo"], seed=7)  # doctest: +SKIP
>>> market.ground_truth["channels"]["Paid search"]["roi"]  # doctest: +SKIP
2.6
"""

from pilotage.simulate.companies import BOUTIQUE, COMPANIES, INDUSTRIE
from pilotage.simulate.market import SIMULATOR_VERSION, Market, simulate, value_per_unit

__all__ = [
    "BOUTIQUE",
    "COMPANIES",
    "INDUSTRIE",
    "SIMULATOR_VERSION",
    "Market",
    "simulate",
    "value_per_unit",
]
