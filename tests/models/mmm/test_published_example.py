"""PyMC-Marketing's published MMM example: the model recovers the generator's parameters.

The data's spend is in arbitrary units (0 to 1 a week) against an outcome in the thousands, so
the returns per unit spent are in the thousands, far above the default ROI prior (0.2–8): the
data must outweigh the prior, and the diagnostics must say the prior was overruled.
"""

import json
import math

import pytest
from click.testing import CliRunner

from pilotage.cli import main
from pilotage.models.mmm import MarketingMixModel
from tests.models.mmm.published import CSV, load, truth


def fit(scale: float = 1.0, saturation: str = "logistic") -> MarketingMixModel:
    table = load()
    spend = {name: values * scale for name, values in table["spend"].items()}
    return MarketingMixModel(saturation=saturation, holdout_weeks=0).fit(
        spend, table["y"], dates=table["dates"], controls=table["controls"]
    )


@pytest.fixture(scope="module")
def model():
    return fit()


def test_it_finds_the_fit_far_from_the_prior(model):
    assert model.converged_, model.convergence_reasons_
    assert model.diagnostics()["r2"] > 0.9  # a start held to ROI ≤ 20 stalled at R² 0.31


def test_the_true_roi_of_each_channel_is_inside_its_interval_and_close(model):
    results = model.channel_results()
    for name, true in truth().items():
        r = results[name]
        assert r["roi_low"] <= true["roi"] <= r["roi_high"], name
        assert r["roi"] == pytest.approx(true["roi"], rel=0.05), name
        assert r["contribution_share"] == pytest.approx(true["contribution_share"], abs=0.01)


def test_it_recovers_carry_over_and_saturation(model):
    results = model.channel_results()
    for name, true in truth().items():
        half_life = math.log(0.5) / math.log(true["adstock_alpha"])
        assert results[name]["half_life_weeks"] == pytest.approx(half_life, abs=0.15), name
        # weekly spend at 80% of the logistic curve's maximum: tanh(λx/2) = 0.8
        point = 2 * math.atanh(0.8) / true["saturation_lam"]
        assert results[name]["saturation_weekly_spend"] == pytest.approx(point, rel=0.25), name


def test_it_says_the_data_overruled_the_prior_and_asks_about_units(model):
    conflicts = model.diagnostics()["prior_conflicts"]
    assert [c["channel"] for c in conflicts] == ["x1", "x2"]
    assert all(c["roi"] > 100 * c["prior_high"] for c in conflicts)
    assert all("same unit as the outcome" in c["message"] for c in conflicts)
    assert "For x1, x2, the data put the return far outside" in model.summary_text()
    assert "Pour x1, x2, les données" in model.summary_text("fr")


def test_spend_counted_in_another_unit_gives_the_same_returns_per_unit():
    raw = fit().channel_results()
    thousand = fit(scale=1000.0)
    assert thousand.diagnostics()["prior_conflicts"] == []  # now about 5 per unit: inside
    for name, r in thousand.channel_results().items():
        assert r["roi"] * 1000 == pytest.approx(raw[name]["roi"], rel=0.03), name
        assert r["contribution_share"] == pytest.approx(raw[name]["contribution_share"], rel=0.03)


def run_cli(*extra):
    args = [
        "mmm",
        "fit",
        "--csv",
        str(CSV),
        "--date-column",
        "date_week",
        "--target-column",
        "y",
        "--channels",
        "x1,x2",
        "--controls",
        "event_1,event_2",
        "--json",
        *extra,
    ]
    return CliRunner().invoke(main, args)


def test_the_cli_fits_the_published_example_with_the_forms_it_is_given():
    result = run_cli("--saturation", "logistic")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    for name, true in truth().items():
        r = doc["channels"][name]
        assert r["saturation"] == "logistic" and r["adstock"] == "geometric"
        assert r["roi_low"] <= true["roi"] <= r["roi_high"], name
    assert [c["channel"] for c in doc["diagnostics"]["prior_conflicts"]] == ["x1", "x2"]
    mixed = json.loads(run_cli("--saturation", "x2=logistic").output)["channels"]
    assert (mixed["x1"]["saturation"], mixed["x2"]["saturation"]) == (
        "michaelis_menten",
        "logistic",
    )


def test_the_cli_takes_a_stated_expected_return_per_channel():
    result = run_cli("--saturation", "logistic", "--roi-prior", "x1=4000:6500")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [c["channel"] for c in doc["diagnostics"]["prior_conflicts"]] == ["x2"]
    assert 4000 < doc["channels"]["x1"]["roi"] < 6500


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--roi-prior", "x1=0.5"], 'write "CHANNEL=LOW:HIGH"'),
        (["--roi-prior", "x1=a:b"], 'write "CHANNEL=LOW:HIGH"'),
        (["--roi-prior", "x3=1:2"], "no channel 'x3'"),
        (["--roi-prior", "x1=3:1"], "the range needs 0 < LOW < HIGH"),
        (["--saturation", "x3=logistic"], "no channel 'x3' (the channels are x1, x2)"),
        (["--saturation", "x1=logistic", "--saturation", "hill"], "CHANNEL=FORM each time"),
        (["--adstock", "weibull"], "unknown adstock 'weibull'; choose from geometric, delayed"),
    ],
)
def test_the_cli_names_a_wrong_form_or_channel(option, message):
    result = run_cli(*option)
    assert result.exit_code != 0
    assert message in result.output
