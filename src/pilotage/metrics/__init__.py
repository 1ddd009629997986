"""The metrics layer: every KPI of DESIGN.md §5 defined once, asked through one runner.

>>> import datetime as dt
>>> from pilotage.metrics import MetricQuery
>>> MetricQuery(("cac", "romi"), dt.date(2025, 1, 1), dt.date(2025, 12, 31), ("channel",)).grain

Consumers build a :class:`MetricQuery`, pick a :class:`WarehouseSource` for the workspace and
call :func:`run`; results are cached by the query's hash and the warehouse version.
"""

from pilotage.metrics.kpis import KPIS, SCORECARD, Kpi
from pilotage.metrics.query import MetricQuery, QueryError
from pilotage.metrics.runner import MetricResult, expression, run
from pilotage.metrics.source import WarehouseSource

__all__ = [
    "KPIS",
    "SCORECARD",
    "Kpi",
    "MetricQuery",
    "MetricResult",
    "QueryError",
    "WarehouseSource",
    "expression",
    "run",
]
