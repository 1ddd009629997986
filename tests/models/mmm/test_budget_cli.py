"""`pilotage budget optimize` on a model fitted by `pilotage mmm fit`: the documented JSON, the
total to the cent, the bounds held, and never worse than the current mix."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pilotage.cli import main
from tests.models.mmm.test_cli import write_csv


def fitted(tmp_path):
    csv = write_csv(tmp_path / "weekly.csv")
    model = tmp_path / "model.json"
    args = [
        "mmm",
        "fit",
        "--csv",
        str(csv),
        "--date-column",
        "week",
        "--target-column",
        "sales",
        "--channels",
        "tv,search",
        "--model-out",
        str(model),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return model


def optimize(model, *extra):
    return CliRunner().invoke(
        main, ["budget", "optimize", "--model", str(model), "--weeks", "13", *extra]
    )


def test_it_allocates_the_total_under_the_bounds_and_beats_the_current_mix(tmp_path):
    model = fitted(tmp_path)
    result = optimize(model, "--total", "130000", "--min", "tv=20000", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert {"allocation", "expected", "current", "uplift"} <= set(doc)
    assert round(sum(doc["allocation"].values()), 2) == 130000.00
    assert doc["allocation"]["tv"] >= 20000
    for interval in (doc["expected"], doc["uplift"]):
        assert interval["low"] <= interval["mean"] <= interval["high"]
    assert doc["uplift"]["mean"] >= 0 or doc["kept_current"]
    readable = optimize(model, "--total", "130000")
    assert readable.exit_code == 0 and "expected uplift" in readable.output


def test_it_refuses_impossible_bounds_and_unknown_channels(tmp_path):
    model = fitted(tmp_path)
    impossible = optimize(model, "--total", "1000", "--min", "tv=5000")
    assert impossible.exit_code == 1
    assert "tv" in impossible.output
    unknown = optimize(model, "--total", "1000", "--min", "radio=10")
    assert unknown.exit_code == 2
    assert "radio" in unknown.output


def test_it_moves_only_as_far_as_the_confidence_allows(tmp_path):
    model = fitted(tmp_path)
    plain = json.loads(optimize(model, "--total", "130000", "--json").output)
    sure = optimize(model, "--total", "130000", "--confidence", "0.95", "--json")
    assert sure.exit_code == 0, sure.output
    doc = json.loads(sure.output)
    assert round(sum(doc["allocation"].values()), 2) == 130000.00
    assert doc["chance_better"] >= 0.95 or doc["kept_current"]
    assert 0 <= plain["chance_better"] <= 1
    assert doc["uplift"]["mean"] <= plain["uplift"]["mean"] + 1e-6
    wrong = optimize(model, "--total", "130000", "--confidence", "1.5")
    assert wrong.exit_code == 2 and "--confidence" in wrong.output


def test_it_speaks_french_when_asked(tmp_path):
    model = fitted(tmp_path)
    impossible = optimize(model, "--total", "1000", "--min", "tv=5000", "--language", "fr")
    assert impossible.exit_code == 1
    assert "Les planchers totalisent 5\u202f000,00" in impossible.output
    english = optimize(model, "--total", "1000", "--min", "tv=5000")
    assert "The floors add up to 5,000.00, more than the total budget of 1,000.00" in (
        english.output
    )
    # ten times the pace: beyond the spend the model has seen, a warning in French; the JSON's
    # warnings stay in English (the documented contract)
    far = optimize(model, "--total", "2000000", "--language", "fr")
    assert far.exit_code == 0, far.output
    assert "attention: " in far.output and "la plus forte dépense hebdomadaire" in far.output
    doc = json.loads(optimize(model, "--total", "2000000", "--language", "fr", "--json").output)
    assert doc["warnings"] and all("highest weekly spend" in w for w in doc["warnings"])


def test_the_budget_curve_prints_the_optimum_at_each_share_of_the_current_total(tmp_path):
    from pilotage.models.mmm import MarketingMixModel

    model = fitted(tmp_path)
    result = CliRunner().invoke(
        main,
        ["budget", "curve", "--model", str(model), "--weeks", "13", "--shares", "1.5,0.5,1"]
        + ["--json"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    current = sum(MarketingMixModel.load(model).current_allocation(13).values())
    assert doc["current_total"] == current
    points = doc["points"]
    assert [p["share"] for p in points] == [0.5, 1.0, 1.5]
    assert points[0]["marginal"] is None
    for p in points:
        assert round(sum(p["allocation"].values()), 2) == round(p["total"], 2)
        assert p["total"] == round(current * p["share"], 2)
        assert p["expected"]["low"] <= p["expected"]["mean"] <= p["expected"]["high"]
    means = [p["expected"]["mean"] for p in points]
    assert means == sorted(means)  # more budget, more outcome
    assert points[1]["marginal"]["mean"] > points[2]["marginal"]["mean"] > 0
    readable = CliRunner().invoke(main, ["budget", "curve", "--model", str(model), "--weeks", "13"])
    assert readable.exit_code == 0 and "per extra €" in readable.output
    bad = CliRunner().invoke(
        main, ["budget", "curve", "--model", str(model), "--weeks", "13", "--shares", "a,1"]
    )
    assert bad.exit_code == 2 and "--shares" in bad.output
    negative = CliRunner().invoke(
        main, ["budget", "curve", "--model", str(model), "--weeks", "13", "--shares", "0,1"]
    )
    assert negative.exit_code == 1 and "must be positive" in negative.output
