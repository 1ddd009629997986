"""Multi-touch attribution: rule-based, Markov removal effect and Shapley models (no Django).

Inputs are journeys (:func:`journeys_from_touchpoints`) or aggregated path rows
(:func:`read_paths_csv`); every model is registered by name in :data:`MODELS` and returns an
:class:`Attribution`. :func:`attribute_paths` is the one call behind ``pilotage attribution``.

>>> rows = [PathRow(("a", "b"), 3, 300.0), PathRow(("b",), 1, 50.0, 4)]
>>> attribute_paths(rows, "linear")["channels"]["b"]
{'conversions': 2.5, 'value': 200.0, 'share': 0.625}
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pilotage.models.attribution.base import (
    MODELS,
    Attribution,
    AttributionModel,
    ChannelCredit,
    Transitions,
    get_model,
    register,
)
from pilotage.models.attribution.markov import Markov
from pilotage.models.attribution.paths import (
    Journey,
    PathRow,
    PathsError,
    aggregate,
    journeys_from_touchpoints,
    parse_paths_csv,
    read_paths_csv,
)
from pilotage.models.attribution.rules import (
    FirstTouch,
    LastNonDirect,
    LastTouch,
    Linear,
    PositionBased,
    TimeDecay,
    WShaped,
)
from pilotage.models.attribution.shapley import Shapley

__all__ = [
    "MODELS",
    "Attribution",
    "AttributionModel",
    "ChannelCredit",
    "FirstTouch",
    "Journey",
    "LastNonDirect",
    "LastTouch",
    "Linear",
    "Markov",
    "PathRow",
    "PathsError",
    "PositionBased",
    "Shapley",
    "TimeDecay",
    "Transitions",
    "WShaped",
    "aggregate",
    "attribute_paths",
    "get_model",
    "journeys_from_touchpoints",
    "parse_paths_csv",
    "read_paths_csv",
    "register",
]


def attribute_paths(
    paths: str | Path | Iterable[Journey | PathRow],
    model: str,
    *,
    order: int = 1,
    separator: str = ">",
    **params: Any,
) -> dict[str, Any]:
    """Attribute ``paths`` (a paths CSV file, or journeys / path rows) with the model ``model``.

    ``order`` applies to ``markov`` only; ``params`` are the model's settings (e.g.
    ``half_life=3`` for ``time_decay``, ``include_nulls=False`` for ``markov``). Returns the
    JSON shape of ``pilotage attribution``: ``{"model", "channels": {c: {"conversions",
    "value", "share"}}, "total_conversions", "total_value"}`` plus ``"removal_effects"`` for
    ``markov``.
    """
    if isinstance(paths, str | Path):
        paths = read_paths_csv(paths, separator)
    if model == Markov.name:
        params["order"] = order
    elif order != 1:
        raise ValueError(f"order applies to the markov model only, not to {model!r}")
    return get_model(model, **params).attribute(paths).to_dict()
