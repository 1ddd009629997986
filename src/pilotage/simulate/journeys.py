"""Touchpoints: the interactions of each journey, the converting one flagged with its value."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from pilotage.simulate.config import CompanyConfig
from pilotage.simulate.timeline import plus_days, ts_column


def touchpoints(
    config: CompanyConfig,
    journey_id: np.ndarray,
    first_at: np.ndarray,
    channel: np.ndarray,
    campaign: np.ndarray,
    converted_at: np.ndarray,
    converted: np.ndarray,
    value: np.ndarray,
    rng: np.random.Generator,
    *,
    cutoff: np.datetime64,
    conversion_touch: tuple[str, str] | None,
) -> dict[str, object]:
    """One journey per lead or customer.

    The source touch comes first; 0–n nurturing touches (channels weighted by their
    ``nurture_weight``) fall between it and the conversion (or 90 days later). The converting
    touch is ``conversion_touch`` (channel, interaction) at the conversion, or, when None, the
    source touch itself (a B2C first order).
    """
    n = len(journey_id)
    interactions = {c.name: c.interaction for c in config.channels}
    names = [c.name for c in config.channels] + [config.baseline_channel]
    weights = np.array([c.nurture_weight for c in config.channels] + [0.1])
    k = rng.poisson(1.2, n)
    who = np.repeat(np.arange(n), k)
    horizon = np.where(converted, converted_at, plus_days(first_at, np.full(n, 90.0)))
    span = (horizon - first_at) / np.timedelta64(1, "D")
    mid_at = plus_days(first_at[who], rng.random(len(who)) * np.maximum(span[who], 0))
    mid_channel = np.array(names, dtype=object)[
        rng.choice(len(names), size=len(who), p=weights / weights.sum())
    ]
    src_interaction = np.array([interactions.get(c, "visit") for c in channel], dtype=object)
    parts_id = [journey_id, journey_id[who]]
    parts_at = [first_at, mid_at]
    parts_channel = [channel, mid_channel]
    parts_campaign = [campaign, np.full(len(who), None, dtype=object)]
    parts_interaction = [
        src_interaction,
        np.array([interactions.get(c, "visit") for c in mid_channel], dtype=object),
    ]
    if conversion_touch is None:
        parts_converted = [converted, np.zeros(len(who), dtype=bool)]
        parts_value = [np.where(converted, value, np.nan), np.full(len(who), np.nan)]
        # the source touch converts, so nurturing touches must come before it
        parts_at[1] = plus_days(first_at[who], -rng.exponential(4.0, len(who)))
    else:
        won = np.flatnonzero(converted)
        parts_id.append(journey_id[won])
        parts_at.append(converted_at[won])
        parts_channel.append(np.full(len(won), conversion_touch[0], dtype=object))
        parts_campaign.append(np.full(len(won), None, dtype=object))
        parts_interaction.append(np.full(len(won), conversion_touch[1], dtype=object))
        parts_converted = [np.zeros(n, bool), np.zeros(len(who), bool), np.ones(len(won), bool)]
        parts_value = [np.full(n, np.nan), np.full(len(who), np.nan), value[won]]
    occurred = np.concatenate(parts_at)
    jid = np.concatenate(parts_id)
    order = np.lexsort((occurred, jid))
    # Keep what happened within the exported period.
    start = np.datetime64(config.start.isoformat(), "us")
    order = order[(occurred[order] <= cutoff) & (occurred[order] >= start)]
    values = np.concatenate(parts_value)[order]
    return {
        "journey_id": jid[order],
        "occurred_at": ts_column(occurred[order]),
        "channel": np.concatenate(parts_channel)[order],
        "campaign": np.concatenate(parts_campaign)[order],
        "interaction": np.concatenate(parts_interaction)[order],
        "converted": np.concatenate(parts_converted)[order],
        "conversion_value": pa.array(values, mask=np.isnan(values)),
    }
