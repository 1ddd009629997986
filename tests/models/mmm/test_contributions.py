"""Contribution over time (`MarketingMixModel.contributions`) against the generator's truth."""

import numpy as np
import pytest

from pilotage.models.mmm import write_contributions_csv
from tests.models.mmm.conftest import synthetic_with_truth


def test_each_channels_weekly_contribution_follows_the_true_one(small_model):
    spend, _, _, truth = synthetic_with_truth(0)
    weekly = small_model.contributions()["channels"]
    for name, true in truth.items():
        band = weekly[name]
        assert np.corrcoef(band["mean"], true)[0, 1] > 0.95, name
        inside = (band["low"] <= true) & (true <= band["high"])
        assert inside.mean() >= 0.9, name
        assert np.all(band["low"] <= band["mean"]) and np.all(band["mean"] <= band["high"])


def test_the_baseline_carries_what_the_channels_do_not(small_model):
    spend, y, _, truth = synthetic_with_truth(0)
    weeks = len(y)
    true_base = 4000 + 300 * np.sin(2 * np.pi * np.arange(weeks) / 52.18)
    parts = small_model.contributions()
    band = parts["baseline"]
    assert np.mean((band["low"] <= true_base) & (true_base <= band["high"])) >= 0.9
    explained = parts["baseline"]["mean"] + sum(b["mean"] for b in parts["channels"].values())
    assert np.abs(explained - y).mean() / y.mean() < 0.06


def test_summed_over_the_weeks_a_channel_returns_its_roi_times_its_spend(small_model):
    parts = small_model.contributions()
    results = small_model.channel_results()
    for name, band in parts["channels"].items():
        assert band["mean"].sum() / results[name]["spend"] == pytest.approx(
            results[name]["roi"], rel=1e-9
        )


def test_it_lists_the_weeks_and_the_actual_outcome(small_model):
    _, y, _, _ = synthetic_with_truth(0)
    parts = small_model.contributions(n=50)
    assert len(parts["dates"]) == len(y)
    assert (parts["dates"][1] - parts["dates"][0]).days == 7
    np.testing.assert_allclose(parts["actual"], y)


@pytest.mark.parametrize("n", [0, 10_000])
def test_it_refuses_a_number_of_draws_it_does_not_have(small_model, n):
    with pytest.raises(ValueError, match="n must be between 1 and"):
        small_model.contributions(n=n)


def test_a_channel_named_like_another_column_is_refused_in_the_csv(small_model, tmp_path):
    parts = small_model.contributions(n=20)
    parts["channels"]["baseline"] = parts["channels"].pop("tv")
    with pytest.raises(ValueError, match="clashes"):
        write_contributions_csv(parts, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.slow
def test_the_modes_add_up_to_the_outcome_where_the_means_run_above_it():
    # A B2B market whose channels are weakly identified: their draws are skewed, so the means of
    # baseline and channels add up to more than the outcome; the modes are one explanation
    # of it (the fit), and they add up to it (what the model page stacks).
    from tests.models.mmm.conftest import fitted

    model, _ = fitted("industrie", 1)
    parts = model.contributions()
    series = [parts["baseline"], *parts["channels"].values()]
    actual = parts["actual"].sum()
    assert sum(b["mode"].sum() for b in series) == pytest.approx(actual, rel=0.01)
    assert sum(b["mean"].sum() for b in series) > 1.05 * actual
    for band in series:
        inside = (band["low"] <= band["mode"] + 1e-9) & (band["mode"] <= band["high"] + 1e-9)
        assert inside.mean() >= 0.9
