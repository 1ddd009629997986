"""The attribution result, the model interface and the registry of models by name.

Every model is a small class whose ``__init__`` only stores keyword settings and whose
:meth:`AttributionModel.attribute` turns journeys or path rows into an :class:`Attribution`.
Models register themselves in :data:`MODELS` under their ``name``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import numpy as np

from pilotage.models.attribution.paths import Journey, PathRow

Paths = Iterable[Journey | PathRow]


@dataclass(frozen=True)
class ChannelCredit:
    """One channel's credit: conversions, conversion value, and share of conversions."""

    conversions: float
    value: float
    share: float


@dataclass(frozen=True)
class Transitions:
    """A Markov chain's transition matrix: ``probabilities[i, j]`` = P(states[j] | states[i]).

    States are ``(start)``, the channel states (order k: the last k channels joined by
    ``" > "``), ``(conversion)`` and ``(null)``; absorbing states have no outgoing row mass.
    """

    states: tuple[str, ...]
    probabilities: np.ndarray

    def rows(self) -> list[tuple[str, str, float]]:
        """The non-zero transitions as ``(from, to, probability)``, like ChannelAttribution's."""
        i, j = np.nonzero(self.probabilities)
        return [
            (self.states[a], self.states[b], float(self.probabilities[a, b]))
            for a, b in zip(i.tolist(), j.tolist(), strict=True)
        ]


@dataclass(frozen=True)
class Attribution:
    """Credit per channel under one model, with the totals it distributes.

    ``share`` is the channel's part of the total conversions (shares sum to 1 when there is at
    least one conversion). Markov results also carry the removal effects (of conversions and
    of value) and the transition matrix.
    """

    model: str
    channels: Mapping[str, ChannelCredit]
    total_conversions: float
    total_value: float
    removal_effects: Mapping[str, float] | None = None
    value_removal_effects: Mapping[str, float] | None = None
    transitions: Transitions | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON shape: ``{"channels": {c: {conversions, value, share}}, ...}``."""
        result: dict[str, Any] = {
            "model": self.model,
            "channels": {
                name: {"conversions": c.conversions, "value": c.value, "share": c.share}
                for name, c in self.channels.items()
            },
            "total_conversions": self.total_conversions,
            "total_value": self.total_value,
        }
        if self.removal_effects is not None:
            result["removal_effects"] = dict(self.removal_effects)
        return result


class AttributionModel:
    """Base class: store keyword settings in ``__init__``, compute in :meth:`attribute`."""

    name: ClassVar[str]

    def attribute(self, paths: Paths) -> Attribution:
        raise NotImplementedError


MODELS: dict[str, type[AttributionModel]] = {}
M = TypeVar("M", bound=type[AttributionModel])


def register(cls: M) -> M:
    """Class decorator: make a model available by its ``name``."""
    MODELS[cls.name] = cls
    return cls


def get_model(name: str, **params: Any) -> AttributionModel:
    """The registered model ``name`` built with ``params``."""
    try:
        cls = MODELS[name]
    except KeyError:
        known = ", ".join(sorted(MODELS))
        raise ValueError(f"unknown attribution model {name!r}; choose one of {known}") from None
    return cls(**params)


def channels_of(rows: Iterable[PathRow]) -> list[str]:
    """Every channel seen in the rows (converting or not), sorted by name."""
    return sorted({c for row in rows for c in row.path})


def build_attribution(
    model: str,
    channels: Iterable[str],
    conversions: Mapping[str, float],
    values: Mapping[str, float],
    total_conversions: float,
    total_value: float,
    **extra: Any,
) -> Attribution:
    """An :class:`Attribution` from per-channel credit (missing channels get 0)."""
    credits = {
        c: ChannelCredit(
            float(conversions.get(c, 0.0)),
            float(values.get(c, 0.0)),
            float(conversions.get(c, 0.0) / total_conversions) if total_conversions else 0.0,
        )
        for c in channels
    }
    return Attribution(model, credits, float(total_conversions), float(total_value), **extra)
