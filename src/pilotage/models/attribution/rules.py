"""Rule-based attribution: each converting journey's credit is split over its touches by a rule.

A rule gives every touch of a converting path a weight (weights sum to 1); a channel receives
Σ weight × conversions and Σ weight × value over the paths it appears in (a channel touched
twice in a path gets both touches' weights). Null paths carry no credit but their channels are
listed with 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from pilotage.models.attribution.base import (
    Attribution,
    AttributionModel,
    Paths,
    build_attribution,
    register,
)
from pilotage.models.attribution.paths import Journey, PathRow

DIRECT_CHANNELS = ("Direct", "(direct)")


@dataclass(frozen=True)
class _Touches:
    channels: tuple[str, ...]
    conversions: float
    value: float
    times: tuple[float, ...] | None
    lead_index: int | None
    opportunity_index: int | None


def _touches(paths: Paths) -> list[_Touches]:
    result = []
    for item in paths:
        if isinstance(item, PathRow):
            result.append(_Touches(item.path, item.conversions, item.value, None, None, None))
        elif isinstance(item, Journey):
            conv = float(item.converted)
            value = item.value if item.converted else 0.0
            result.append(
                _Touches(
                    item.channels, conv, value, item.times, item.lead_index, item.opportunity_index
                )
            )
        else:
            raise TypeError(f"expected Journey or PathRow, got {type(item).__name__}")
    return result


class RuleModel(AttributionModel):
    """A model defined by :meth:`weights`, the share of credit of each touch of one path."""

    def weights(self, touches: _Touches) -> np.ndarray:
        raise NotImplementedError

    def attribute(self, paths: Paths) -> Attribution:
        rows = _touches(paths)
        conversions: dict[str, float] = defaultdict(float)
        values: dict[str, float] = defaultdict(float)
        for row in rows:
            if row.conversions <= 0 and row.value == 0:
                continue
            weights = self.weights(row)
            for channel, weight in zip(row.channels, weights.tolist(), strict=True):
                conversions[channel] += weight * row.conversions
                values[channel] += weight * row.value
        return build_attribution(
            self.name,
            sorted({c for row in rows for c in row.channels}),
            conversions,
            values,
            sum(row.conversions for row in rows),
            sum(row.value for row in rows),
        )


def _one_hot(n: int, index: int) -> np.ndarray:
    weights = np.zeros(n)
    weights[index] = 1.0
    return weights


@register
class FirstTouch(RuleModel):
    """All credit to the first touch."""

    name = "first_touch"

    def weights(self, touches: _Touches) -> np.ndarray:
        return _one_hot(len(touches.channels), 0)


@register
class LastTouch(RuleModel):
    """All credit to the last (converting) touch."""

    name = "last_touch"

    def weights(self, touches: _Touches) -> np.ndarray:
        return _one_hot(len(touches.channels), -1)


@register
class LastNonDirect(RuleModel):
    """All credit to the last touch that is not direct; to the last touch if all are direct.

    ``direct`` lists the channel names counted as direct (compared case-insensitively).
    """

    name = "last_non_direct"

    def __init__(self, direct: Iterable[str] = DIRECT_CHANNELS) -> None:
        self.direct = tuple(direct)

    def weights(self, touches: _Touches) -> np.ndarray:
        direct = {d.casefold() for d in self.direct}
        channels = touches.channels
        index = next(
            (i for i in range(len(channels) - 1, -1, -1) if channels[i].casefold() not in direct),
            len(channels) - 1,
        )
        return _one_hot(len(channels), index)


@register
class Linear(RuleModel):
    """Equal credit to every touch: 1/n each."""

    name = "linear"

    def weights(self, touches: _Touches) -> np.ndarray:
        n = len(touches.channels)
        return np.full(n, 1.0 / n)


@register
class TimeDecay(RuleModel):
    """Credit halves every ``half_life`` days before the conversion.

    weight_i ∝ 2^(−(t_last − t_i) / half_life), where t_last is the converting (last) touch's
    time. Paths without times (aggregated rows) use the position as the time: the touch k steps
    before the last is k days before the conversion.
    """

    name = "time_decay"

    def __init__(self, half_life: float = 7.0) -> None:
        self.half_life = half_life

    def weights(self, touches: _Touches) -> np.ndarray:
        if not self.half_life > 0:
            raise ValueError(f"half_life must be a positive number of days, got {self.half_life}")
        n = len(touches.channels)
        times = np.asarray(touches.times if touches.times is not None else range(n), dtype=float)
        raw = np.exp2(-(times[-1] - times) / self.half_life)
        return np.asarray(raw / raw.sum())


@register
class PositionBased(RuleModel):
    """U-shaped: ``first`` and ``last`` shares (default 40% each), the rest split over the middle.

    One touch gets 100%; two touches get ``first/(first+last)`` and ``last/(first+last)``
    (50/50 by default).
    """

    name = "position_based"

    def __init__(self, first: float = 0.4, last: float = 0.4) -> None:
        self.first = first
        self.last = last

    def weights(self, touches: _Touches) -> np.ndarray:
        if min(self.first, self.last) < 0 or self.first + self.last > 1:
            raise ValueError("first and last must be ≥ 0 and sum to at most 1")
        n = len(touches.channels)
        if n == 1:
            return np.ones(1)
        ends = self.first + self.last
        if n == 2:
            return np.array([self.first, self.last]) / ends
        weights = np.full(n, (1.0 - ends) / (n - 2))
        weights[0], weights[-1] = self.first, self.last
        return weights


@register
class WShaped(RuleModel):
    """W-shaped: 30% each to the first, lead- and opportunity-creation touches, 10% to the rest.

    Milestones come from :attr:`Journey.lead_index` and :attr:`Journey.opportunity_index`.
    Conventions: milestones falling on the same touch add up (first touch = lead creation gets
    60%); an unknown milestone (``None``, always the case for aggregated path rows) gets no
    share; the 10% is split equally over the touches that are not milestones, and when there
    are none it is not given. The weights are then rescaled to sum to 1 — e.g. with both
    milestones unknown, 75% first touch and 25% split over the others; one touch gets 100%.
    """

    name = "w_shaped"

    def __init__(self, milestone: float = 0.3, rest: float = 0.1) -> None:
        self.milestone = milestone
        self.rest = rest

    def weights(self, touches: _Touches) -> np.ndarray:
        n = len(touches.channels)
        weights = np.zeros(n)
        milestones = {0, touches.lead_index, touches.opportunity_index}
        for index in (0, touches.lead_index, touches.opportunity_index):
            if index is not None:
                weights[index] += self.milestone
        others = [i for i in range(n) if i not in milestones]
        if others:
            weights[others] = self.rest / len(others)
        return np.asarray(weights / weights.sum())
