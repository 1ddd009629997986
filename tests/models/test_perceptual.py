"""Perceptual map: PCA as scikit-learn's, a known latent order recovered, ideal gaps by hand."""

import math

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from pilotage.models.perceptual import PerceptualMap


def test_it_matches_scikit_learns_pca_up_to_the_documented_signs():
    rng = np.random.default_rng(3)
    ratings = rng.uniform(1, 7, (8, 5))
    found = PerceptualMap(random_state=0).fit(ratings)
    z = StandardScaler().fit_transform(ratings)
    reference = PCA(n_components=2, svd_solver="full").fit(z)
    coordinates = reference.transform(z)
    for axis in range(2):
        weights = reference.components_[axis]
        sign = np.sign(weights[np.argmax(np.abs(weights))])  # the strongest attribute points +
        np.testing.assert_allclose(found.coordinates_[:, axis], sign * coordinates[:, axis])
        np.testing.assert_allclose(found.components_[axis], sign * weights)
        assert found.components_[axis][np.argmax(np.abs(found.components_[axis]))] > 0
    np.testing.assert_allclose(found.explained_variance_ratio_, reference.explained_variance_ratio_)
    # with scaling, the arrows are the correlations of each attribute with each axis
    for j in range(5):
        for axis in range(2):
            r = np.corrcoef(ratings[:, j], found.coordinates_[:, axis])[0, 1]
            assert found.loadings_[j, axis] == pytest.approx(r)


@pytest.mark.parametrize("seed", range(5))
def test_it_orders_brands_by_a_latent_premium_factor_on_the_first_axis(seed):
    rng = np.random.default_rng(seed)
    premium = np.array([3.0, 7.0, 0.0, 5.0, 1.0, 6.0, 2.0, 4.0])  # brands given out of order
    centred = premium - premium.mean()
    friendliness = rng.uniform(3, 5, len(premium))
    friendliness -= centred * (friendliness @ centred) / (centred @ centred)  # unrelated

    def noise(scale):
        return rng.normal(0, scale, len(premium))

    ratings = np.column_stack(
        [
            2.0 + 0.8 * premium + noise(0.05),  # quality
            1.5 + 0.7 * premium + noise(0.05),  # prestige
            1.0 + 1.8 * np.sqrt(premium + 1) + noise(0.05),  # price: monotone, not linear
            6.5 - 0.5 * premium + noise(0.3),  # value for money: falls, noisily
            friendliness,
        ]
    )
    found = PerceptualMap().fit(ratings, brands=list("ABCDEFGH"))
    first = found.coordinates_[:, 0]
    # the axis points the way of its strongest attribute (the sign convention)
    strongest = np.argmax(np.abs(found.components_[0]))
    direction = np.sign(np.corrcoef(premium, ratings[:, strongest])[0, 1])
    assert np.argsort(direction * first).tolist() == np.argsort(premium).tolist()
    assert found.explained_variance_ratio_[0] > 0.7
    assert np.sign(found.loadings_[3, 0]) == -np.sign(found.loadings_[0, 0])
    assert abs(found.loadings_[4, 0]) < 0.2  # friendliness is (nearly) off the premium axis


def test_it_computes_the_gaps_and_distances_to_the_ideal_by_hand():
    # attribute means 4 and 5; population variances 8/3 and 2
    ratings = [[2.0, 4.0], [4.0, 4.0], [6.0, 7.0]]
    found = PerceptualMap().fit(ratings, brands=["A", "B", "C"], ideal=[7.0, 7.0])
    np.testing.assert_allclose(found.gaps_, [[5, 3], [3, 3], [1, 0]])
    # ‖gap / std‖: A √(25·3/8 + 9/2), B √(9·3/8 + 9/2), C √(3/8)
    expected = [math.sqrt(13.875), math.sqrt(7.875), math.sqrt(0.375)]
    np.testing.assert_allclose(found.ideal_distance_, expected)
    np.testing.assert_allclose(found.ideal_distance_map_, expected)  # two axes keep it all
    unscaled = PerceptualMap(scale=False).fit(ratings, ideal=[7.0, 7.0])
    np.testing.assert_allclose(unscaled.ideal_distance_, [math.sqrt(34), math.sqrt(18), 1.0])


def test_it_takes_the_ideal_from_a_named_row_without_fitting_on_it():
    ratings = [[2.0, 4.0, 1.0], [7.0, 7.0, 7.0], [4.0, 4.0, 3.0], [6.0, 7.0, 2.0]]
    found = PerceptualMap().fit(ratings, brands=["A", "Ideal", "B", "C"], ideal="Ideal")
    direct = PerceptualMap().fit(np.delete(ratings, 1, axis=0), ideal=[7.0, 7.0, 7.0])
    assert found.brands_ == ("A", "B", "C")
    np.testing.assert_allclose(found.coordinates_, direct.coordinates_)
    np.testing.assert_allclose(found.ideal_coordinates_, direct.ideal_coordinates_)
    summary = found.summary()
    assert summary["brands"][0]["gaps"] == {
        "attribute 1": 5.0,
        "attribute 2": 3.0,
        "attribute 3": 6.0,
    }
    assert len(summary["attributes"]) == 3


def test_it_says_what_is_wrong_with_the_ratings():
    with pytest.raises(ValueError, match="at least 3 brands"):
        PerceptualMap().fit([[1.0, 2.0], [2.0, 3.0]])
    with pytest.raises(ValueError, match="at least 2 attributes"):
        PerceptualMap().fit([[1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match="the ideal needs 2 ratings"):
        PerceptualMap().fit([[1.0, 2.0], [2.0, 3.0], [4.0, 1.0]], ideal=[7.0])
    with pytest.raises(ValueError, match="'Best' is not among the brands"):
        PerceptualMap().fit([[1.0, 2.0], [2.0, 3.0], [4.0, 1.0]], ideal="Best")
    with pytest.raises(ValueError, match="same ratings"):
        PerceptualMap().fit([[1.0, 2.0]] * 3)
    with pytest.raises(ValueError, match="method must be 'pca'"):
        PerceptualMap(method="ca").fit([[1.0, 2.0], [2.0, 3.0], [4.0, 1.0]])
