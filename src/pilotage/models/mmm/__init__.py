"""Marketing-mix model: weekly outcome explained by baseline and media (no Django).

- :mod:`~pilotage.models.mmm.components` — adstock (``geometric``, ``delayed``) and saturation
  (``michaelis_menten``, ``hill``, ``logistic``) forms, looked up by name;
- :mod:`~pilotage.models.mmm.model` — :class:`MarketingMixModel`: MAP + Laplace approximation,
  ROI and marginal ROI with intervals, diagnostics, and the response interface the budget
  optimiser uses (``outcome``, ``outcome_draws``, ``spend_range``, ``current_allocation``);
- :mod:`~pilotage.models.mmm.data` — weekly wide tables from a CSV file or the warehouse, and
  the weekly contributions written back as one.

:func:`result_json` is the JSON shape behind ``pilotage mmm fit``. See docs/mmm.md.
"""

from __future__ import annotations

from typing import Any

from pilotage.models.mmm._posterior import Lift
from pilotage.models.mmm.components import ADSTOCKS, SATURATIONS
from pilotage.models.mmm.data import (
    CsvInputError,
    read_weekly_csv,
    weekly_table,
    write_contributions_csv,
)
from pilotage.models.mmm.model import MarketingMixModel, NotConvergedError

__all__ = [
    "ADSTOCKS",
    "SATURATIONS",
    "CsvInputError",
    "Lift",
    "MarketingMixModel",
    "NotConvergedError",
    "read_weekly_csv",
    "result_json",
    "weekly_table",
    "write_contributions_csv",
]


def result_json(model: MarketingMixModel) -> dict[str, Any]:
    """``{"channels": {name: {roi, roi_low, roi_high, mroi, …}}, "diagnostics": {…}}``."""
    return {"channels": model.channel_results(), "diagnostics": model.diagnostics()}
