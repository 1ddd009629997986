"""What the budget-allocation pages compute from a fitted model. No HTTP, no database.

- :func:`fit_results` — the JSON kept with a fit: channel results, diagnostics, the summary in
  English and French, response curves, contributions over time, the last week of data;
- :func:`weekly_contributions` — the fit weeks' outcome split into the baseline and each
  channel's contribution (posterior means and 90% intervals);
- :func:`response_curves` — expected weekly outcome against weekly spend, per channel, from 0 to
  twice the highest weekly spend seen, with the 90% band of the posterior draws;
- :func:`evaluate` — an allocation's predicted outcome over the horizon (mean and 90% interval)
  and its uplift over the current allocation, computed draw by draw;
- :func:`budget_curve` — the best split at several shares of the current total over the
  planner's default horizon, with the expected outcome and the extra outcome per extra €;
- :func:`monthly_amounts` — a channel's amount spread over the horizon's calendar months at the
  steady weekly pace the model assumes (each month gets its share of the horizon's days), in
  whole cents adding up exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from pilotage.allocation import budget_curve as optimum_at_totals
from pilotage.models.mmm import MarketingMixModel
from pilotage.models.mmm.report import summary_text
from pilotage.web.mmm.forms import DEFAULT_WEEKS

CURVE_POINTS = 25
CURVE_SPAN = 2.0  # curves run to twice the highest weekly spend seen
DRAWS = 200
CURVE_WEEKS = DEFAULT_WEEKS  # the budget curve's horizon: the scenario planner's opening one
CENT = Decimal("0.01")


def fit_results(
    model: MarketingMixModel,
    last_week: dt.date,
    *,
    currency: str = "EUR",
    outcome: str = "revenue",
) -> dict[str, Any]:
    """Everything the model page shows, as plain JSON; the summary speaks of the outcome in its
    unit (``revenue`` in ``currency``, ``leads`` per 1,000 of it)."""
    diagnostics = model.diagnostics()
    channels = model.channel_results()  # over all draws: computed once, used three times
    return {
        "channels": channels,
        "diagnostics": diagnostics,
        "summary": {
            language: summary_text(
                channels, diagnostics, language, currency=currency, outcome=outcome
            )
            for language in ("en", "fr")
        },
        "curves": response_curves(model, channels=channels) if diagnostics["converged"] else [],
        "contributions": weekly_contributions(model) if diagnostics["converged"] else None,
        "last_week": last_week.isoformat(),
    }


def budget_curve(model: MarketingMixModel, weeks: int = CURVE_WEEKS) -> dict[str, Any] | None:
    """The expected-outcome optimum at 50% to 150% of the current total over ``weeks`` weeks
    (``pilotage.allocation.budget_curve``), as plain JSON: ``weeks`` and ``points`` (``share``,
    ``total``, ``allocation``, ``expected`` and ``marginal`` with ``mean``/``low``/``high``);
    ``None`` when there is no current total to scale (nothing spent in the last weeks of data)
    or no split of it is feasible."""
    try:
        points = optimum_at_totals(model, weeks)
    except ValueError:  # AllocationError is one too
        return None
    return {
        "weeks": weeks,
        "points": [
            p.as_dict() | {"warnings": {lang: list(p.warnings_in(lang)) for lang in ("en", "fr")}}
            for p in points
        ],
    }


def weekly_contributions(model: MarketingMixModel) -> dict[str, Any]:
    """``weeks`` (ISO dates), ``actual``, and ``baseline`` and each channel's contribution as
    ``{"mean", "low", "high", "mode"}`` lists, over all the posterior draws (so a channel's mean
    summed over the weeks is its ROI × spend, as in the results table; the modes add up to the
    fit, and are what the chart stacks)."""
    parts = model.contributions()

    def lists(band: dict[str, np.ndarray]) -> dict[str, list[float]]:
        return {key: band[key].tolist() for key in ("mean", "low", "high", "mode")}

    return {
        "weeks": [week.isoformat() for week in parts["dates"]],
        "actual": parts["actual"].tolist(),
        "baseline": lists(parts["baseline"]),
        "channels": {name: lists(band) for name, band in parts["channels"].items()},
    }


def response_curves(
    model: MarketingMixModel,
    points: int = CURVE_POINTS,
    *,
    channels: dict[str, dict[str, Any]] | None = None,
) -> list[dict]:
    """Rows ``channel, spend, outcome, low, high, current`` (weekly figures; ``current`` marks the
    channel's current weekly spend, added as its own row); ``channels``: the model's
    ``channel_results()`` when the caller has them already."""
    rows: list[dict] = []
    results = channels if channels is not None else model.channel_results()
    for channel in model.channels:
        top = CURVE_SPAN * model.spend_range(channel)[1]
        current = float(results[channel]["current_weekly_spend"])
        spends = sorted({*np.linspace(0.0, top, points).tolist(), current})
        for spend in spends:
            draws = model.outcome_draws({channel: spend}, 1, n=DRAWS)
            low, high = np.percentile(draws, [5, 95])
            rows.append(
                {
                    "channel": channel,
                    "spend": float(spend),
                    "outcome": model.outcome({channel: spend}, 1),
                    "low": float(low),
                    "high": float(high),
                    "current": spend == current,
                }
            )
    return rows


@dataclass(frozen=True)
class Prediction:
    """An allocation (€ over the horizon per channel) and its predicted media-driven outcome:
    mean and 90% interval, and the uplift over the current allocation (draw by draw)."""

    allocation: dict[str, float]
    total: float
    outcome: float
    low: float
    high: float
    uplift: float
    uplift_low: float
    uplift_high: float
    chance_better: float  # share of the draws in which it beats the current allocation
    same_as_current: bool = False  # the current allocation itself (to the cent)


def evaluate(
    model: MarketingMixModel, allocation: dict[str, float], weeks: int, current: dict[str, float]
) -> Prediction:
    draws = model.outcome_draws(allocation, weeks, n=DRAWS)
    base = model.outcome_draws(current, weeks, n=DRAWS)
    uplift = draws - base
    low, high = np.percentile(draws, [5, 95])
    up_low, up_high = np.percentile(uplift, [5, 95])
    return Prediction(
        allocation=dict(allocation),
        total=round(sum(allocation.values()), 2),
        outcome=model.outcome(allocation, weeks),
        low=float(low),
        high=float(high),
        uplift=model.outcome(allocation, weeks) - model.outcome(current, weeks),
        uplift_low=float(up_low),
        uplift_high=float(up_high),
        chance_better=float(np.mean(uplift > 0)),
        same_as_current=all(
            abs(allocation.get(c, 0.0) - current.get(c, 0.0)) < 0.005
            for c in {*allocation, *current}
        ),
    )


def horizon_days(start: dt.date, weeks: int) -> dict[tuple[int, int], int]:
    """Days of the horizon in each calendar month, ``(year, month) → days``, in order."""
    days: dict[tuple[int, int], int] = {}
    for i in range(7 * weeks):
        day = start + dt.timedelta(days=i)
        days[(day.year, day.month)] = days.get((day.year, day.month), 0) + 1
    return days


def monthly_amounts(
    amount: Decimal, days: dict[tuple[int, int], int]
) -> dict[tuple[int, int], Decimal]:
    """``amount`` split over the months in proportion to their days; whole cents, exact sum.

    >>> monthly_amounts(Decimal("100"), {(2026, 1): 1, (2026, 2): 2})
    {(2026, 1): Decimal('33.33'), (2026, 2): Decimal('66.67')}
    """
    total_days = sum(days.values())
    out: dict[tuple[int, int], Decimal] = {}
    given = Decimal(0)
    keys = list(days)
    for key in keys[:-1]:
        share = (amount * days[key] / total_days).quantize(CENT, rounding=ROUND_HALF_UP)
        out[key] = share
        given += share
    out[keys[-1]] = amount.quantize(CENT) - given
    return out
