"""Who arrives each day: Poisson draws of leads or new customers from each demand source."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.simulate.demand import ChannelEffect
from pilotage.simulate.media import adstock


@dataclass(frozen=True)
class Arrivals:
    """One entry per arriving lead or customer, in day order."""

    day: np.ndarray
    channel: np.ndarray
    campaign: np.ndarray

    def __len__(self) -> int:
        return len(self.day)


def draw_arrivals(
    base: np.ndarray,
    effects: list[ChannelEffect],
    baseline_channel: str,
    rng: np.random.Generator,
) -> Arrivals:
    """Independent Poisson counts per source and day; their sum is Poisson(expected total).

    A channel's arrival is credited to one of its campaigns with probability proportional to
    that campaign's adstocked spend that day.
    """
    days, channels, campaigns = [], [], []
    counts = rng.poisson(base)
    days.append(np.repeat(np.arange(len(base)), counts))
    channels.append(np.full(counts.sum(), baseline_channel, dtype=object))
    campaigns.append(np.full(counts.sum(), None, dtype=object))
    for effect in effects:
        counts = rng.poisson(effect.contribution)
        day = np.repeat(np.arange(len(base)), counts)
        names = list(effect.spend.by_campaign)
        params = effect.truth["adstock"]["params"]
        carried = np.column_stack(
            [adstock(effect.spend.by_campaign[n], effect.channel.adstock, **params) for n in names]
        )
        carried = carried[day]
        totals = carried.sum(axis=1, keepdims=True)
        cumulative = np.cumsum(carried / np.where(totals > 0, totals, 1), axis=1)
        chosen = (rng.random((len(day), 1)) > cumulative).sum(axis=1)
        chosen = np.minimum(chosen, len(names) - 1)
        days.append(day)
        channels.append(np.full(len(day), effect.channel.name, dtype=object))
        campaigns.append(np.array(names, dtype=object)[chosen])
    day = np.concatenate(days)
    order = np.argsort(day, kind="stable")
    return Arrivals(
        day=day[order],
        channel=np.concatenate(channels)[order],
        campaign=np.concatenate(campaigns)[order],
    )
