"""A reference sampler for the MMM's exact posterior: adaptive random-walk Metropolis.

The model's intervals come from the Laplace approximation (``model.py``). This module samples
the same log density without approximating it, to check that approximation on realistic data
(``bench/mmm_laplace_check.py``): slow (a few hundred thousand density evaluations a market),
so it is a check, not the way fits are made.

The chains start near the posterior mode with the Laplace covariance as the proposal's shape,
scaled by 2.38²/d (the optimal scale for a Gaussian target, Roberts & Rosenthal 2001); during
the warm-up the shape is re-estimated from the chain itself (Haario et al. 2001) and the scale
tuned towards a 23.4% acceptance rate (Andrieu & Thoms 2008), then both are frozen, so the
kept draws come from a plain Metropolis chain that leaves the exact posterior invariant.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

TARGET_ACCEPTANCE = 0.234  # optimal for random-walk Metropolis in many dimensions


@dataclass(frozen=True)
class Chains:
    """Draws (chains × kept draws × parameters), acceptance rate per chain."""

    draws: np.ndarray
    acceptance: np.ndarray

    @property
    def pooled(self) -> np.ndarray:
        return self.draws.reshape(-1, self.draws.shape[-1])

    def r_hat(self) -> np.ndarray:
        """Split-R̂ per parameter (Gelman et al., BDA3 §11.4)."""
        half = self.draws.shape[1] // 2
        split = np.concatenate([self.draws[:, :half], self.draws[:, half : 2 * half]])
        n = split.shape[1]
        within = split.var(axis=1, ddof=1).mean(axis=0)
        between = n * split.mean(axis=1).var(axis=0, ddof=1)
        return np.sqrt(((n - 1) / n * within + between / n) / within)

    def ess(self) -> np.ndarray:
        """Effective sample size per parameter, from the chains' autocorrelations (Geyer's
        initial positive sequence, summed over chains)."""
        total = np.zeros(self.draws.shape[-1])
        for chain in self.draws:
            for j in range(chain.shape[1]):
                total[j] += _ess_1d(chain[:, j])
        return total


def sample(
    log_density: Callable[[np.ndarray], float],
    mode: np.ndarray,
    covariance: np.ndarray,
    *,
    draws: int = 2000,
    thin: int = 50,
    warmup: int = 20_000,
    chains: int = 2,
    seed: int = 0,
) -> Chains:
    """``chains`` chains of ``draws`` kept draws each (one every ``thin`` steps after
    ``warmup`` adaptive steps), started near ``mode``."""
    rng = np.random.default_rng(seed)
    d = len(mode)
    scale = 2.38**2 / d
    kept = np.empty((chains, draws, d))
    accepted = np.zeros(chains)
    start_chol = np.linalg.cholesky(covariance)
    for c in range(chains):
        x = mode + 0.5 * start_chol @ rng.standard_normal(d)
        fx = log_density(x)
        shape_chol = start_chol
        log_step = 0.0  # the proposal's scale, tuned towards TARGET_ACCEPTANCE while warming up
        history = []
        for step in range(warmup + draws * thin):
            proposal = x + math.exp(log_step) * math.sqrt(scale) * (
                shape_chol @ rng.standard_normal(d)
            )
            fp = log_density(proposal)
            accept = math.log(rng.random()) < fp - fx
            if accept:
                x, fx = proposal, fp
                if step >= warmup:
                    accepted[c] += 1
            if step < warmup:
                # Robbins-Monro on the scale (Andrieu & Thoms 2008), and every 2,000 steps the
                # shape from the chain's own second half, with a little of the Laplace one
                log_step += (float(accept) - TARGET_ACCEPTANCE) / math.sqrt(step + 1)
                history.append(x)
                if (step + 1) % 2000 == 0 and step + 1 >= 4000:
                    own = np.cov(np.array(history[len(history) // 2 :]).T)
                    shape = 0.9 * own + 0.1 * covariance + 1e-10 * np.eye(d)
                    shape_chol = np.linalg.cholesky(shape)
            elif (step - warmup) % thin == thin - 1:
                kept[c, (step - warmup) // thin] = x
    return Chains(kept, accepted / (draws * thin))


def _ess_1d(x: np.ndarray) -> float:
    n = len(x)
    x = x - x.mean()
    variance = float(x @ x) / n
    if variance == 0:
        return float(n)
    spectrum = np.fft.rfft(x, 2 * n)
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[:n] / (n * variance)
    total, lag = 0.0, 1
    while lag + 1 < n:
        pair = acf[lag] + acf[lag + 1]
        if pair <= 0:
            break
        total += pair
        lag += 2
    return n / (1 + 2 * total)
