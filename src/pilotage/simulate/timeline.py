"""Timestamps for simulated events: day indices and lags in days → UTC microseconds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

DAY = np.timedelta64(86_400_000_000, "us")


def day_start(start: dt.date) -> np.datetime64:
    return np.datetime64(start.isoformat(), "us")


def at(start: dt.date, day_index: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Timestamps ``hours`` (fractional) into the days ``day_index`` after ``start``."""
    offset = (np.asarray(day_index, dtype=float) * 24 + hours) * 3_600_000_000
    return day_start(start) + offset.astype("int64").astype("timedelta64[us]")


# Far beyond any simulated period, and far inside int64 microseconds (±292,000 years): a lag
# drawn from a long-tailed distribution (a customer who almost never buys) must not overflow
# into a date in the past.
MAX_LAG_DAYS = 1_000_000.0


def plus_days(ts: np.ndarray, days: np.ndarray) -> np.ndarray:
    lag = np.clip(np.asarray(days, dtype=float), -MAX_LAG_DAYS, MAX_LAG_DAYS)
    return ts + (lag * 86_400_000_000).astype("int64").astype("timedelta64[us]")


def gamma_lag(rng: np.random.Generator, shape_scale: tuple[float, float], n: int) -> np.ndarray:
    shape, scale = shape_scale
    return rng.gamma(shape, scale, size=n)


def ts_column(values: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """A UTC timestamp column; entries where ``present`` is False are null."""
    mask = None if present is None else ~np.asarray(present, dtype=bool)
    return pa.array(values.astype("datetime64[us]"), type=pa.timestamp("us"), mask=mask).cast(
        pa.timestamp("us", tz="UTC")
    )


def as_of(end: dt.date) -> np.datetime64:
    """The moment the data was exported: the end of the last simulated day."""
    return day_start(end) + DAY - np.timedelta64(1, "us")


def ids(prefix: str, n: int, width: int = 6) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def pick(rng: np.random.Generator, options: list[str], weights: np.ndarray, n: int) -> np.ndarray:
    probs = np.asarray(weights, dtype=float)
    return np.array(options, dtype=object)[rng.choice(len(options), size=n, p=probs / probs.sum())]
