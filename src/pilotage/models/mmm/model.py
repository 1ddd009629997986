"""The weekly marketing-mix model: fit by MAP + Laplace approximation, outputs, response curves.

``outcome_t = intercept + trend·t + Σ_k (a_k sin + b_k cos)(2πk·doy/365.25) + Σ controls
+ Σ_c β_c · sat_c(adstock_c(spend_c / scale_c))_t + ε_t``, ε ~ N(0, σ²). See docs/mmm.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize

from pilotage.models.mmm._posterior import (
    WEEKS_PER_YEAR,
    ChannelSpec,
    Lift,
    Posterior,
    hessian,
    lognormal_from_interval,
    pooled_prior,
)
from pilotage.models.mmm.components import (
    DEFAULT_ADSTOCK,
    DEFAULT_SATURATION,
    adstock_form,
    saturation_form,
)
from pilotage.models.mmm.report import summary_text

CURRENT_WEEKS = 13
START_ROI = (0.05, 20.0)  # where the least-squares start holds the ROIs (see _optimise)
STALLED = 1.5  # a fit whose noise is this many times the least squares' has stalled
PRIOR_CONFLICT_SD = 4.0  # prior sds of log ROI beyond which the data overrule the prior
# a channel whose 90% ROI interval is still this wide, as a share of its prior interval's
# width (in log terms), learned little from the data: its figures mostly repeat the prior
WEAKLY_IDENTIFIED_WIDTH = 0.8
SATURATION_FRACTION = 0.8
FIRST_STEP = 0.1  # of the mean weekly spend: the marginal ROI of a channel idle now
DEFAULT_ROI_INTERVAL = (0.2, 8.0)
DEFAULT_ROI_POOLING = 0.25


class NotConvergedError(RuntimeError):
    """The fit cannot be trusted; the message says why in plain words."""


class MarketingMixModel:
    """Weekly MMM with geometric/delayed adstock and Michaelis–Menten/Hill/logistic saturation.

    ``adstock`` and ``saturation`` are a registered name or a mapping channel → name (a
    channel left out gets the default: geometric carry-over, Michaelis–Menten saturation — the
    Hill curve with its shape fixed at 1);
    ``roi_priors`` maps a channel to the central 90% prior interval of its ROI (outcome per €
    over the fit period); the channels without one share a learned level of returns, each
    keeping the default interval, correlated ``roi_pooling`` a priori (0 = independent);
    ``lift_tests`` are :class:`Lift` results added to the likelihood.

    >>> rng = np.random.default_rng(0)
    >>> spend = {"tv": rng.gamma(2.0, 50.0, 104)}
    >>> y = 1000 + 2 * spend["tv"] + rng.normal(0, 20, 104)
    >>> model = MarketingMixModel(holdout_weeks=0).fit(spend, y)
    >>> model.channels
    ('tv',)
    """

    def __init__(
        self,
        *,
        adstock: str | Mapping[str, str] = DEFAULT_ADSTOCK,
        saturation: str | Mapping[str, str] = DEFAULT_SATURATION,
        max_lag: int = 12,
        fourier_order: int = 2,
        roi_priors: Mapping[str, tuple[float, float]] | None = None,
        default_roi_interval: tuple[float, float] = DEFAULT_ROI_INTERVAL,
        roi_pooling: float = DEFAULT_ROI_POOLING,
        lift_tests: Sequence[Lift] = (),
        holdout_weeks: int = 13,
        n_draws: int = 1000,
        max_iter: int = 3000,
        random_state: int | None = 0,
    ) -> None:
        self.adstock = adstock
        self.saturation = saturation
        self.max_lag = max_lag
        self.fourier_order = fourier_order
        self.roi_priors = roi_priors
        self.default_roi_interval = default_roi_interval
        self.roi_pooling = roi_pooling
        self.lift_tests = lift_tests
        self.holdout_weeks = holdout_weeks
        self.n_draws = n_draws
        self.max_iter = max_iter
        self.random_state = random_state

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _PARAMS}

    # ---- fit -------------------------------------------------------------------------------

    def fit(
        self,
        spend: Mapping[str, ArrayLike],
        y: ArrayLike,
        *,
        dates: Sequence[Any] | None = None,
        controls: Mapping[str, ArrayLike] | None = None,
    ) -> MarketingMixModel:
        """Fit on weekly ``spend`` (channel → array) and outcome ``y``; returns ``self``."""
        data = _weekly_data(spend, y, dates, controls)
        n = len(data["y"])
        if n < 26:
            raise ValueError(f"an MMM needs at least 26 weeks of data, got {n}")
        if not 1 <= self.max_lag <= 52:
            raise ValueError(f"max_lag must be between 1 and 52 weeks, got {self.max_lag}")
        self._data = data
        self._setup(data)
        self._optimise()
        self._draw()
        self.holdout_ = self._holdout(data) if self.holdout_weeks else None
        return self

    def _setup(self, data: dict) -> None:
        names = list(data["spend"])
        spend = np.column_stack([data["spend"][c] for c in names])
        if np.any(spend < 0) or not np.all(np.isfinite(spend)):
            raise ValueError("spend must be finite and not negative")
        y = data["y"]
        y_mean = float(np.mean(y))
        if not y_mean > 0:
            raise ValueError("the outcome's mean must be positive")
        roi_priors = dict(self.roi_priors or {})
        unknown = set(roi_priors) - set(names)
        if unknown:
            raise ValueError(f"roi_priors name unknown channels: {', '.join(sorted(unknown))}")
        defaulted = [n for n in names if n not in roi_priors]
        pool, spread = None, 0.0
        if self.roi_pooling and len(defaulted) >= 2:
            pool, spread = pooled_prior(*self.default_roi_interval, self.roi_pooling)
        elif not 0 <= self.roi_pooling < 1:
            raise ValueError(f"roi_pooling must be in [0, 1), got {self.roi_pooling}")
        specs = []
        for j, name in enumerate(names):
            col = spend[:, j]
            if col.sum() <= 0:
                raise ValueError(f"channel {name!r} has no spend in the fit period")
            interval = roi_priors.get(name, self.default_roi_interval)
            roi_prior = lognormal_from_interval(*interval)
            pooled = pool is not None and name not in roi_priors
            if pooled:
                roi_prior = (roi_prior[0], spread)
            specs.append(
                ChannelSpec(
                    name=name,
                    adstock=adstock_form(_pick(self.adstock, name, DEFAULT_ADSTOCK)),
                    saturation=saturation_form(_pick(self.saturation, name, DEFAULT_SATURATION)),
                    scale=float(col.mean()),
                    total=float(col.sum()),
                    current=float(col[-CURRENT_WEEKS:].mean()),
                    roi_prior=roi_prior,
                    pooled=pooled,
                )
            )
        for lift in self.lift_tests:
            if lift.channel not in names:
                raise ValueError(f"lift test on unknown channel {lift.channel!r}")
            if not lift.standard_error > 0:
                raise ValueError("a lift test's standard error must be positive")
        self.channels: tuple[str, ...] = tuple(names)
        self.control_names_ = tuple(data["controls"])
        self._origin = data["dates"][0]
        self._control_stats = {
            k: (float(v.mean()), float(v.std()) or 1.0) for k, v in data["controls"].items()
        }
        base, prior = self._design(data["dates"], data["controls"])
        self._post = Posterior(
            channels=specs,
            spend=spend,
            baseline=base,
            y=y / y_mean,
            y_mean=y_mean,
            baseline_prior=prior,
            max_lag=self.max_lag,
            lifts=list(self.lift_tests),
            pool=pool,
        )
        self.spend_ranges_ = {
            c: (float(spend[:, j].min()), float(spend[:, j].max())) for j, c in enumerate(names)
        }

    def _design(self, dates: np.ndarray, controls: Mapping[str, np.ndarray]) -> tuple:
        t = (dates - self._origin).astype(float) / 7 / WEEKS_PER_YEAR
        doy = (dates - dates.astype("datetime64[Y]")).astype(float)
        cols = [np.ones(len(dates)), t]
        prior = [(0.5, 1.0), (0.0, 0.5)]
        for k in range(1, self.fourier_order + 1):
            angle = 2 * np.pi * k * doy / 365.25
            cols += [np.sin(angle), np.cos(angle)]
            prior += [(0.0, 0.5), (0.0, 0.5)]
        for name in self.control_names_:
            mean, sd = self._control_stats[name]
            cols.append((np.asarray(controls[name], dtype=float) - mean) / sd)
            prior.append((0.0, 0.5))
        return np.column_stack(cols), prior

    def _start(self, roi_range: tuple[float, float] = START_ROI) -> np.ndarray:
        """Prior means for the curves; least squares (β ≥ 0) for the linear part and ROIs."""
        post = self._post
        mean, _ = post.priors()
        z = mean.copy()
        values = post.unpack(z)
        media, betas = post.media(values)
        features = media / np.array(betas)
        design = np.column_stack([post.baseline, features])
        lower = np.r_[np.full(post.n_linear, -np.inf), np.zeros(len(betas))]
        fit = optimize.lsq_linear(design, post.y, bounds=(lower, np.inf))
        z[: post.n_linear] = fit.x[: post.n_linear]
        resid = post.y - design @ fit.x
        z[post.n_linear] = math.log(max(float(resid.std()), 1e-3))
        for j, (spec, sl) in enumerate(zip(post.channels, post.channel_slices(), strict=True)):
            beta = fit.x[post.n_linear + j]
            roi = beta * post.y_mean * features[:, j].sum() / spec.total
            z[sl.start] = math.log(min(max(roi, roi_range[0]), roi_range[1]))
        if post.pool is not None:
            z[post.n_linear + 1] = float(np.mean(z[post.pooled_positions]))
        return z

    def _optimise(self) -> None:
        post = self._post

        def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
            f = -post.log_density(z)
            if not math.isfinite(f):
                return 1e300, np.zeros_like(z)
            return f, -post.gradient(z)

        def run(start: np.ndarray, ftol: float) -> optimize.OptimizeResult:
            options = {"maxiter": self.max_iter, "maxfun": 4 * self.max_iter, "gtol": 1e-6}
            return optimize.minimize(
                objective, start, jac=True, method="L-BFGS-B", options=options | {"ftol": ftol}
            )

        # The start holds each ROI within START_ROI: a start far out on a collinear ridge is a
        # poor one. But when spend is counted in another unit than the outcome (thousands,
        # impressions) the returns per unit are in the thousands, and from the held start the
        # fit stalls near the prior with a noise level far above the least squares' own: then
        # it also starts from the ROIs as the least squares give them, and keeps the better.
        held = self._start()
        result = run(held, POLISH_FTOL[0])
        n_iter = int(result.nit)
        noise = math.exp(float(result.x[post.n_linear]))
        if noise > STALLED * math.exp(float(held[post.n_linear])):
            free = self._start((1e-6, 1e9))
            if not np.allclose(held, free):
                other = run(free, POLISH_FTOL[0])
                n_iter += int(other.nit)
                result = min((result, other), key=lambda r: r.fun)
        hess = -hessian(post, result.x)
        if not _positive_definite(hess) and result.success:
            # L-BFGS stops when f barely moves, which on a flat ridge can be short of the peak
            # (seen: a saddle whose curvature is negative): go on from there with a tighter
            # tolerance, which costs iterations only on the fits that need it
            result = run(result.x, POLISH_FTOL[1])
            n_iter += int(result.nit)
            hess = -hessian(post, result.x)
        z = result.x
        self.optimizer_message_ = str(result.message)
        self.n_iter_ = n_iter
        self.params_ = z
        self.log_posterior_ = float(post.log_density(z))
        reasons = []
        if not result.success:
            reasons.append(
                f"the optimiser stopped before reaching the best fit ({result.message}); "
                "raise max_iter or simplify the model (fewer channels or controls)"
            )
        if _positive_definite(hess):
            self.covariance_ = np.linalg.inv(hess)
            self._chol = np.linalg.cholesky(self.covariance_)
            self.log_evidence_: float | None = self._log_evidence()
        else:
            self.log_evidence_ = None
            reasons.append(
                "the fit is not a clear peak of the posterior (its curvature is not positive "
                "in every direction), so intervals cannot be computed; some parameters are "
                "not identified by the data — add prior knowledge (roi_priors) or a lift test"
            )
            self.covariance_ = np.diag(post.priors()[1] ** 2)
            self._chol = np.linalg.cholesky(self.covariance_)
        reasons.extend(self._boundary_reasons(post.unpack(z)))
        self.convergence_reasons_ = reasons
        self.converged_ = not reasons

    def _log_evidence(self) -> float:
        """Laplace's log marginal likelihood, up to the likelihood's constant (the same for any
        choice of forms on the same data): log p(y, θ̂) with the priors' normalising constants,
        + ½ log |Σ| (the d/2 log 2π of the priors and of the Gaussian cancel)."""
        _, sd = self._post.priors()
        return (
            self.log_posterior_
            - float(np.log(sd).sum())
            + 0.5 * float(np.linalg.slogdet(self.covariance_)[1])
        )

    def _boundary_reasons(self, values: dict) -> list[str]:
        reasons = []
        outcome = float(self._post.y.sum() * self._post.y_mean)
        for spec, ch in zip(self._post.channels, values["channels"], strict=True):
            if ch["adstock"]["decay"] > 0.99:
                reasons.append(
                    f"{spec.name}: the carry-over never fades within {self.max_lag} weeks "
                    "(decay at its upper limit), so its effect cannot be told from the baseline"
                )
            for key, value in ch["saturation"].items():
                if key in ("half_saturation", "scale_ratio") and not 0.02 < value < 50:
                    reasons.append(
                        f"{spec.name}: the saturation point is at the edge of what the data "
                        f"can show ({key} = {value:.3g} × the mean weekly spend)"
                    )
                if key == "shape" and not 0.2 < value < 10:
                    reasons.append(f"{spec.name}: the saturation shape is at a limit ({value:.3g})")
            # unit-free: spend may be counted in thousands or impressions, so an ROI in the
            # thousands is not absurd in itself, but a channel worth more than the outcome is
            if ch["roi"] * spec.total > outcome:
                reasons.append(
                    f"{spec.name}: the fit gives it more than the whole outcome "
                    f"(ROI {ch['roi']:.3g}), an effect the data cannot hold"
                )
            elif ch["roi"] < 1e-4:
                reasons.append(f"{spec.name}: the ROI is at an extreme ({ch['roi']:.3g})")
        return reasons

    def _prior_conflicts(self) -> list[dict[str, Any]]:
        """Channels whose ROI (at the posterior mode) lies far outside its prior interval —
        more than ``PRIOR_CONFLICT_SD`` prior standard deviations of log ROI from its centre:
        ``channel``, ``roi``, ``prior_low``, ``prior_high`` and a plain-words ``message``."""
        post = self._post
        out = []
        for spec, ch in zip(post.channels, self._map_values["channels"], strict=True):
            interval = self._prior_interval(spec.name)
            centre, sd = lognormal_from_interval(*interval)
            distance = (math.log(ch["roi"]) - centre) / sd
            if abs(distance) > PRIOR_CONFLICT_SD:
                where = "above" if distance > 0 else "below"
                message = (
                    f"{spec.name}: the data put its ROI at {ch['roi']:.3g}, far {where} its "
                    f"prior interval {interval[0]:g}–{interval[1]:g}, and outweigh the prior; "
                    "is spend counted in the same unit as the outcome (not in thousands, cents "
                    "or impressions)?"
                )
                out.append(
                    {
                        "channel": spec.name,
                        "roi": ch["roi"],
                        "prior_low": float(interval[0]),
                        "prior_high": float(interval[1]),
                        "message": message,
                    }
                )
        return out

    def _prior_interval(self, channel: str) -> tuple[float, float]:
        """The 90% interval of the channel's ROI stated before the data (or the default)."""
        return (self.roi_priors or {}).get(channel, self.default_roi_interval)

    def _roi_draws(self, j: int) -> np.ndarray:
        """Channel ``j``'s ROI in every posterior draw."""
        return np.array([v["channels"][j]["roi"] for v in self._draw_values])

    def _weakly_identified(self) -> list[dict[str, Any]]:
        """Channels whose 90% ROI interval is at least ``WEAKLY_IDENTIFIED_WIDTH`` as wide as
        their prior interval (log widths): the data narrowed what was assumed before them by
        less than a fifth, so their figures mostly repeat the assumption. ``channel``,
        ``narrowing`` (1 − the width ratio), ``roi_low``, ``roi_high``, ``prior_low``,
        ``prior_high`` and a plain-words ``message``. On the recovery study such channels'
        ROI error was about twice the others' (docs/mmm.md)."""
        out = []
        for j, spec in enumerate(self._post.channels):
            interval = self._prior_interval(spec.name)
            rois = self._roi_draws(j)
            low, high = (float(q) for q in np.quantile(rois, [0.05, 0.95]))
            ratio = math.log(high / low) / math.log(interval[1] / interval[0])
            if ratio < WEAKLY_IDENTIFIED_WIDTH:
                continue
            narrowing = max(0.0, 1.0 - ratio)
            out.append(
                {
                    "channel": spec.name,
                    "narrowing": narrowing,
                    "roi_low": low,
                    "roi_high": high,
                    "prior_low": float(interval[0]),
                    "prior_high": float(interval[1]),
                    "message": (
                        f"{spec.name}: the data narrowed the range of its return by "
                        f"{narrowing:.0%} (90% interval {low:.3g}–{high:.3g} against "
                        f"{interval[0]:g}–{interval[1]:g} assumed before them), so its figures "
                        "mostly repeat that assumption; a lift test would measure it"
                    ),
                }
            )
        return out

    def _draw(self) -> None:
        rng = np.random.default_rng(self.random_state)
        normal = rng.standard_normal((self.n_draws, len(self.params_)))
        self.draws_ = self.params_ + normal @ self._chol.T
        post = self._post
        self._draw_values = [post.unpack(z) for z in self.draws_]
        self._draw_betas = [post.media(v)[1] for v in self._draw_values]
        self._map_values = post.unpack(self.params_)
        self._map_media, self._map_betas = post.media(self._map_values)
        # per channel: β and the saturation parameters of every draw, as arrays, so a steady
        # weekly spend is evaluated on all draws at once
        self._draw_curves = [
            (
                np.array([b[j] for b in self._draw_betas]),
                {
                    key: np.array([v["channels"][j]["saturation"][key] for v in self._draw_values])
                    for key in spec.saturation.params
                },
            )
            for j, spec in enumerate(post.channels)
        ]

    def _holdout(self, data: dict) -> dict[str, float] | None:
        h = self.holdout_weeks
        n = len(data["y"])
        if n - h < 52:
            return None
        head = {
            "spend": {c: v[: n - h] for c, v in data["spend"].items()},
            "controls": {c: v[: n - h] for c, v in data["controls"].items()},
        }
        params = self.get_params() | {"holdout_weeks": 0, "n_draws": 10}
        early = MarketingMixModel(**params).fit(
            head["spend"],
            data["y"][: n - h],
            dates=data["dates"][: n - h],
            controls=head["controls"],
        )
        predicted = early.predict(data["spend"], dates=data["dates"], controls=data["controls"])
        actual = data["y"][n - h :]
        return {
            "weeks": h,
            "mape": _mape(actual, predicted[n - h :]),
            "r2": _r2(actual, predicted[n - h :]),
        }

    # ---- predictions and outputs -------------------------------------------------------------

    def predict(
        self,
        spend: Mapping[str, ArrayLike],
        *,
        dates: Sequence[Any] | None = None,
        controls: Mapping[str, ArrayLike] | None = None,
    ) -> np.ndarray:
        """Expected weekly outcome (MAP) for a series that starts with the fit weeks' spend."""
        weeks = len(np.asarray(next(iter(spend.values()))))
        data = _weekly_data(spend, np.zeros(weeks), dates, controls)
        if tuple(data["spend"]) != self.channels:
            raise ValueError(f"predict needs the channels {', '.join(self.channels)} in order")
        base, _ = self._design(data["dates"], data["controls"])
        matrix = np.column_stack([data["spend"][c] for c in self.channels])
        media, _ = self._post.media(self._map_values, matrix)
        return self._post.y_mean * (base @ self._map_values["gamma"] + media.sum(axis=1))

    def fitted(self) -> np.ndarray:
        post = self._post
        return post.y_mean * (post.baseline @ self._map_values["gamma"] + self._map_media.sum(1))

    def diagnostics(self) -> dict[str, Any]:
        y = self._post.y * self._post.y_mean
        resid = y - self.fitted()
        return {
            "r2": _r2(y, self.fitted()),
            "mape": _mape(y, self.fitted()),
            "durbin_watson": float(np.sum(np.diff(resid) ** 2) / np.sum(resid**2)),
            "holdout": self.holdout_,
            "converged": self.converged_,
            "convergence_reasons": list(self.convergence_reasons_),
            "prior_conflicts": self._prior_conflicts(),
            "weakly_identified": self._weakly_identified(),
            "weeks": len(y),
            "iterations": self.n_iter_,
        }

    def channel_results(self) -> dict[str, dict[str, float]]:
        """Per channel: ROI and marginal ROI with 90% intervals, contribution share, half-life,
        saturation point (weekly spend at 80% of the curve's maximum).

        ``roi`` and ``mroi`` are means over the posterior draws (``mroi`` is the slope of
        :meth:`outcome`); ``roi_mode`` and ``mroi_mode`` are at the posterior mode, the most
        likely values, lower when the channel is uncertain (its posterior is skewed right)."""
        post = self._post
        total = float(self.fitted().sum())
        out = {}
        for j, spec in enumerate(post.channels):
            ch = self._map_values["channels"][j]
            rois = self._roi_draws(j)
            mrois = np.array(
                [
                    self._mroi(j, v, b)
                    for v, b in zip(self._draw_values, self._draw_betas, strict=True)
                ]
            )
            contribution = post.y_mean * float(self._map_media[:, j].sum())
            out[spec.name] = {
                "roi": float(rois.mean()),
                "roi_mode": ch["roi"],
                "roi_low": float(np.quantile(rois, 0.05)),
                "roi_high": float(np.quantile(rois, 0.95)),
                "mroi": float(mrois.mean()),
                "mroi_mode": self._mroi(j, self._map_values, self._map_betas),
                "mroi_low": float(np.quantile(mrois, 0.05)),
                "mroi_high": float(np.quantile(mrois, 0.95)),
                "contribution": contribution,
                "contribution_share": contribution / total,
                "spend": spec.total,
                "current_weekly_spend": spec.current,
                "half_life_weeks": spec.adstock.half_life(ch["adstock"], self.max_lag),
                "saturation_weekly_spend": spec.scale
                * spec.saturation.level(SATURATION_FRACTION, ch["saturation"]),
                "adstock": spec.adstock.name,
                "saturation": spec.saturation.name,
            }
        return out

    def contributions(self, n: int | None = None) -> dict[str, Any]:
        """Week by week over the fit period: what drove the outcome.

        ``dates`` (the weeks, ``datetime.date``), ``actual`` (the outcome), ``baseline``
        (intercept, trend, seasonality and controls) and ``channels`` (name → that channel's
        contribution that week, carry-over of earlier weeks' spend included), all in outcome
        units. Each series is ``{"mean", "low", "high", "mode"}``: the mean over the first ``n``
        posterior draws (all by default), its 90% interval, and the series at the posterior
        mode. With all the draws, a channel's mean contribution summed over the weeks is its
        ``channel_results`` ROI × its spend (both are means of the same draws). The modes add
        up, week by week, to the model's fit of the outcome; the means do not: the draws of a
        weakly identified channel are skewed (log-normal), so the means of baseline and
        channels together run above the outcome (7–15% on the demo markets) — a chart that
        stacks them should stack the modes."""
        if n is not None and not 0 < n <= len(self._draw_values):
            raise ValueError(f"n must be between 1 and {len(self._draw_values)} (n_draws)")
        draws = self._draw_values if n is None else self._draw_values[:n]
        post = self._post
        media = np.stack([post.media(v)[0] for v in draws])  # (draws, weeks, channels)
        base = np.stack([post.baseline @ v["gamma"] for v in draws])  # (draws, weeks)

        media_mode = post.media(self._map_values)[0]  # (weeks, channels)
        base_mode = post.baseline @ self._map_values["gamma"]

        def band(values: np.ndarray, mode: np.ndarray) -> dict[str, np.ndarray]:
            low, high = np.quantile(values, [0.05, 0.95], axis=0)
            scale = post.y_mean
            return {
                "mean": scale * values.mean(axis=0),
                "low": scale * low,
                "high": scale * high,
                "mode": scale * mode,
            }

        return {
            "dates": [d.item() for d in self._data["dates"]],
            "actual": post.y * post.y_mean,
            "baseline": band(base, base_mode),
            "channels": {
                spec.name: band(media[:, :, j], media_mode[:, j])
                for j, spec in enumerate(post.channels)
            },
        }

    def summary_text(
        self, language: str = "en", *, currency: str = "EUR", outcome: str = "revenue"
    ) -> str:
        """One paragraph: ROI and marginal ROI per channel with intervals, fit quality, in the
        outcome's unit (``revenue`` in ``currency``; ``leads`` or ``customers`` per 1,000 of
        it)."""
        return summary_text(
            self.channel_results(),
            self.diagnostics(),
            language,
            currency=currency,
            outcome=outcome,
        )

    def _mroi(self, j: int, values: dict, betas: list) -> float:
        """d(weekly outcome)/d(weekly spend) at the current spend, at steady state.

        A channel that spends (next to) nothing now — a trade show out of season — has no
        meaningful slope there (a Hill curve with shape < 1 is vertical at 0, one above 1 flat):
        its marginal ROI is the return of the next ``FIRST_STEP`` × its mean weekly spend."""
        spec = self._post.channels[j]
        params = values["channels"][j]["saturation"]
        x = spec.current / spec.scale
        if x < FIRST_STEP:
            ends = spec.saturation(np.array([x, x + FIRST_STEP]), params)
            slope = float(ends[1] - ends[0]) / FIRST_STEP
        else:
            slope = float(spec.saturation.derivative(np.array([x]), params)[0])
        return float(self._post.y_mean * betas[j] * slope / spec.scale)

    # ---- response interface for the budget optimiser ---------------------------------------

    def _check(self) -> None:
        if not getattr(self, "converged_", False):
            why = "; ".join(getattr(self, "convergence_reasons_", ["the model is not fitted"]))
            raise NotConvergedError(f"no recommendation from a model that did not converge: {why}")

    def _weekly(self, allocation: Mapping[str, float], weeks: int) -> np.ndarray:
        if weeks <= 0:
            raise ValueError("weeks must be positive")
        unknown = set(allocation) - set(self.channels)
        if unknown:
            raise ValueError(f"unknown channels in the allocation: {', '.join(sorted(unknown))}")
        return np.array([float(allocation.get(c, 0.0)) / weeks for c in self.channels])

    def outcome(self, allocation: Mapping[str, float], weeks: int) -> float:
        """Expected media-driven outcome over ``weeks`` weeks of steady weekly spend: the mean
        over the posterior draws (what a decision should maximise; the outcome at the most
        likely parameters, :meth:`outcome_at_mode`, ignores how uncertain they are)."""
        self._check()
        return float(self._steady_draws(self._weekly(allocation, weeks)).mean()) * weeks

    def outcome_at_mode(self, allocation: Mapping[str, float], weeks: int) -> float:
        """:meth:`outcome` at the posterior mode (the MAP parameters)."""
        self._check()
        weekly = self._weekly(allocation, weeks)
        return float(
            weeks * self._post.steady_outcome(self._map_values, self._map_betas, weekly).sum()
        )

    def outcome_draws(
        self, allocation: Mapping[str, float], weeks: int, n: int = 200
    ) -> np.ndarray:
        """:meth:`outcome` for the first ``n`` posterior draws (fixed by ``random_state``)."""
        self._check()
        if n > len(self._draw_values):
            raise ValueError(f"only {len(self._draw_values)} draws are kept (n_draws)")
        return self._steady_draws(self._weekly(allocation, weeks))[:n] * weeks

    def _steady_draws(self, weekly: np.ndarray) -> np.ndarray:
        """Weekly outcome of a steady weekly spend, summed over channels, for every draw."""
        total = np.zeros(len(self._draw_values))
        for j, (spec, (betas, params)) in enumerate(
            zip(self._post.channels, self._draw_curves, strict=True)
        ):
            if weekly[j] > 0:
                total += betas * spec.saturation(weekly[j] / spec.scale, params)
        return self._post.y_mean * total

    def spend_range(self, channel: str) -> tuple[float, float]:
        """Min and max weekly spend of ``channel`` in the fit data."""
        return self.spend_ranges_[channel]

    def current_allocation(self, weeks: int) -> dict[str, float]:
        """Mean weekly spend of the last 13 fit weeks × ``weeks``."""
        return {spec.name: spec.current * weeks for spec in self._post.channels}

    # ---- persistence --------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the settings, the weekly data, the MAP and the covariance as JSON (no pickle)."""
        params = self.get_params()
        params["lift_tests"] = [vars(lift) for lift in self.lift_tests]
        params["roi_priors"] = {k: list(v) for k, v in (self.roi_priors or {}).items()}
        params["default_roi_interval"] = list(self.default_roi_interval)
        data = self._data
        doc = {
            "format": "pilotage-mmm/1",
            "settings": params,
            "data": {
                # the orders, explicitly: a JSON object's key order is not kept everywhere
                # (PostgreSQL's jsonb sorts keys), and the parameters follow these orders
                "channel_order": list(data["spend"]),
                "control_order": list(data["controls"]),
                "dates": [str(d) for d in data["dates"]],
                "spend": {c: v.tolist() for c, v in data["spend"].items()},
                "controls": {c: v.tolist() for c, v in data["controls"].items()},
                "y": data["y"].tolist(),
            },
            "scaling": {
                "y_mean": self._post.y_mean,
                "channels": {
                    s.name: {
                        "scale": s.scale,
                        "total": s.total,
                        "current": s.current,
                        "adstock": s.adstock.name,
                        "saturation": s.saturation.name,
                    }
                    for s in self._post.channels
                },
            },
            "spend_ranges": self.spend_ranges_,
            "params": self.params_.tolist(),
            "covariance": self.covariance_.tolist(),
            "converged": self.converged_,
            "convergence_reasons": self.convergence_reasons_,
            "optimizer_message": self.optimizer_message_,
            "n_iter": self.n_iter_,
            "holdout": self.holdout_,
            "log_evidence": self.log_evidence_,
        }
        Path(path).write_text(json.dumps(doc, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> MarketingMixModel:
        """Rebuild a model written by :meth:`save` (same draws: they come from ``random_state``)."""
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        if doc.get("format") != "pilotage-mmm/1":
            raise ValueError(f"{path} is not a Pilotage MMM file")
        settings = doc["settings"]
        settings["lift_tests"] = tuple(Lift(**x) for x in settings["lift_tests"])
        settings["roi_priors"] = {k: tuple(v) for k, v in settings["roi_priors"].items()}
        settings["default_roi_interval"] = tuple(settings["default_roi_interval"])
        settings.setdefault("roi_pooling", 0.0)  # files written before pooling existed
        d = doc["data"]
        order = d.get("channel_order", list(d["spend"]))
        fitted_forms = doc["scaling"]["channels"]
        for key, default_then in (("adstock", "geometric"), ("saturation", "hill")):
            # each channel's form as it was fitted, whatever the default is now: the file
            # names it per channel; files that did not, left the unnamed channels to the
            # default of their time (the free-shape Hill curve until 2026-12-08)
            named = settings[key]
            settings[key] = {
                c: fitted_forms[c].get(key) or _pick(named, c, default_then) for c in order
            }
        model = cls(**settings)
        spend = {c: d["spend"][c] for c in order}
        controls = {c: d["controls"][c] for c in d.get("control_order", d["controls"])}
        data = _weekly_data(spend, d["y"], d["dates"], controls)
        model._data = data
        model._setup(data)
        model.params_ = np.array(doc["params"])
        model.covariance_ = np.array(doc["covariance"])
        model._chol = np.linalg.cholesky(model.covariance_)
        model.converged_ = doc["converged"]
        model.convergence_reasons_ = doc["convergence_reasons"]
        model.optimizer_message_ = doc["optimizer_message"]
        model.n_iter_ = doc["n_iter"]
        model.holdout_ = doc["holdout"]
        model.log_posterior_ = float(model._post.log_density(model.params_))
        model.log_evidence_ = doc.get("log_evidence")  # files written before: None
        model._draw()
        return model


POLISH_FTOL = (2.2e-9, 1e-12)  # L-BFGS-B's default relative tolerance on f, then the polish


def _positive_definite(matrix: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return False
    return True


_PARAMS = (
    "adstock",
    "saturation",
    "max_lag",
    "fourier_order",
    "roi_priors",
    "default_roi_interval",
    "roi_pooling",
    "lift_tests",
    "holdout_weeks",
    "n_draws",
    "max_iter",
    "random_state",
)


def _pick(choice: str | Mapping[str, str], channel: str, default: str) -> str:
    return choice if isinstance(choice, str) else choice.get(channel, default)


def _weekly_data(
    spend: Mapping[str, ArrayLike],
    y: ArrayLike,
    dates: Sequence[Any] | None,
    controls: Mapping[str, ArrayLike] | None,
) -> dict[str, Any]:
    if not spend:
        raise ValueError("give at least one channel's spend")
    out_y = np.asarray(y, dtype=float)
    n = len(out_y)
    columns = {str(c): np.asarray(v, dtype=float) for c, v in spend.items()}
    ctrl = {str(c): np.asarray(v, dtype=float) for c, v in (controls or {}).items()}
    for name, col in {**columns, **ctrl}.items():
        if col.shape != (n,):
            raise ValueError(f"column {name!r} has {len(col)} weeks, the outcome has {n}")
        if not np.all(np.isfinite(col)):
            raise ValueError(f"column {name!r} has missing or infinite values")
    if not np.all(np.isfinite(out_y)):
        raise ValueError("the outcome has missing or infinite values")
    if dates is None:
        when = np.datetime64("2000-01-03") + 7 * np.arange(n)
    else:
        when = np.asarray([np.datetime64(str(d)[:10], "D") for d in dates])
        if len(when) != n:
            raise ValueError(f"{len(when)} dates for {n} weeks")
    return {"spend": columns, "y": out_y, "dates": when.astype("datetime64[D]"), "controls": ctrl}


def _r2(actual: np.ndarray, predicted: np.ndarray) -> float:
    resid = actual - predicted
    return float(1 - resid @ resid / np.sum((actual - actual.mean()) ** 2))


def _mape(actual: np.ndarray, predicted: np.ndarray) -> float:
    mask = actual != 0
    return float(np.mean(np.abs((actual[mask] - predicted[mask]) / actual[mask])))
