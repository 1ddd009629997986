"""Segments found by clustering: k-means or a Gaussian mixture, with k chosen from the data.

:class:`Segmenter` fits scikit-learn's ``KMeans`` or ``GaussianMixture`` on an encoded
customer table (:class:`~pilotage.models.segmentation.features.FeatureEncoder`) or on any
numeric matrix. When ``n_segments`` is None it tries every k of ``k_range`` and keeps:

- for k-means, the k with the highest **silhouette** (mean over customers of
  ``(b − a) / max(a, b)``, a = mean distance to the own segment, b = to the nearest other one),
  computed on a random sample of ``silhouette_sample_size`` customers when there are more;
- for the mixture, the k with the lowest **BIC** (``−2 log L + p log n``).

Ties go to the smaller k. Every k tried is reported in ``k_scores_`` with its silhouette, BIC
(mixture), inertia (k-means) and **stability**: the mean adjusted Rand index between the
segmentations of ``n_stability_runs`` fits that differ only in their random seed (1 = the same
segments every time).

Segments are numbered by size, 0 being the largest (ties: the one whose first customer comes
first), so that numbers do not depend on the solver's arbitrary order.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.utils import check_random_state

from pilotage.models.segmentation.features import CustomerFeatures, FeatureEncoder

METHODS = ("kmeans", "gmm")
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


@dataclass(frozen=True)
class KScore:
    """The quality of the segmentation in k segments (None where it does not apply)."""

    k: int
    silhouette: float
    bic: float | None
    inertia: float | None
    stability: float | None


class Segmenter:
    """Customer segments by k-means (``method="kmeans"``) or Gaussian mixture (``"gmm"``).

    Settings: ``n_segments`` (None: chosen in ``k_range``, inclusive), ``random_state``,
    ``n_init`` (restarts per fit; default 3 for k-means, 1 for the mixture),
    ``n_stability_runs`` (fits per k for the stability score; 1 skips it),
    ``silhouette_sample_size``, ``covariance_type`` and ``reg_covar`` (mixture only), and
    ``encoder`` (used when fitting on a :class:`CustomerFeatures` table; default
    ``FeatureEncoder()``).

    Learned: ``labels_``, ``n_segments_``, ``k_scores_`` (list of :class:`KScore`),
    ``silhouette_`` and ``stability_`` (of the chosen k), ``cluster_centers_`` (in the
    encoded space), ``centers_`` (one dict per segment in the table's units, see
    :meth:`FeatureEncoder.to_original`; ``x0``, ``x1``… for a plain matrix), ``sizes_``,
    ``feature_names_``, ``encoder_`` (None for a plain matrix) and ``model_`` (the fitted
    scikit-learn estimator). A mixture may leave a component empty: ``n_segments_`` counts
    the segments that have customers.

    >>> import numpy as np
    >>> x = np.r_[np.zeros((5, 1)), np.ones((5, 1)) * 10] + np.arange(10)[:, None] / 100
    >>> Segmenter(random_state=0, k_range=(2, 4)).fit(x).labels_.tolist()
    [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    """

    def __init__(
        self,
        method: str = "kmeans",
        n_segments: int | None = None,
        k_range: tuple[int, int] = (2, 8),
        *,
        random_state: int | np.random.RandomState | None = None,
        n_init: int | None = None,
        n_stability_runs: int = 3,
        silhouette_sample_size: int = 2000,
        covariance_type: str = "diag",
        reg_covar: float = 1e-3,
        encoder: FeatureEncoder | None = None,
    ) -> None:
        self.method = method
        self.n_segments = n_segments
        self.k_range = k_range
        self.random_state = random_state
        self.n_init = n_init
        self.n_stability_runs = n_stability_runs
        self.silhouette_sample_size = silhouette_sample_size
        self.covariance_type = covariance_type
        self.reg_covar = reg_covar
        self.encoder = encoder

    def fit(self, X: CustomerFeatures | Any, y: None = None) -> Segmenter:
        """Choose k (unless given), fit, and number the segments by size."""
        self._check_settings()
        matrix = self._encode(X, fit=True)
        ks = self._ks(matrix)
        rs = check_random_state(self.random_state)
        seeds = rs.randint(np.iinfo(np.int32).max, size=max(self.n_stability_runs, 1))
        scores, models = [], []
        for k in ks:
            score, model = self._try(matrix, k, seeds)
            scores.append(score)
            models.append(model)
        if self.method == "kmeans":
            best = max(range(len(ks)), key=lambda i: (scores[i].silhouette, -ks[i]))
        else:
            best = min(range(len(ks)), key=lambda i: (scores[i].bic, ks[i]))
        self.k_scores_ = scores
        self.model_ = models[best]
        self.silhouette_ = scores[best].silhouette
        self.stability_ = scores[best].stability
        raw = self.model_.predict(matrix)
        self._order = _order_by_size(raw, self._n_components())
        self.labels_ = self._order[raw]
        self.n_segments_ = int(len(np.unique(self.labels_)))
        self.sizes_ = np.bincount(self.labels_, minlength=self.n_segments_)
        centers = self._raw_centers()
        self.cluster_centers_ = np.empty_like(centers)
        self.cluster_centers_[self._order] = centers
        self.cluster_centers_ = self.cluster_centers_[: self.n_segments_]
        if self.encoder_ is None:
            self.centers_ = [
                dict(zip(self.feature_names_, row.tolist(), strict=True))
                for row in self.cluster_centers_
            ]
        else:
            self.centers_ = [self.encoder_.to_original(row) for row in self.cluster_centers_]
        return self

    def predict(self, X: CustomerFeatures | Any) -> np.ndarray:
        """The segment of each customer of ``X`` (same kind of input as :meth:`fit`)."""
        if not hasattr(self, "model_"):
            raise ValueError("this Segmenter is not fitted yet: call fit first")
        matrix = self._encode(X, fit=False)
        return np.asarray(self._order[self.model_.predict(matrix)])

    def fit_predict(self, X: CustomerFeatures | Any, y: None = None) -> np.ndarray:
        """:meth:`fit` and return ``labels_``."""
        return np.asarray(self.fit(X).labels_)

    # -- fitting ------------------------------------------------------------------------

    def _check_settings(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be 'kmeans' or 'gmm', not {self.method!r}")
        if self.n_segments is not None and (
            not isinstance(self.n_segments, int | np.integer) or self.n_segments < 2
        ):
            raise ValueError(f"n_segments must be a whole number ≥ 2, not {self.n_segments!r}")
        low, high = self.k_range
        if not (isinstance(low, int | np.integer) and isinstance(high, int | np.integer)):
            raise ValueError(f"k_range must be two whole numbers, not {self.k_range!r}")
        if not 2 <= low <= high:
            raise ValueError(f"k_range must satisfy 2 ≤ low ≤ high, not {self.k_range!r}")
        if self.n_init is not None and self.n_init < 1:
            raise ValueError("n_init must be ≥ 1")
        if self.n_stability_runs < 1:
            raise ValueError("n_stability_runs must be ≥ 1 (1 skips the stability score)")
        if self.silhouette_sample_size < 10:
            raise ValueError("silhouette_sample_size must be ≥ 10")
        if self.covariance_type not in COVARIANCE_TYPES:
            raise ValueError(f"covariance_type must be one of {', '.join(COVARIANCE_TYPES)}")

    def _encode(self, X: CustomerFeatures | Any, *, fit: bool) -> np.ndarray:
        if isinstance(X, CustomerFeatures):
            if fit:
                self.encoder_: FeatureEncoder | None = _clone(self.encoder or FeatureEncoder())
                matrix = self.encoder_.fit_transform(X)
                self.feature_names_ = list(self.encoder_.feature_names_)
            elif self.encoder_ is None:
                raise ValueError("this Segmenter was fitted on a matrix: predict on a matrix")
            else:
                matrix = self.encoder_.transform(X)
        else:
            matrix = np.asarray(X, dtype=float)
            if matrix.ndim != 2:
                raise ValueError(
                    "X must be a customer table or a 2-D matrix (customers × features)"
                )
            if fit:
                self.encoder_ = None
                self.feature_names_ = [f"x{i}" for i in range(matrix.shape[1])]
            elif matrix.shape[1] != len(self.feature_names_):
                raise ValueError(
                    f"X has {matrix.shape[1]} features, the segments were fitted on "
                    f"{len(self.feature_names_)}"
                )
        if not np.all(np.isfinite(matrix)):
            raise ValueError("X has a missing or infinite value")
        if matrix.shape[1] == 0:
            raise ValueError("X has no feature")
        return matrix

    def _ks(self, matrix: np.ndarray) -> list[int]:
        n = matrix.shape[0]
        distinct = len(np.unique(matrix, axis=0))
        # The silhouette needs 2 ≤ k ≤ n − 1, and k distinct points.
        most = min(n - 1, distinct)
        if self.n_segments is not None:
            if self.n_segments > most:
                raise ValueError(
                    f"{n} customers ({distinct} distinct) are too few for {self.n_segments} "
                    f"segments: at most {max(most, 0)} are possible"
                    if most >= 2
                    else f"{n} customers ({distinct} distinct) are too few to segment: at least "
                    "3 customers with 2 different profiles are needed"
                )
            return [int(self.n_segments)]
        low, high = int(self.k_range[0]), int(min(self.k_range[1], most))
        if high < low:
            raise ValueError(
                f"{n} customers ({distinct} distinct) are too few to try {low} segments: at "
                f"least {low + 1} customers with {low} different profiles are needed"
            )
        return list(range(low, high + 1))

    def _make(self, k: int, seed: int) -> KMeans | GaussianMixture:
        if self.method == "kmeans":
            return KMeans(n_clusters=k, n_init=self.n_init or 1, random_state=seed)
        return GaussianMixture(
            n_components=k,
            covariance_type=self.covariance_type,
            reg_covar=self.reg_covar,
            n_init=self.n_init or 1,
            max_iter=500,
            random_state=seed,
        )

    def _try(
        self, matrix: np.ndarray, k: int, seeds: np.ndarray
    ) -> tuple[KScore, KMeans | GaussianMixture]:
        runs = []
        for seed in seeds.tolist():
            model = self._make(k, seed).fit(matrix)
            runs.append((model, model.predict(matrix)))
        model, labels = runs[0]
        stability = None
        if len(runs) > 1:
            pairs = itertools.combinations([r[1] for r in runs], 2)
            stability = float(np.mean([adjusted_rand_score(a, b) for a, b in pairs]))
        score = KScore(
            k=k,
            silhouette=self._silhouette(matrix, labels, int(seeds[0])),
            bic=float(model.bic(matrix)) if isinstance(model, GaussianMixture) else None,
            inertia=float(model.inertia_) if isinstance(model, KMeans) else None,
            stability=stability,
        )
        return score, model

    def _silhouette(self, matrix: np.ndarray, labels: np.ndarray, seed: int) -> float:
        found = len(np.unique(labels))
        if not 2 <= found <= len(labels) - 1:
            return -1.0  # a mixture may leave components empty: no separation to measure
        size = self.silhouette_sample_size if len(labels) > self.silhouette_sample_size else None
        return float(silhouette_score(matrix, labels, sample_size=size, random_state=seed))

    def _n_components(self) -> int:
        if isinstance(self.model_, KMeans):
            return int(self.model_.n_clusters)
        return int(self.model_.n_components)

    def _raw_centers(self) -> np.ndarray:
        if isinstance(self.model_, KMeans):
            return np.asarray(self.model_.cluster_centers_)
        return np.asarray(self.model_.means_)


def _order_by_size(labels: np.ndarray, k: int) -> np.ndarray:
    """old label → new label: by decreasing size, ties by first appearance; empty ones last."""
    sizes = np.bincount(labels, minlength=k)
    first = np.full(k, len(labels))
    seen = np.unique(labels, return_index=True)
    first[seen[0]] = seen[1]
    ranking = sorted(range(k), key=lambda c: (-sizes[c], first[c]))
    order = np.empty(k, dtype=np.int64)
    order[ranking] = np.arange(k)
    return order


def _clone(encoder: FeatureEncoder) -> FeatureEncoder:
    return FeatureEncoder(
        numeric=encoder.numeric,
        categorical=encoder.categorical,
        log_columns=encoder.log_columns,
        category_distance=encoder.category_distance,
    )
