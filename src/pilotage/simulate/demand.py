"""Expected daily demand: baseline + the sum over channels of saturation(adstock(spend)).

The unit of demand is leads (B2B) or new customers (B2C); ``value_per_unit`` turns it into
revenue, so each channel's true ROI is known exactly:

    roi_c = value_per_unit * sum_t beta_c * sat_c(adstock_c(spend_c))[t] / sum_t spend_c[t]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pilotage.simulate.config import ChannelConfig, CompanyConfig
from pilotage.simulate.media import adstock, saturate
from pilotage.simulate.spend import Calendar, PlannedSpend


def baseline(config: CompanyConfig, cal: Calendar) -> np.ndarray:
    """Expected units per day without any marketing.

    ``b0 * (1 + trend * t/365.25) * (1 + sum_k s_k sin(2πk·doy/365.25) + c_k cos(2πk·doy/365.25))
    * (weekend_factor on Saturdays and Sundays)``, with ``t`` days since the start.
    """
    t = np.arange(len(cal), dtype=float)
    doy = cal.day_of_year
    season = np.ones(len(cal))
    for k, (s, c) in enumerate(config.seasonality, start=1):
        angle = 2 * np.pi * k * doy / 365.25
        season += s * np.sin(angle) + c * np.cos(angle)
    weekend = np.where(cal.weekdays >= 5, config.weekend_factor, 1.0)
    return config.baseline_per_day * (1 + config.trend_per_year * t / 365.25) * season * weekend


@dataclass(frozen=True)
class ChannelEffect:
    """A channel's spend, its expected daily contribution in units, and the truth behind it."""

    channel: ChannelConfig
    spend: PlannedSpend
    contribution: np.ndarray
    truth: dict[str, Any]


def channel_effect(
    channel: ChannelConfig, spend: PlannedSpend, value_per_unit: float
) -> ChannelEffect:
    """Scale the channel's response so that its ROI over the period is ``channel.roi``."""
    daily = spend.daily
    adstock_params = {"max_lag": 60, **channel.adstock_params}
    carried = adstock(daily, channel.adstock, **adstock_params)
    scale = float(carried[carried > 0].mean())
    if channel.saturation == "hill":
        sat_params = {
            "half_saturation": channel.half_saturation_ratio * scale,
            "shape": channel.saturation_shape,
        }
    else:
        sat_params = {"lam": 1.0 / (channel.half_saturation_ratio * scale)}
    response = saturate(carried, channel.saturation, **sat_params)
    total_spend = float(daily.sum())
    beta = channel.roi * total_spend / (value_per_unit * float(response.sum()))
    contribution = beta * response
    roi = value_per_unit * float(contribution.sum()) / total_spend
    truth = {
        "adstock": {"form": channel.adstock, "params": adstock_params},
        "saturation": {"form": channel.saturation, "params": sat_params},
        "beta_units_per_day": beta,
        "spend_total": total_spend,
        "contribution_units": float(contribution.sum()),
        "contribution_revenue": value_per_unit * float(contribution.sum()),
        "roi": roi,
    }
    return ChannelEffect(channel=channel, spend=spend, contribution=contribution, truth=truth)
