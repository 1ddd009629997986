"""The attribution comparison: every model side by side, its spread, and the reconciliation.

The journeys of a period are those whose end — the first converting touch, or the last touch of
a journey that did not convert — falls in the period; their touches before the period count
too. Every registered model runs with its default settings (Markov of order 1; W-shaped without
milestones, as the touchpoints carry none, uses its documented fallback: 75% to the first touch,
25% split over the others). Every model distributes the same conversions and value, so the
attributed value is checked against the revenue booked in ``orders`` over the period. No HTTP.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import pyarrow as pa
from django.utils.translation import gettext as _

from pilotage.metrics import WarehouseSource
from pilotage.metrics.overview import Period
from pilotage.models.attribution import (
    MODELS,
    Attribution,
    Journey,
    get_model,
    journeys_from_touchpoints,
)
from pilotage.web.control.attribution_charts import grouped_bars
from pilotage.web.control.scorecard import _years, period_for, source_for
from pilotage.web.workspaces.models import Workspace

# the order of the columns: simple rules first, then the data-driven models
MODEL_ORDER = (
    "first_touch",
    "last_touch",
    "last_non_direct",
    "linear",
    "time_decay",
    "position_based",
    "w_shaped",
    "markov",
    "shapley",
)
TOUCHPOINT_COLUMNS = ("journey_id", "occurred_at", "channel", "converted", "conversion_value")


@dataclass(frozen=True)
class ChannelLine:
    """One channel: its credit under every model and the min–max range across models."""

    channel: str
    conversions: dict[str, float]
    values: dict[str, float]
    conversions_min: float
    conversions_max: float
    value_min: float
    value_max: float
    influenced_conversions: float = 0.0
    influenced_value: float = 0.0


@dataclass(frozen=True)
class Reconciliation:
    """Attributed value (the same under every model) against the revenue booked in orders."""

    attributed: float
    booked: float

    @property
    def difference(self) -> float:
        return self.attributed - self.booked

    @property
    def over_claimed(self) -> bool:
        return self.difference > 0.005


def model_names() -> list[str]:
    """Every registered model, in :data:`MODEL_ORDER` first, then any others by name."""
    known = [m for m in MODEL_ORDER if m in MODELS]
    return known + sorted(set(MODELS) - set(known))


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(period.start.year, period.start.month, period.start.day, tzinfo=dt.UTC)
    end = dt.datetime(period.end.year, period.end.month, period.end.day, tzinfo=dt.UTC)
    return start, end + dt.timedelta(days=1)


def touchpoints(source: WarehouseSource, period: Period) -> pa.Table:
    """The touches of the journeys ending in ``period`` (converting touch, else last touch)."""
    low, high = _bounds(period)
    t = source.table("touchpoints")
    ends = t.group_by("journey_id").aggregate(
        first_conversion=t.occurred_at.min(where=t.converted),
        last_touch=t.occurred_at.max(),
    )
    end = ibis.coalesce(ends.first_conversion, ends.last_touch)
    ids = ends.filter(end >= low, end < high).select("journey_id")
    return t.filter(t.journey_id.isin(ids.journey_id)).select(*TOUCHPOINT_COLUMNS).to_pyarrow()


def journeys(source: WarehouseSource, period: Period) -> list[Journey]:
    table = touchpoints(source, period)
    return journeys_from_touchpoints(table) if table.num_rows else []


def booked_revenue(source: WarehouseSource, period: Period) -> float:
    """Revenue of the orders placed in ``period`` (in the workspace currency when it has one)."""
    low, high = _bounds(period)
    orders = source.table("orders")
    orders = orders.filter(orders.ordered_at >= low, orders.ordered_at < high)
    if source.currency:
        orders = orders.filter(orders.currency == source.currency)
    return float(orders.revenue.sum().to_pyarrow().as_py() or 0.0)


def attribute_all(paths: list[Journey]) -> dict[str, Attribution]:
    """Every registered model's attribution of ``paths``, with default settings."""
    return {name: get_model(name).attribute(paths) for name in model_names()}


def influenced(paths: list[Journey]) -> dict[str, tuple[float, float]]:
    """Influenced pipeline per channel: the converting journeys that went through the channel at
    least once (any touch), and their value — each journey counted once per channel it saw."""
    found: dict[str, list[float]] = {}
    for journey in paths:
        if not journey.converted:
            continue
        for channel in set(journey.channels):
            totals = found.setdefault(channel, [0.0, 0.0])
            totals[0] += 1
            totals[1] += journey.value
    return {c: (t[0], t[1]) for c, t in found.items()}


def channel_lines(
    results: dict[str, Attribution], touched: dict[str, tuple[float, float]] | None = None
) -> list[ChannelLine]:
    """One line per channel (by channel name) with every model's credit and their spread, and
    the channel's influenced pipeline when ``touched`` gives it."""
    touched = touched or {}
    channels = sorted({c for r in results.values() for c in r.channels} | set(touched))
    lines = []
    for channel in channels:
        conversions = {
            m: r.channels[channel].conversions if channel in r.channels else 0.0
            for m, r in results.items()
        }
        values = {
            m: r.channels[channel].value if channel in r.channels else 0.0
            for m, r in results.items()
        }
        lines.append(
            ChannelLine(
                channel,
                conversions,
                values,
                min(conversions.values()),
                max(conversions.values()),
                min(values.values()),
                max(values.values()),
                *touched.get(channel, (0.0, 0.0)),
            )
        )
    return lines


def model_labels() -> dict[str, str]:
    labels = {
        "first_touch": _("First touch"),
        "last_touch": _("Last touch"),
        "last_non_direct": _("Last non-direct"),
        "linear": _("Linear"),
        "time_decay": _("Time decay"),
        "position_based": _("Position-based"),
        "w_shaped": _("W-shaped"),
        "markov": _("Markov"),
        "shapley": _("Shapley"),
    }
    return {m: labels.get(m, m) for m in model_names()}


def page(workspace: Workspace, choice: str | None) -> dict[str, Any]:
    """The attribution page's context."""
    source = source_for(workspace)
    choice, period = period_for(source, choice)
    context: dict[str, Any] = {"period_choice": choice, "period": period, "years": _years(source)}
    if period is None:
        return context
    paths = journeys(source, period)
    results = attribute_all(paths)
    lines = channel_lines(results, influenced(paths))
    labels = model_labels()
    converting = [j for j in paths if j.converted]
    attributed = sum(j.value for j in converting)
    rows = [
        {"channel": line.channel, "model": labels[m], "conversions": line.conversions[m]}
        for line in lines
        for m in results
    ]
    context |= {
        "models": [(m, labels[m]) for m in results],
        "lines": lines,
        "journeys": len(paths),
        "conversions": len(converting),
        "reconciliation": Reconciliation(attributed, booked_revenue(source, period)),
        "chart": grouped_bars(
            rows,
            group="channel",
            series="model",
            value="conversions",
            value_title=_("Attributed conversions"),
            series_title=_("Model"),
            series_order=[labels[m] for m in results],
        ),
    }
    return context
