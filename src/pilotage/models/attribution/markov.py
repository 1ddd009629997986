"""Markov-chain attribution by removal effect, solved exactly as an absorbing chain.

The chain (Anderl et al. 2014, the model of the ChannelAttribution package) goes from
``(start)`` through channel states to ``(conversion)`` or ``(null)``. With order k a channel
state is the tuple of the last k channels (shorter at the start of a path: the path
``a > b > c`` visits ``(a)``, ``(a, b)``, ``(a, b, c)`` at order 3 and ``(a)``, ``(a, b)``,
``(b, c)`` at order 2). Transition probabilities are the observed transition counts, each path
weighted by its journeys, normalised per state.

P(conv) is the probability of absorption in ``(conversion)`` from ``(start)``: with Q the
transient-to-transient block and r the one-step conversion probabilities, x = (I − Q)⁻¹ r and
P(conv) = x[start] — one sparse LU solve, no simulation and no path-length cap (the package
simulates walks capped at ``max_step``; our figure is the limit of its estimate).

- **Removal effect** of channel c: RE_c = 1 − P(conv | c removed) / P(conv), where removing c
  sends every transition into a state containing c to ``(null)``. Attributed conversions:
  total conversions × RE_c / Σ RE. Value uses the same formula with expected value instead of
  probability: each transition into ``(conversion)`` from state s earns the mean value of the
  conversions observed after s.
- **Null paths**: ``include_nulls=True`` (default) counts non-converting journeys, so the chain
  can end in ``(null)``. ``include_nulls=False`` builds the chain from converting journeys only,
  like ChannelAttribution without ``var_null``: P(conv) = 1 and RE_c is the probability that a
  converting journey cannot avoid c.
- **Repeated touches** (``a > a > b``) are kept by default, as ChannelAttribution does; at order
  1 the self-loops do not change any absorption probability, at higher orders they do.
  ``collapse_repeats=True`` merges consecutive touches of the same channel first.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from pilotage.models.attribution.base import (
    Attribution,
    AttributionModel,
    Paths,
    Transitions,
    build_attribution,
    channels_of,
    register,
)
from pilotage.models.attribution.paths import aggregate

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"


def _collapse(path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for i, c in enumerate(path) if i == 0 or c != path[i - 1])


@register
class Markov(AttributionModel):
    """Removal-effect attribution on an order-``order`` Markov chain (1 to 3).

    >>> from pilotage.models.attribution.paths import PathRow
    >>> rows = [PathRow(("a", "b"), 1, 10), PathRow(("a",), 0, 0, 1), PathRow(("b",), 1, 10)]
    >>> result = Markov().attribute(rows)
    >>> {c: round(result.removal_effects[c], 3) for c in result.removal_effects}
    {'a': 0.5, 'b': 1.0}
    """

    name = "markov"

    def __init__(
        self, order: int = 1, include_nulls: bool = True, collapse_repeats: bool = False
    ) -> None:
        self.order = order
        self.include_nulls = include_nulls
        self.collapse_repeats = collapse_repeats

    def attribute(self, paths: Paths) -> Attribution:
        if self.order not in (1, 2, 3):
            raise ValueError(f"order must be 1, 2 or 3, got {self.order}")
        rows = aggregate(paths)
        channels = channels_of(rows)
        total_conversions = sum(r.conversions for r in rows)
        total_value = sum(r.value for r in rows)

        index: dict[tuple[str, ...], int] = {(): 0}  # () is (start)
        counts: dict[tuple[int, int], float] = defaultdict(float)
        to_conversion: dict[int, float] = defaultdict(float)
        to_null: dict[int, float] = defaultdict(float)
        value_after: dict[int, float] = defaultdict(float)
        for row in rows:
            nulls = row.nulls if self.include_nulls else 0.0
            weight = row.conversions + nulls
            if weight <= 0:
                continue
            path = _collapse(row.path) if self.collapse_repeats else row.path
            previous = 0
            for i in range(len(path)):
                state = index.setdefault(path[max(0, i + 1 - self.order) : i + 1], len(index))
                counts[previous, state] += weight
                previous = state
            to_conversion[previous] += row.conversions
            to_null[previous] += nulls
            value_after[previous] += row.value

        n = len(index)
        out = np.zeros(n)
        for (i, _), w in counts.items():
            out[i] += w
        for i, w in to_conversion.items():
            out[i] += w
        for i, w in to_null.items():
            out[i] += w
        out[out == 0] = 1.0  # unreachable only when there is no journey at all
        i_idx = np.fromiter((k[0] for k in counts), int, len(counts))
        j_idx = np.fromiter((k[1] for k in counts), int, len(counts))
        probs = np.fromiter(counts.values(), float, len(counts)) / out[i_idx]
        q = sp.csc_matrix((probs, (i_idx, j_idx)), shape=(n, n))
        p_conv = np.zeros(n)
        p_null = np.zeros(n)
        reward = np.zeros(n)
        for i, w in to_conversion.items():
            p_conv[i] = w / out[i]
            reward[i] = value_after[i] / out[i]  # P(s → conv) × mean value after s
        for i, w in to_null.items():
            p_null[i] = w / out[i]
        rhs = np.column_stack([p_conv, reward])

        def absorbed(keep: np.ndarray) -> np.ndarray:
            if n == 1:  # no journeys: only (start)
                return np.zeros(2)
            sub = q[keep][:, keep]
            system = (sp.identity(int(keep.sum()), format="csc") - sub).tocsc()
            return np.asarray(spla.splu(system).solve(rhs[keep])[0])

        states = sorted(index, key=index.__getitem__)
        base = absorbed(np.ones(n, dtype=bool))
        removal: dict[str, float] = {}
        value_removal: dict[str, float] = {}
        for channel in channels:
            keep = np.array([channel not in s for s in states])
            removed = absorbed(keep)
            effects = [
                float(np.clip(1.0 - r / b, 0.0, 1.0)) if b > 0 else 0.0
                for r, b in zip(removed.tolist(), base.tolist(), strict=True)
            ]
            removal[channel], value_removal[channel] = effects
        conversions = _split(total_conversions, removal)
        values = _split(total_value, value_removal)

        labels = (START, *(" > ".join(s) for s in states[1:]), CONVERSION, NULL)
        matrix = np.zeros((n + 2, n + 2))
        matrix[:n, :n] = q.toarray()
        matrix[:n, n] = p_conv
        matrix[:n, n + 1] = p_null
        return build_attribution(
            self.name,
            channels,
            conversions,
            values,
            total_conversions,
            total_value,
            removal_effects=removal,
            value_removal_effects=value_removal,
            transitions=Transitions(labels, matrix),
        )


def _split(total: float, effects: dict[str, float]) -> dict[str, float]:
    """``total`` shared in proportion to the removal effects (nothing when they are all 0)."""
    norm = sum(effects.values())
    return {c: total * e / norm if norm > 0 else 0.0 for c, e in effects.items()}
