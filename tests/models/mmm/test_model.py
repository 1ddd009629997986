import json

import numpy as np
import pytest

from pilotage.models.mmm import Lift, MarketingMixModel, NotConvergedError
from tests.models.mmm.conftest import synthetic


def test_it_reports_every_output_with_its_interval(small_model):
    results = small_model.channel_results()
    assert set(results) == {"tv", "search"}
    for r in results.values():
        assert r["roi_low"] <= r["roi"] <= r["roi_high"]
        assert r["mroi_low"] <= r["mroi_high"]
        assert 0 < r["contribution_share"] < 1
        assert r["half_life_weeks"] >= 0 and r["saturation_weekly_spend"] > 0
    d = small_model.diagnostics()
    assert d["converged"] and d["r2"] > 0.5 and d["mape"] < 0.2
    assert d["holdout"]["weeks"] == 13 and d["holdout"]["mape"] < 0.2
    assert 1 < d["durbin_watson"] < 3


def test_it_answers_the_budget_optimiser(small_model):
    model = small_model
    current = model.current_allocation(13)
    assert set(current) == set(model.channels)
    low, high = model.spend_range("tv")
    assert 0 <= low < high
    now = model.outcome(current, 13)
    more = model.outcome({**current, "search": current["search"] * 1.5}, 13)
    assert 0 < now < more
    # Marginal ROI is the slope of the steady-state response at the current spend: of the
    # expected outcome (over the draws) for mroi, of the outcome at the mode for mroi_mode.
    step = 1.0
    tv = model.channel_results()["tv"]
    slope = (model.outcome({**current, "tv": current["tv"] + 13 * step}, 13) - now) / (13 * step)
    assert slope == pytest.approx(tv["mroi"], rel=0.01)
    at_mode = model.outcome_at_mode(current, 13)
    more_tv = {**current, "tv": current["tv"] + 13 * step}
    slope = (model.outcome_at_mode(more_tv, 13) - at_mode) / (13 * step)
    assert slope == pytest.approx(tv["mroi_mode"], rel=0.01)
    # the expected outcome is the mean of the draws' outcomes
    assert now == pytest.approx(model.outcome_draws(current, 13, n=model.n_draws).mean())
    draws = model.outcome_draws(current, 13, n=50)
    assert draws.shape == (50,)
    assert np.array_equal(draws, model.outcome_draws(current, 13, n=50))
    assert np.percentile(draws, 5) < now < np.percentile(draws, 95)
    with pytest.raises(ValueError, match="unknown channels"):
        model.outcome({"radio": 1.0}, 4)


def test_it_round_trips_through_json(small_model, tmp_path):
    path = tmp_path / "model.json"
    small_model.save(path)
    assert json.loads(path.read_text())["format"] == "pilotage-mmm/1"
    loaded = MarketingMixModel.load(path)
    allocation = small_model.current_allocation(8)
    assert loaded.outcome(allocation, 8) == pytest.approx(small_model.outcome(allocation, 8))
    assert np.allclose(
        loaded.outcome_draws(allocation, 8), small_model.outcome_draws(allocation, 8)
    )
    for name, r in small_model.channel_results().items():
        numbers = {k: v for k, v in r.items() if isinstance(v, float)}
        assert {k: loaded.channel_results()[name][k] for k in numbers} == pytest.approx(numbers)
    assert loaded.log_evidence_ == pytest.approx(small_model.log_evidence_)


@pytest.mark.parametrize("names_forms_per_channel", [True, False])
def test_a_file_keeps_the_forms_it_was_fitted_with_when_the_default_changes(
    tmp_path, names_forms_per_channel
):
    # a model fitted when the free-shape Hill curve was the default, with one channel named
    # otherwise: its file says {"search": "logistic"}, and "tv" had the default of the time
    spend, y, _ = synthetic(1)
    model = MarketingMixModel(saturation={"tv": "hill", "search": "logistic"}, holdout_weeks=0)
    model.fit(spend, y)
    path = tmp_path / "model.json"
    model.save(path)
    doc = json.loads(path.read_text())
    doc["settings"]["saturation"] = {"search": "logistic"}
    if not names_forms_per_channel:  # files written before the scaling named the forms
        for channel in doc["scaling"]["channels"].values():
            del channel["adstock"], channel["saturation"]
    path.write_text(json.dumps(doc))
    loaded = MarketingMixModel.load(path)
    results = loaded.channel_results()
    assert (results["tv"]["saturation"], results["search"]["saturation"]) == ("hill", "logistic")
    for name, r in model.channel_results().items():
        assert results[name]["roi"] == pytest.approx(r["roi"])


def test_it_turns_a_business_roi_interval_into_the_prior():
    spend, y, _ = synthetic(1, weeks=60, noise=0.3)
    tight = MarketingMixModel(holdout_weeks=0, roi_priors={"tv": (0.9, 1.1)}).fit(spend, y)
    r = tight.channel_results()["tv"]
    assert r["roi_low"] > 0.85 and r["roi_high"] < 1.15


def test_it_uses_lift_tests_to_narrow_the_interval():
    spend, y, _ = synthetic(2, weeks=60, noise=0.3)
    plain = MarketingMixModel(holdout_weeks=0).fit(spend, y)
    current = plain.current_allocation(4)
    lift = plain.outcome({**current, "tv": current["tv"] + 10_000}, 4) - plain.outcome(current, 4)
    calibrated = MarketingMixModel(
        holdout_weeks=0, lift_tests=[Lift("tv", 10_000, lift, lift * 0.05, weeks=4)]
    ).fit(spend, y)
    width = {
        m: m.channel_results()["tv"]["mroi_high"] - m.channel_results()["tv"]["mroi_low"]
        for m in (plain, calibrated)
    }
    assert width[calibrated] < width[plain]


