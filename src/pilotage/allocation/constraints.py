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

from pilotage.allocation.messages import Amount, Message, Share, amount_text
from pilotage.allocation.response import ResponseModel


class AllocationError(ValueError):
    """The constraints cannot all hold; the message names them and says what would fix it.

    ``str(error)`` is the English text; ``error.message`` the structured :class:`Message`,
    and ``error.text("fr")`` the text in another language."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.text("en"))

    def text(self, language: str = "en") -> str:
        """The message in ``language`` ("fr…" → French, anything else → English)."""
        return self.message.text(language)

    def __reduce__(self):  # pickles with its message, not with the English text
        return (type(self), (self.message,))


def money(value: float) -> str:
    """``12,345.67`` — amounts in English messages (:class:`Amount` renders them per language)."""
    return amount_text(value)


def to_cents(value: float) -> int:
    return round(value * 100)


@dataclass
class Bounds:
    """Floors and ceilings per channel in cents, and the reason for each.

    Reasons and ``notes`` (warnings) are :class:`Message` objects: ``.text(language)`` renders
    them, ``str()`` in English."""

    low: dict[str, int]
    high: dict[str, int]
    low_reason: dict[str, Message] = field(default_factory=dict)
    high_reason: dict[str, Message] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """The notes in English."""
        return [note.text("en") for note in self.notes]

    def euros(self) -> dict[str, tuple[float, float]]:
        return {c: (self.low[c] / 100, self.high[c] / 100) for c in self.low}


_SETTINGS = {"minimum", "maximum", "current"}


def _check_channels(name: str, values: Mapping[str, float] | None, channels: tuple[str, ...]):
    if not values:
        return
    setting = Message(f"setting_{name}") if name in _SETTINGS else name
    unknown = sorted(set(values) - set(channels))
    if unknown:
        raise AllocationError(
            Message(
                "unknown_channels",
                {"name": setting, "unknown": ", ".join(unknown), "channels": ", ".join(channels)},
            )
        )
    for channel, value in values.items():
        if not math.isfinite(value) or value < 0:
            raise AllocationError(
                Message("negative_amount", {"name": setting, "channel": channel, "value": value})
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
        low_why = (
            Message("reason_minimum", {"amount": Amount(low), "channel": c})
            if c in minimum
            else Message("reason_zero", {"channel": c})
        )
        # no maximum: the ceiling is the total
        high_why = (
            Message("reason_maximum", {"amount": Amount(high), "channel": c})
            if c in maximum
            else Message("reason_none")
        )
        if low > high:
            raise AllocationError(
                Message(
                    "minimum_above_maximum",
                    {"channel": c, "low": Amount(low), "high": Amount(high)},
                )
            )
        if max_change is not None:
            now = float(current.get(c, 0.0))
            floor, ceiling = now * (1 - max_change), now * (1 + max_change)
            ramp = Message(
                "reason_ramp",
                {
                    "channel": c,
                    "change": Share(max_change),
                    "now": Amount(now),
                    "floor": Amount(max(floor, 0.0)),
                    "ceiling": Amount(ceiling),
                },
            )
            if floor > high or ceiling < low:
                clash = (
                    Message("bound_maximum", {"amount": Amount(high)})
                    if floor > high
                    else Message("bound_minimum", {"amount": Amount(low)})
                )
                raise AllocationError(
                    Message("ramp_clash", {"channel": c, "ramp": ramp, "bound": clash})
                )
            if floor > low:
                low, low_why = floor, ramp
            if ceiling < high:
                high, high_why = ceiling, ramp
        if guard == "cap":
            top = float(model.spend_range(c)[1])
            cap = guard_factor * top * weeks
            cap_why = Message(
                "reason_cap",
                {
                    "channel": c,
                    "factor": float(guard_factor),
                    "top": Amount(top),
                    "cap": Amount(cap),
                    "weeks": weeks,
                },
            )
            if cap < low:
                bounds.notes.append(
                    Message(
                        "cap_below_floor",
                        {"channel": c, "floor": low_why, "cap": cap_why, "kept": _kept(low_why)},
                    )
                )
            elif cap < high:
                high, high_why = cap, cap_why
        low_c = math.ceil(round(low * 100, 6))
        high_c = total_cents if math.isinf(high) else math.floor(round(high * 100, 6))
        # a floor above the total with no maximum is the floors' error below, which names it;
        # otherwise only rounding to cents can leave no whole cent in between
        if low_c > high_c and not math.isinf(high):
            raise AllocationError(
                Message("no_whole_cent", {"channel": c, "floor": low_why, "ceiling": high_why})
            )
        bounds.low[c], bounds.high[c] = low_c, high_c
        bounds.low_reason[c] = low_why
        bounds.high_reason[c] = high_why

    total = total_cents / 100
    floors = sum(bounds.low.values())
    if floors > total_cents:
        raise AllocationError(
            Message(
                "floors_above_total",
                {
                    "floors": Amount(floors / 100),
                    "total": Amount(total),
                    "reasons": [bounds.low_reason[c] for c in channels if bounds.low[c] > 0],
                },
            )
        )
    ceilings = sum(bounds.high.values())
    if ceilings < total_cents:
        raise AllocationError(
            Message(
                "ceilings_below_total",
                {
                    "total": Amount(total),
                    "ceilings": Amount(ceilings / 100),
                    "reasons": [bounds.high_reason[c] for c in channels],
                    "hint": Message("hint_guard_warn") if guard == "cap" else "",
                },
            )
        )
    return bounds


def _kept(floor: Message) -> Message:
    """What a floor above the extrapolation cap keeps: "minimum 50,000.00", "ramp limit"."""
    if floor.code == "reason_minimum":
        return Message("kept_minimum", {"amount": floor.params["amount"]})
    if floor.code == "reason_ramp":
        return Message("kept_ramp")
    return floor
