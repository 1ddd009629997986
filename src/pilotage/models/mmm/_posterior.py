"""The log posterior of the weekly marketing-mix model, on one unconstrained parameter vector.

Layout of the vector ``z``: the linear baseline coefficients (intercept, trend per year,
Fourier terms, controls), ``log sigma``, the pooled mean of the log ROIs when channels share
one (``pool``), then per channel ``log ROI`` followed by the unconstrained adstock and
saturation parameters. The outcome is divided by its mean and each channel's spend by its mean
weekly spend, so the priors are scale-free.

Parameterising each channel by its ROI (outcome per euro over the fit period) instead of the
raw coefficient β makes the business prior ("between 0.5 and 3 € per €") a plain lognormal on
a parameter: ``β_c = ROI_c · Σ spend_c / (ȳ · Σ_t sat_c(adstock_c(spend_c / scale_c))[t])``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from pilotage.models.mmm.components import Adstock, Saturation

WEEKS_PER_YEAR = 365.25 / 7
Z90 = 1.6448536269514722


@dataclass(frozen=True)
class Lift:
    """A lift test: ``delta_spend`` more (in total) over ``weeks`` gave ``delta_outcome`` ± se."""

    channel: str
    delta_spend: float
    delta_outcome: float
    standard_error: float
    weeks: int = 4


@dataclass
class ChannelSpec:
    name: str
    adstock: Adstock
    saturation: Saturation
    scale: float  # mean weekly spend over the fit period
    total: float  # total spend over the fit period
    current: float  # mean weekly spend over the last 13 fit weeks
    # (mean, sd) of log ROI; for a pooled channel the mean is the pool's, a parameter
    roi_prior: tuple[float, float]
    pooled: bool = False


@dataclass
class Posterior:
    """Data, layout and log density; ``spend`` covers the fit weeks only."""

    channels: list[ChannelSpec]
    spend: np.ndarray  # (weeks, channels)
    baseline: np.ndarray  # (weeks, p) design of the linear baseline
    y: np.ndarray  # outcome divided by y_mean
    y_mean: float
    baseline_prior: list[tuple[float, float]]
    max_lag: int
    lifts: list[Lift] = field(default_factory=list)
    pool: tuple[float, float] | None = None  # (mean, sd) prior of the pooled mean of log ROI

    @property
    def n_linear(self) -> int:
        return self.baseline.shape[1]

    @property
    def n_shared(self) -> int:
        """Parameters before the channel blocks: linear part, log sigma and the pool mean."""
        return self.n_linear + 1 + (self.pool is not None)

    @property
    def size(self) -> int:
        return self.n_shared + sum(len(self._block(c)) for c in self.channels)

    def _block(self, spec: ChannelSpec) -> list[tuple[float, float]]:
        return [spec.roi_prior, *spec.adstock.prior, *spec.saturation.prior]

    def priors(self) -> tuple[np.ndarray, np.ndarray]:
        blocks = [*self.baseline_prior, (math.log(0.1), 1.0)]
        if self.pool is not None:
            blocks.append(self.pool)
        for spec in self.channels:
            blocks.extend(self._block(spec))
        mean, sd = np.array(blocks).T
        return mean, sd

    def channel_slices(self) -> list[slice]:
        out, start = [], self.n_shared
        for spec in self.channels:
            width = len(self._block(spec))
            out.append(slice(start, start + width))
            start += width
        return out

    def unpack(self, z: np.ndarray) -> dict:
        """Natural-scale values: ``gamma``, ``sigma`` and per channel roi/adstock/saturation."""
        channels = []
        for spec, sl in zip(self.channels, self.channel_slices(), strict=True):
            block = z[sl]
            na = len(spec.adstock.prior)
            channels.append(
                {
                    "roi": math.exp(min(float(block[0]), 50.0)),
                    "adstock": spec.adstock.transform(block[1 : 1 + na]),
                    "saturation": spec.saturation.transform(block[1 + na :]),
                }
            )
        return {
            "gamma": z[: self.n_linear],
            "sigma": math.exp(float(z[self.n_linear])),
            "roi_pool": math.exp(float(z[self.n_linear + 1])) if self.pool is not None else None,
            "channels": channels,
        }

    def media(self, values: dict, spend: np.ndarray | None = None) -> tuple[np.ndarray, list]:
        """Scaled weekly contribution per channel (columns) and β per channel.

        β is fixed by the ROI on the fit weeks; ``spend`` (default: the fit weeks) may be a
        longer series for prediction, whose first rows are the fit weeks.
        """
        spend = self.spend if spend is None else spend
        n_fit = len(self.spend)
        out = np.empty(spend.shape)
        betas = []
        for j, (spec, ch) in enumerate(zip(self.channels, values["channels"], strict=True)):
            carried = spec.adstock.apply(spend[:, j] / spec.scale, ch["adstock"], self.max_lag)
            curve = spec.saturation(carried, ch["saturation"])
            mass = float(curve[:n_fit].sum())
            beta = ch["roi"] * spec.total / (self.y_mean * max(mass, 1e-12))
            out[:, j] = beta * curve
            betas.append(beta)
        return out, betas

    def steady_outcome(self, values: dict, betas: list, weekly: np.ndarray) -> np.ndarray:
        """Weekly outcome per channel (in outcome units) at a constant weekly spend."""
        result = np.empty(len(self.channels))
        for j, (spec, ch) in enumerate(zip(self.channels, values["channels"], strict=True)):
            level = spec.saturation(np.array([weekly[j] / spec.scale]), ch["saturation"])[0]
            result[j] = self.y_mean * betas[j] * level
        return result

    def _channel(self, j: int, block: np.ndarray) -> tuple[np.ndarray, float]:
        """Channel ``j``'s scaled weekly contribution (fit weeks) and its lift log-likelihood."""
        spec = self.channels[j]
        na = len(spec.adstock.prior)
        roi = math.exp(min(float(block[0]), 50.0))
        ad = spec.adstock.transform(block[1 : 1 + na])
        sat = spec.saturation.transform(block[1 + na :])
        curve = spec.saturation(
            spec.adstock.apply(self.spend[:, j] / spec.scale, ad, self.max_lag), sat
        )
        beta = roi * spec.total / (self.y_mean * max(float(curve.sum()), 1e-12))
        loglik = 0.0
        for lift in self.lifts:
            if lift.channel != spec.name:
                continue
            now = np.array([spec.current / spec.scale])
            more = now + lift.delta_spend / lift.weeks / spec.scale
            step = float(spec.saturation(more, sat)[0] - spec.saturation(now, sat)[0])
            predicted = lift.weeks * self.y_mean * beta * step
            loglik -= 0.5 * ((lift.delta_outcome - predicted) / lift.standard_error) ** 2
        return beta * curve, loglik

    def _combine(self, z: np.ndarray, columns: np.ndarray, lifts: np.ndarray) -> float:
        sigma = math.exp(float(z[self.n_linear]))
        resid = self.y - self.baseline @ z[: self.n_linear] - columns.sum(axis=1)
        loglik = -len(resid) * math.log(sigma) - 0.5 * float(resid @ resid) / sigma**2
        mean, sd = self._prior
        if self.pool is not None:
            mean = mean.copy()
            mean[self.pooled_positions] = z[self.n_linear + 1]
        value = loglik + float(lifts.sum()) - 0.5 * float((((z - mean) / sd) ** 2).sum())
        return value if math.isfinite(value) else -np.inf

    def _parts(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        columns = np.empty(self.spend.shape)
        lifts = np.zeros(len(self.channels))
        for j, sl in enumerate(self.channel_slices()):
            columns[:, j], lifts[j] = self._channel(j, z[sl])
        return columns, lifts

    @property
    def _prior(self) -> tuple[np.ndarray, np.ndarray]:
        if not hasattr(self, "_prior_cache"):
            self._prior_cache = self.priors()
        return self._prior_cache

    @property
    def pooled_positions(self) -> list[int]:
        """Positions of the pooled channels' log ROI in ``z``."""
        if not hasattr(self, "_pooled_cache"):
            self._pooled_cache = [
                sl.start
                for spec, sl in zip(self.channels, self.channel_slices(), strict=True)
                if spec.pooled
            ]
        return self._pooled_cache

    def log_density(self, z: np.ndarray) -> float:
        """Log posterior (up to a constant): Gaussian likelihood, lift tests, normal priors."""
        if not np.all(np.isfinite(z)):
            return -np.inf
        columns, lifts = self._parts(z)
        return self._combine(z, columns, lifts)

    def gradient(self, z: np.ndarray, h: float = 1e-5) -> np.ndarray:
        """Central differences, recomputing only the channel whose parameter moves."""
        columns, lifts = self._parts(z)
        g = np.empty_like(z)
        for i in range(self.n_shared):
            e = np.zeros_like(z)
            e[i] = h
            g[i] = (self._combine(z + e, columns, lifts) - self._combine(z - e, columns, lifts)) / (
                2 * h
            )
        for j, sl in enumerate(self.channel_slices()):
            for i in range(sl.start, sl.stop):
                values = []
                for sign in (1, -1):
                    zz = z.copy()
                    zz[i] += sign * h
                    cols, lf = columns.copy(), lifts.copy()
                    cols[:, j], lf[j] = self._channel(j, zz[sl])
                    values.append(self._combine(zz, cols, lf))
                g[i] = (values[0] - values[1]) / (2 * h)
        return g


def hessian(post: Posterior, z: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """Central differences of the gradient at ``z``, symmetrised."""
    n = len(z)
    hess = np.empty((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = h
        hess[:, i] = (post.gradient(z + e) - post.gradient(z - e)) / (2 * h)
    return (hess + hess.T) / 2


def lognormal_from_interval(low: float, high: float) -> tuple[float, float]:
    """(mean, sd) of log X when ``[low, high]`` is X's central 90% interval."""
    if not 0 < low < high:
        raise ValueError(f"an ROI prior interval needs 0 < low < high, got ({low}, {high})")
    return (math.log(low) + math.log(high)) / 2, (math.log(high) - math.log(low)) / (2 * Z90)


def pooled_prior(low: float, high: float, correlation: float) -> tuple[tuple, float]:
    """Split the default ROI prior into a shared mean and a spread around it.

    Each pooled channel's log ROI is ``μ + τ·ε``, ``μ ~ N(m, s_μ)``: with
    ``s_μ² = ρ·S²`` and ``τ² = (1 − ρ)·S²`` each channel keeps the marginal prior N(m, S)
    of ``[low, high]`` while any two are correlated ``ρ`` a priori, so the channels the data
    cannot tell apart borrow the level the data gives all of them together.
    Returns ``((m, s_μ), τ)``.
    """
    if not 0 <= correlation < 1:
        raise ValueError(f"roi_pooling must be in [0, 1), got {correlation}")
    mean, sd = lognormal_from_interval(low, high)
    return (mean, sd * math.sqrt(correlation)), sd * math.sqrt(1 - correlation)