def test_it_refuses_recommendations_from_a_model_that_did_not_converge():
    spend, y, _ = synthetic(0)
    model = MarketingMixModel(holdout_weeks=0, max_iter=2).fit(spend, y)
    assert not model.converged_
    assert "optimiser stopped before reaching the best fit" in model.convergence_reasons_[0]
    with pytest.raises(NotConvergedError, match="did not converge: the optimiser stopped"):
        model.outcome(model.current_allocation(4), 4)
    with pytest.raises(NotConvergedError):
        model.outcome_draws(model.current_allocation(4), 4)
    assert model.summary_text().startswith("The model did not converge")
    assert model.summary_text("fr").startswith("Le modèle n'a pas convergé")


def test_it_writes_one_paragraph_in_english_and_french(small_model):
    en = small_model.summary_text()
    assert "search returns" in en and "€ per €" in en and "\n" not in en
    assert "rapporte" in small_model.summary_text("fr")


def test_it_speaks_of_the_outcome_in_its_own_unit_and_the_workspaces_currency(small_model):
    roi = small_model.channel_results()["search"]["roi"]
    dollars = small_model.summary_text(currency="USD")
    assert f"search returns {roi:,.2f} $ per $" in dollars and "€" not in dollars
    leads = small_model.summary_text(outcome="leads")
    assert f"search brings {1000 * roi:,.2f} leads per 1,000 €" in leads
    assert "€ per €" not in leads
    french = small_model.summary_text("fr", outcome="customers")
    grouped = f"{1000 * roi:,.2f}".replace(",", "\u202f").replace(".", ",")
    assert f"search apporte {grouped} nouveaux clients pour 1\u202f000 €" in french
    with pytest.raises(ValueError, match="outcome must be revenue, leads or customers"):
        small_model.summary_text(outcome="visits")


def test_it_reloads_the_same_model_when_json_keys_come_back_reordered(small_model, tmp_path):
    """PostgreSQL's jsonb sorts object keys: the channels must still meet their parameters."""

    def reorder(value):
        if isinstance(value, dict):
            return {k: reorder(value[k]) for k in sorted(value, reverse=True)}
        if isinstance(value, list):
            return [reorder(v) for v in value]
        return value

    path = tmp_path / "model.json"
    small_model.save(path)
    path.write_text(json.dumps(reorder(json.loads(path.read_text()))))
    loaded = MarketingMixModel.load(path)
    assert loaded.channels == small_model.channels
    for name, r in small_model.channel_results().items():
        assert loaded.channel_results()[name]["roi"] == pytest.approx(r["roi"])


def test_a_channel_idle_now_has_the_return_of_its_next_step_as_marginal_roi():
    """At zero spend a Hill curve's slope is 0 or infinite: the next step's return is used."""
    spend, y, _ = synthetic(4, weeks=104)
    spend["tv"][-13:] = 0.0  # e.g. no trade show in the last quarter
    model = MarketingMixModel(holdout_weeks=0, n_draws=400).fit(spend, y)
    tv = model.channel_results()["tv"]
    assert tv["current_weekly_spend"] == 0
    assert np.isfinite(tv["mroi"]) and 0 <= tv["mroi_low"] <= tv["mroi"] <= tv["mroi_high"]
    # the same number as the model's own outcome for that step, draw-averaged
    step = 0.1 * spend["tv"].mean()
    now = model.current_allocation(1)
    gain = model.outcome({**now, "tv": step}, 1) - model.outcome(now, 1)
    assert tv["mroi"] == pytest.approx(gain / step, rel=1e-6)


def test_it_says_which_channels_the_data_barely_inform_until_a_lift_test_does():
    rng = np.random.default_rng(3)
    weeks = 104
    tv = rng.gamma(2.0, 500.0, weeks) * (rng.random(weeks) < 0.7)
    radio = np.full(weeks, 30.0) * rng.lognormal(0, 0.05, weeks)  # small and steady
    spend = {"tv": tv, "radio": radio}
    y = 5000 + 1.5 * tv + 1.0 * radio + rng.normal(0, 150, weeks)
    model = MarketingMixModel(holdout_weeks=0).fit(spend, y)
    vague = model.diagnostics()["weakly_identified"]
    assert [c["channel"] for c in vague] == ["radio"]
    radio_result = model.channel_results()["radio"]
    assert (vague[0]["roi_low"], vague[0]["roi_high"]) == (
        radio_result["roi_low"],
        radio_result["roi_high"],
    )
    assert (vague[0]["prior_low"], vague[0]["prior_high"]) == model.default_roi_interval
    assert 0 <= vague[0]["narrowing"] < 0.2
    assert "For radio, the data barely narrowed the range" in model.summary_text()
    assert "Pour radio, les données ont à peine resserré" in model.summary_text("fr")
    # measured against the range stated for the channel, when there is one
    stated = MarketingMixModel(holdout_weeks=0, roi_priors={"radio": (0.5, 2.0)}).fit(spend, y)
    (flag,) = stated.diagnostics()["weakly_identified"]
    assert (flag["channel"], flag["prior_low"], flag["prior_high"]) == ("radio", 0.5, 2.0)
    # an experiment on radio measures what the weekly data could not
    tested = MarketingMixModel(
        holdout_weeks=0, lift_tests=[Lift("radio", 120.0, 120.0, 15.0, weeks=4)]
    ).fit(spend, y)
    assert tested.diagnostics()["weakly_identified"] == []
    assert "barely narrowed" not in tested.summary_text()
