"""Segmenter: planted segments are recovered, k is chosen from the data, fits are repeatable."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from pilotage.models.segmentation import CustomerFeatures, FeatureEncoder, KScore, Segmenter

RAW = FeatureEncoder(log_columns=())  # the planted numbers are not skewed


def planted(k, per=60, seed=0):
    """k well-separated segments: two numbers around points of a circle, one category each."""
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(k), per)
    angle = 2 * np.pi * truth / k
    spend = 1000 + 400 * np.cos(angle) + rng.normal(0, 40, len(truth))
    visits = 20 + 8 * np.sin(angle) + rng.normal(0, 0.8, len(truth))
    shuffle = rng.permutation(len(truth))
    truth = truth[shuffle]
    features = CustomerFeatures.from_columns(
        [f"c{i:04d}" for i in range(len(truth))],
        {"spend": spend[shuffle], "visits": visits[shuffle]},
        {"sector": [f"S{t}" for t in truth]},
    )
    return features, truth


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
@pytest.mark.parametrize("k", [3, 5])
def test_it_recovers_planted_segments_and_their_number(method, k):
    features, truth = planted(k, seed=k)
    segmenter = Segmenter(method, random_state=1, encoder=RAW).fit(features)
    assert segmenter.n_segments_ == k
    assert adjusted_rand_score(truth, segmenter.labels_) >= 0.9
    assert [s.k for s in segmenter.k_scores_] == list(range(2, 9))
    chosen = segmenter.k_scores_[k - 2]
    if method == "kmeans":
        assert chosen.silhouette == max(s.silhouette for s in segmenter.k_scores_)
    else:
        assert chosen.bic == min(s.bic for s in segmenter.k_scores_)
    assert chosen.stability == pytest.approx(1.0)
    assert segmenter.silhouette_ == chosen.silhouette


def test_it_reports_centres_in_the_tables_units():
    features, truth = planted(3, seed=3)
    segmenter = Segmenter(n_segments=3, random_state=0, encoder=RAW).fit(features)
    by_visits = sorted((c["visits"], c["spend"]) for c in segmenter.centers_)
    angles = 2 * np.pi * np.arange(3) / 3
    expected = sorted(zip(20 + 8 * np.sin(angles), 1000 + 400 * np.cos(angles), strict=True))
    np.testing.assert_allclose(by_visits, expected, rtol=0.02)
    for centre in segmenter.centers_:
        shares = [v for name, v in centre.items() if name.startswith("sector=")]
        assert sorted(shares) == pytest.approx([0, 0, 1], abs=1e-9)


def test_it_numbers_segments_by_size_and_predicts_them():
    features, _ = planted(3, seed=4)
    keep = np.arange(150)  # the first 150 of the shuffled 180: segments of unequal sizes
    smaller = CustomerFeatures(
        features.customer_id[keep],
        {k: v[keep] for k, v in features.numeric.items()},
        {k: v[keep] for k, v in features.categorical.items()},
    )
    segmenter = Segmenter(n_segments=3, random_state=0, encoder=RAW).fit(smaller)
    assert np.all(np.diff(segmenter.sizes_) <= 0)
    assert segmenter.sizes_.sum() == len(smaller)
    assert segmenter.predict(smaller).tolist() == segmenter.labels_.tolist()
    assert len(segmenter.predict(features)) == len(features)


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_it_gives_identical_segments_for_the_same_random_state(method):
    features, _ = planted(4, per=40, seed=9)
    a = Segmenter(method, k_range=(2, 5), random_state=7, encoder=RAW).fit(features)
    b = Segmenter(method, k_range=(2, 5), random_state=7, encoder=RAW).fit(features)
    assert a.labels_.tolist() == b.labels_.tolist()
    assert a.k_scores_ == b.k_scores_
    assert all(isinstance(s, KScore) for s in a.k_scores_)


def test_it_segments_a_plain_matrix():
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(0, 0.3, (30, 2)), rng.normal(5, 0.3, (30, 2))])
    segmenter = Segmenter(random_state=0, n_stability_runs=1).fit(x)
    assert segmenter.n_segments_ == 2
    assert segmenter.k_scores_[0].stability is None
    assert set(segmenter.centers_[0]) == {"x0", "x1"}
    assert segmenter.predict([[5.1, 4.9]]).tolist() == [segmenter.labels_[-1]]


def test_it_says_when_there_are_too_few_customers():
    with pytest.raises(ValueError, match="2 customers .* too few to try 2 segments"):
        Segmenter().fit([[0.0], [1.0]])
    with pytest.raises(ValueError, match="too few for 5 segments: at most 3"):
        Segmenter(n_segments=5).fit([[0.0], [1.0], [2.0], [3.0]])
    # the k range shrinks to what the data allow
    segmenter = Segmenter(random_state=0).fit([[0.0], [0.1], [5.0], [5.1]])
    assert [s.k for s in segmenter.k_scores_] == [2, 3]
    assert segmenter.n_segments_ == 2


def test_it_refuses_bad_settings_and_data():
    with pytest.raises(ValueError, match="method must be 'kmeans' or 'gmm'"):
        Segmenter("dbscan").fit([[0.0], [1.0], [2.0]])
    with pytest.raises(ValueError, match="k_range"):
        Segmenter(k_range=(1, 4)).fit([[0.0], [1.0], [2.0]])
    with pytest.raises(ValueError, match="n_segments must be a whole number ≥ 2"):
        Segmenter(n_segments=1).fit([[0.0], [1.0], [2.0]])
    with pytest.raises(ValueError, match="missing or infinite"):
        Segmenter().fit([[0.0], [np.nan], [2.0]])
    with pytest.raises(ValueError, match="not fitted"):
        Segmenter().predict([[0.0]])
