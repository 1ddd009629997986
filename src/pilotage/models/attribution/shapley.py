"""Shapley-value attribution over channel coalitions.

The game (Dalessandro et al. 2012; the "simplified Shapley value" of Zhao et al. 2018): the
worth of a coalition S of channels is the conversions (or conversion value) of the paths whose
set of channels is contained in S, v(S) = Σ_{paths P: channels(P) ⊆ S} conversions(P). Null
paths and the order of touches play no part. A channel's credit is its Shapley value

    φ_c = Σ_{S ∌ c} |S|! (n − |S| − 1)! / n! · (v(S ∪ {c}) − v(S)),

so credits sum to v(all channels) = total conversions (efficiency) and channels that play the
same part get the same credit (symmetry).

Up to ``max_exact`` channels (12) φ is computed exactly by enumerating the 2ⁿ coalitions as
bit masks; above, by averaging marginal contributions over ``n_permutations`` random channel
orders (``random_state``). Because v is a sum of unanimity games, each path's conversions go,
in a given order, to the channel of the path that comes last — so every sampled order
distributes exactly the total and the estimate is efficient too. (The same fact gives the
closed form φ_c = Σ_{P ∋ c} conversions(P) / |channels(P)|, which the tests use as a check.)
"""

from __future__ import annotations

from math import factorial

import numpy as np

from pilotage.models.attribution.base import (
    Attribution,
    AttributionModel,
    Paths,
    build_attribution,
    channels_of,
    register,
)
from pilotage.models.attribution.paths import aggregate

MAX_EXACT = 12
MAX_CHANNELS = 63


def coalition_values(masks: np.ndarray, amounts: np.ndarray, n: int) -> np.ndarray:
    """v(S) for every coalition bit mask S < 2ⁿ: Σ amounts of the masks contained in S."""
    v = np.zeros(1 << n)
    np.add.at(v, masks, amounts)
    every = np.arange(1 << n)
    for bit in range(n):
        with_bit = every[(every >> bit) & 1 == 1]
        v[with_bit] += v[with_bit ^ (1 << bit)]
    return v


def exact_shapley(v: np.ndarray, n: int) -> np.ndarray:
    """The Shapley values of the n players of the game v (indexed by coalition bit mask)."""
    every = np.arange(1 << n)
    sizes = np.array([bin(m).count("1") for m in range(1 << n)])
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)])
    phi = np.zeros(n)
    for player in range(n):
        without = every[(every >> player) & 1 == 0]
        phi[player] = np.sum(weight[sizes[without]] * (v[without | (1 << player)] - v[without]))
    return phi


def sampled_shapley(
    incidence: np.ndarray, amounts: np.ndarray, n_permutations: int, rng: np.random.Generator
) -> np.ndarray:
    """Shapley values averaged over random orders; ``incidence[p, c]`` = path p touches c."""
    n_paths, n = incidence.shape
    phi = np.zeros((amounts.shape[1], n))
    batch = max(1, min(n_permutations, 2_000_000 // max(1, n_paths * n)))
    done = 0
    while done < n_permutations:
        size = min(batch, n_permutations - done)
        ranks = np.argsort(rng.random((size, n)), axis=1).argsort(axis=1) + 1
        # The path's last channel in each order: the one of highest rank among its channels.
        last = np.argmax(incidence[None, :, :] * ranks[:, None, :], axis=2)  # (size, n_paths)
        for k in range(amounts.shape[1]):
            phi[k] += np.bincount(last.ravel(), weights=np.tile(amounts[:, k], size), minlength=n)
        done += size
    return phi / n_permutations


@register
class Shapley(AttributionModel):
    """Shapley-value attribution: exact up to ``max_exact`` channels, sampled above.

    >>> from pilotage.models.attribution.paths import PathRow
    >>> rows = [PathRow(("a", "b"), 2), PathRow(("a",), 1)]
    >>> {c: x.conversions for c, x in Shapley().attribute(rows).channels.items()}
    {'a': 2.0, 'b': 1.0}
    """

    name = "shapley"

    def __init__(
        self, max_exact: int = MAX_EXACT, n_permutations: int = 2000, random_state: int | None = 0
    ) -> None:
        self.max_exact = max_exact
        self.n_permutations = n_permutations
        self.random_state = random_state

    def attribute(self, paths: Paths) -> Attribution:
        rows = aggregate(paths)
        channels = channels_of(rows)
        n = len(channels)
        if n > MAX_CHANNELS:
            raise ValueError(
                f"Shapley attribution handles at most {MAX_CHANNELS} channels, got {n}"
            )
        position = {c: i for i, c in enumerate(channels)}
        rows = [r for r in rows if r.conversions > 0 or r.value != 0]
        amounts = np.array([[r.conversions, r.value] for r in rows]).reshape(-1, 2)
        if n <= self.max_exact:
            masks = np.array(
                [sum(1 << position[c] for c in set(r.path)) for r in rows], dtype=np.int64
            )
            phi = np.array([exact_shapley(coalition_values(masks, a, n), n) for a in amounts.T])
        else:
            incidence = np.zeros((len(rows), n))
            for p, row in enumerate(rows):
                incidence[p, [position[c] for c in row.path]] = 1.0
            rng = np.random.default_rng(self.random_state)
            phi = sampled_shapley(incidence, amounts, self.n_permutations, rng)
        return build_attribution(
            self.name,
            channels,
            dict(zip(channels, phi[0].tolist(), strict=True)),
            dict(zip(channels, phi[1].tolist(), strict=True)),
            float(amounts[:, 0].sum()),
            float(amounts[:, 1].sum()),
        )
