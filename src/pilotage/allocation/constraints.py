"""Per-channel floors and ceilings from the user's constraints, in cents, with their reasons.

Every constraint becomes a bound on a channel's total spend over the horizon:

- ``minimum`` / ``maximum`` as given (a trade show already booked: minimum = maximum);
- the ramp limit ``max_change``: ``|new − current| ≤ max_change × current``, so a channel with
  no current spend cannot start under a ramp limit;
- with ``guard="cap"``, the extrapolation cap ``guard_factor × the highest weekly spend in the
  fit data × weeks`` — a booked minimum above it wins, with a warning.

Bounds are rounded inwards to whole cents so that the cent-rounded result can meet them exactly.
Contradictions raise :class:`AllocationError` naming the constraints involved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from pilotage.allocation.response import ResponseModel


class AllocationError(ValueError):
    """The constraints cannot all hold; the message names them and says what would fix it."""


def money(value: float) -> str:
    """``12,345.67`` — amounts in messages."""
    return f"{value:,.2f}"


def to_cents(value: float) -> int:
    return round(value * 100)


@dataclass
class Bounds:
    """Floors and ceilings per channel in cents, and the plain-words reason for each."""

    low: dict[str, int]
    high: dict[str, int]
    low_reason: dict[str, str] = field(default_factory=dict)
    high_reason: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def euros(self) -> dict[str, tuple[float, float]]:
        return {c: (self.low[c] / 100, self.high[c] / 100) for c in self.low}


def _check_channels(name: str, values: Mapping[str, float] | None, channels: tuple[str, ...]):
    if not values:
        return
    unknown = sorted(set(values) - set(channels))
    if unknown:
        raise AllocationError(
            f"{name} names unknown channel(s) {', '.join(unknown)}; "
            f"the model's channels are {', '.join(channels)}."
        )
    for channel, value in values.items():
        if not math.isfinite(value) or value < 0:
            raise AllocationError(
                f"{name} for {channel} is {value}; it must be a non-negative amount."
            )


def build_bounds(
    model: ResponseModel,
    total_cents: int,
    weeks: int,
    *,
    minimum: Mapping[str, float] | None,
    maximum: Mapping[str, float] | None,
    current: Mapping[str, float],
    max_change: float | None,
    guard: str,
    guard_factor: float,
) -> Bounds:
    channels = tuple(model.channels)
    _check_channels("minimum", minimum, channels)
    _check_channels("maximum", maximum, channels)
    _check_channels("current", current, channels)
    minimum, maximum = minimum or {}, maximum or {}
    bounds = Bounds(low={}, high={})
    for c in channels:
        low, high = float(minimum.get(c, 0.0)), float(maximum.get(c, math.inf))
        low_why = f"minimum {money(low)} for {c}" if c in minimum else f"{c} cannot go below 0"
        high_why = f"maximum {money(high)} for {c}" if c in maximum else ""
        if low > high:
            raise AllocationError(
                f"{c}: its minimum {money(low)} is above its maximum {money(high)}. "
                "Set the minimum at most equal to the maximum (equal for a booked amount)."
            )
        if max_change is not None:
            now = float(current.get(c, 0.0))
            floor, ceiling = now * (1 - max_change), now * (1 + max_change)
            ramp = (
                f"ramp limit for {c}: at most ±{max_change:.0%} of its current {money(now)}, "
                f"so between {money(max(floor, 0.0))} and {money(ceiling)}"
            )
            if floor > high or ceiling < low:
                clash = f"maximum {money(high)}" if floor > high else f"minimum {money(low)}"
                raise AllocationError(
                    f"{c}: the {ramp}, which its {clash} rules out. "
                    "Loosen the ramp limit or change that bound."
                )
            if floor > low:
                low, low_why = floor, ramp
            if ceiling < high:
                high, high_why = ceiling, ramp
        if guard == "cap":
            top = float(model.spend_range(c)[1])
            cap = guard_factor * top * weeks
            cap_why = (
                f"extrapolation cap for {c}: {guard_factor:g}× the highest weekly spend in the "
                f"data ({money(top)} a week), so at most {money(cap)} over {weeks} weeks"
            )
            if cap < low:
                bounds.warnings.append(
                    f"{c}: the {low_why} is above its {cap_why}; the {low_why.split(' for ')[0]} "
                    "is kept and the model extrapolates there."
                )
            elif cap < high:
                high, high_why = cap, cap_why
        low_c = math.ceil(round(low * 100, 6))
        high_c = total_cents if math.isinf(high) else math.floor(round(high * 100, 6))
        if low_c > high_c:  # only when rounding to cents leaves no whole cent in between
            raise AllocationError(
                f"{c}: no amount in whole cents lies between its floor ({low_why}) and its "
                f"ceiling ({high_why})."
            )
        bounds.low[c], bounds.high[c] = low_c, high_c
        bounds.low_reason[c], bounds.high_reason[c] = low_why, high_why or "no maximum"

    total = total_cents / 100
    floors = sum(bounds.low.values())
    if floors > total_cents:
        reasons = "; ".join(bounds.low_reason[c] for c in channels if bounds.low[c] > 0)
        raise AllocationError(
            f"The floors add up to {money(floors / 100)}, more than the total budget of "
            f"{money(total)} ({reasons}). Lower a minimum, loosen the ramp limit or raise the "
            "total."
        )
    ceilings = sum(bounds.high.values())
    if ceilings < total_cents:
        reasons = "; ".join(f"{bounds.high_reason[c]}" for c in channels)
        hint = ", use guard='warn'" if guard == "cap" else ""
        raise AllocationError(
            f"The channels cannot absorb the total budget of {money(total)}: their ceilings add "
            f"up to {money(ceilings / 100)} ({reasons}). Raise a maximum, loosen the ramp "
            f"limit{hint} or lower the total."
        )
    return bounds
