"""Perceptual map: brands placed by how customers rate them, and their distance to the ideal.

Input: a rating matrix, one row per brand and one column per attribute (mean ratings on a
1–7 scale, say), and optionally the **ideal** ratings (a row of their own). :class:`PerceptualMap`
does a principal component analysis (scikit-learn's ``PCA``, full SVD):

1. each attribute is **centred** on the brands' mean and, with ``scale=True`` (default),
   divided by its standard deviation across brands (population std, ``ddof=0``, as
   ``StandardScaler``; a constant attribute is only centred) — so an attribute rated on a wider
   spread does not dominate the map;
2. the brands are projected on the first ``n_components`` (2) principal axes:
   ``coordinates_ = Z · components_ᵀ``;
3. the **biplot arrows** are ``loadings_ = components_ᵀ · √λ`` with λ the variance of the
   brands' coordinates on each axis (``ddof=0``): with scaling, an arrow's coordinates are the
   correlations of the attribute with the axes;
4. the ideal row is *not* used to find the axes; it is standardised like the brands and
   projected as a supplementary point. For each brand: ``gaps_ = ideal − brand`` per attribute
   (rating units), ``ideal_distance_`` = ‖z_ideal − z_brand‖ over all standardised attributes
   and ``ideal_distance_map_`` = the distance on the map (equal when the map keeps every axis).

**Sign convention.** An axis's direction is arbitrary in PCA; here every axis is oriented so
that the attribute with the largest absolute weight on it (the first one on ties) points the
positive way. The map is then the same whatever the SVD routine returns.

Only ``method="pca"`` is implemented (correspondence analysis is not).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.decomposition import PCA

METHODS = ("pca",)


class PerceptualMap:
    """Brands × attributes ratings → a 2-D map with attribute arrows and ideal-point gaps.

    Settings: ``method`` ("pca"), ``scale`` (standardise attributes, default True),
    ``n_components`` (2), ``random_state`` (kept for the scikit-learn contract; the full SVD
    involves no randomness).

    Learned: ``brands_``, ``attributes_``, ``mean_``, ``scale_``, ``components_``
    (axes × attributes), ``explained_variance_ratio_``, ``coordinates_`` (brands × axes),
    ``loadings_`` (attributes × axes) and, with an ideal, ``ideal_``,
    ``ideal_coordinates_``, ``gaps_`` (brands × attributes), ``ideal_distance_`` and
    ``ideal_distance_map_`` (one per brand); without one these are None.
    """

    def __init__(
        self,
        method: str = "pca",
        *,
        scale: bool = True,
        n_components: int = 2,
        random_state: int | None = None,
    ) -> None:
        self.method = method
        self.scale = scale
        self.n_components = n_components
        self.random_state = random_state

    def fit(
        self,
        ratings: Sequence[Sequence[float]] | np.ndarray,
        *,
        brands: Sequence[str] | None = None,
        attributes: Sequence[str] | None = None,
        ideal: Sequence[float] | np.ndarray | str | None = None,
    ) -> PerceptualMap:
        """Find the axes from ``ratings`` (rows = ``brands``) and place brands and ideal.

        ``ideal`` is a row of ratings, or the name of the row of ``ratings`` that holds it
        (then taken out of the brands).
        """
        if self.method not in METHODS:
            raise ValueError(f"method must be 'pca', not {self.method!r}")
        x = np.asarray(ratings, dtype=float)
        if x.ndim != 2:
            raise ValueError(
                "ratings must be a matrix: one row per brand, one column per attribute"
            )
        names = [f"brand {i + 1}" for i in range(len(x))] if brands is None else list(brands)
        columns = (
            [f"attribute {j + 1}" for j in range(x.shape[1])]
            if attributes is None
            else list(attributes)
        )
        if len(names) != x.shape[0]:
            raise ValueError(f"{len(names)} brand names for {x.shape[0]} rows of ratings")
        if len(columns) != x.shape[1]:
            raise ValueError(f"{len(columns)} attribute names for {x.shape[1]} columns of ratings")
        if len(set(names)) != len(names):
            raise ValueError("two brands have the same name")
        ideal_row = None
        if isinstance(ideal, str):
            if ideal not in names:
                raise ValueError(f"the ideal row {ideal!r} is not among the brands")
            at = names.index(ideal)
            ideal_row = x[at]
            x, names = np.delete(x, at, axis=0), names[:at] + names[at + 1 :]
        elif ideal is not None:
            ideal_row = np.asarray(ideal, dtype=float)
            if ideal_row.shape != (x.shape[1],):
                raise ValueError(f"the ideal needs {x.shape[1]} ratings, one per attribute")
        if not np.all(np.isfinite(x)) or (
            ideal_row is not None and not np.all(np.isfinite(ideal_row))
        ):
            raise ValueError("a rating is missing or not a number")
        k = self.n_components
        if not isinstance(k, int) or k < 1:
            raise ValueError("n_components must be a whole number ≥ 1")
        if x.shape[0] < k + 1:
            raise ValueError(f"a {k}-axis map needs at least {k + 1} brands, got {x.shape[0]}")
        if x.shape[1] < k:
            raise ValueError(f"a {k}-axis map needs at least {k} attributes, got {x.shape[1]}")

        self.brands_ = tuple(str(n) for n in names)
        self.attributes_ = tuple(str(c) for c in columns)
        self.mean_ = x.mean(axis=0)
        spread = x.std(axis=0)
        self.scale_ = np.where(spread > 0, spread, 1.0) if self.scale else np.ones(x.shape[1])
        z = self._standardise(x)
        if not np.any(z):
            raise ValueError("every brand has the same ratings: there is nothing to map")
        pca = PCA(n_components=k, svd_solver="full", random_state=self.random_state).fit(z)
        components = np.asarray(pca.components_)
        strongest = np.argmax(np.abs(components), axis=1)  # first on ties
        signs = np.where(components[np.arange(k), strongest] < 0, -1.0, 1.0)
        self.components_ = components * signs[:, None]
        self.explained_variance_ratio_ = np.asarray(pca.explained_variance_ratio_)
        self.coordinates_ = self.transform(x)
        variance = self.coordinates_.var(axis=0)
        self.loadings_ = self.components_.T * np.sqrt(variance)
        self.ideal_ = ideal_row
        self.ideal_coordinates_: np.ndarray | None = None
        self.gaps_: np.ndarray | None = None
        self.ideal_distance_: np.ndarray | None = None
        self.ideal_distance_map_: np.ndarray | None = None
        if ideal_row is not None:
            self.ideal_coordinates_ = self.transform(ideal_row[None, :])[0]
            self.gaps_ = ideal_row[None, :] - x
            self.ideal_distance_ = np.linalg.norm(self._standardise(ideal_row[None, :]) - z, axis=1)
            self.ideal_distance_map_ = np.linalg.norm(
                self.coordinates_ - self.ideal_coordinates_[None, :], axis=1
            )
        return self

    def transform(self, ratings: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
        """Place rows of ratings (new brands, say) on the fitted map."""
        if not hasattr(self, "components_"):
            raise ValueError("this PerceptualMap is not fitted yet: call fit first")
        x = np.asarray(ratings, dtype=float)
        if x.ndim != 2 or x.shape[1] != len(self.attributes_):
            raise ValueError(f"expected rows of {len(self.attributes_)} ratings")
        return np.asarray(self._standardise(x) @ self.components_.T)

    def summary(self) -> dict[str, Any]:
        """The map as JSON-able data: brands (x, y, gaps, distances), arrows, variance shares."""
        if not hasattr(self, "components_"):
            raise ValueError("this PerceptualMap is not fitted yet: call fit first")
        brands = []
        for i, name in enumerate(self.brands_):
            row: dict[str, Any] = {"brand": name, "coordinates": self.coordinates_[i].tolist()}
            if self.gaps_ is not None and self.ideal_distance_ is not None:
                assert self.ideal_distance_map_ is not None
                row["gaps"] = dict(zip(self.attributes_, self.gaps_[i].tolist(), strict=True))
                row["ideal_distance"] = float(self.ideal_distance_[i])
                row["ideal_distance_map"] = float(self.ideal_distance_map_[i])
            brands.append(row)
        return {
            "brands": brands,
            "attributes": [
                {"attribute": a, "loadings": self.loadings_[j].tolist()}
                for j, a in enumerate(self.attributes_)
            ],
            "explained_variance_ratio": self.explained_variance_ratio_.tolist(),
            "ideal": None
            if self.ideal_coordinates_ is None
            else {"coordinates": self.ideal_coordinates_.tolist()},
        }

    def _standardise(self, x: np.ndarray) -> np.ndarray:
        return np.asarray((x - self.mean_) / self.scale_)
