"""The CLI contract: summary CSV in, the documented JSON out, with a verdict in FR and EN."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from scipy import stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize, proportions_ztest

from pilotage.cli import main
from pilotage.models.experiments.summary_csv import SummaryError, read_arms
from pilotage.models.experiments.verdict import decide


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "arms.csv"
    path.write_text(text)
    return path


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("method", ["frequentist", "bayesian", "sequential"])
def test_it_prints_the_documented_json_for_every_method(tmp_path, method):
    path = _csv(tmp_path, "arm,users,conversions\nA,10000,400\nB,10000,470\n")
    result = run("experiment", "analyze", "--csv", str(path), "--method", method, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["control"] == "A" and set(data["variants"]) == {"B"}
    b = data["variants"]["B"]
    assert b["lift"] == pytest.approx(470 / 400 - 1)
    assert b["lift_low"] < b["lift"] < b["lift_high"]
    assert 0 < b["chance_to_win"] < 1 and b["risk"] >= 0
    assert ("p_value" in b) == (method != "bayesian")
    assert data["srm"]["ok"] is True and 0 <= data["srm"]["p_value"] <= 1
    assert data["verdict"] in {"industrialise", "cut", "continue", "iterate", "blocked"}


def test_it_matches_statsmodels_on_the_frequentist_p_value(tmp_path):
    path = _csv(tmp_path, "arm,users,conversions\nA,10000,400\nB,10000,470\n")
    data = json.loads(run("experiment", "analyze", "--csv", str(path), "--json").output)
    _, p = proportions_ztest([470, 400], [10000, 10000])
    assert data["variants"]["B"]["p_value"] == pytest.approx(p, abs=1e-9)


def test_it_blocks_the_verdict_on_a_sample_ratio_mismatch(tmp_path):
    path = _csv(tmp_path, "arm,users,conversions\nA,10000,400\nB,9000,470\n")
    data = json.loads(run("experiment", "analyze", "--csv", str(path), "--json").output)
    expected = stats.chisquare([10000, 9000]).pvalue
    assert data["srm"]["p_value"] == pytest.approx(expected)
    assert data["srm"]["ok"] is False and data["verdict"] == "blocked"
    assert "broken" in data["explanation"]["en"] and "faussée" in data["explanation"]["fr"]


def test_it_analyses_means_with_welch(tmp_path):
    path = _csv(tmp_path, "arm,users,sum,sum_squares\nA,500,25000,1700000\nB,520,28600,2100000\n")
    data = json.loads(
        run("experiment", "analyze", "--csv", str(path), "--metric-type", "mean", "--json").output
    )
    mean_a, mean_b = 25000 / 500, 28600 / 520
    var_a = (1700000 - 500 * mean_a**2) / 499
    var_b = (2100000 - 520 * mean_b**2) / 519
    ref = stats.ttest_ind_from_stats(
        mean_b, var_b**0.5, 520, mean_a, var_a**0.5, 500, equal_var=False
    )
    assert data["variants"]["B"]["p_value"] == pytest.approx(ref.pvalue, abs=1e-9)


def test_it_plans_like_statsmodels(tmp_path):
    result = run(
        "experiment",
        "plan",
        "--baseline",
        "0.04",
        "--mde",
        "0.1",
        "--daily-traffic",
        "800",
        "--arms",
        "2",
        "--json",
    )
    data = json.loads(result.output)
    exact = NormalIndPower().solve_power(proportion_effectsize(0.044, 0.04), alpha=0.05, power=0.8)
    assert data["users_per_arm_exact"] == pytest.approx(exact, rel=1e-6)
    assert data["users_per_arm"] == int(-(-exact // 1))
    assert data["days"] == -(-data["users_per_arm"] * 2 // 800)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("arm,users\nA,10\nB,10\n", "missing column(s) conversions"),
        ("arm,users,conversions\nA,100,4\nB,100,x\n", "line 3, column 3 (conversions)"),
        ("arm,users,conversions\nA,100,4\n", "at least one variant"),
        ("arm,users,conversions\nA,100,4\nB,100,140\n", "line 3"),
    ],
)
def test_it_names_the_line_and_column_of_a_bad_summary_file(tmp_path, text, message):
    with pytest.raises(SummaryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_arms(_csv(tmp_path, text))
    result = run("experiment", "analyze", "--csv", str(tmp_path / "arms.csv"))
    assert result.exit_code == 1 and "arms.csv" in result.output


@pytest.mark.parametrize(
    ("p", "chance", "lift", "finished", "expected"),
    [
        (0.01, 0.99, 0.12, False, "industrialise"),
        (0.01, 0.01, -0.12, False, "cut"),
        (0.20, 0.90, 0.05, False, "continue"),
        (0.20, 0.90, 0.05, True, "iterate"),
        (0.01, 0.90, 0.12, False, "continue"),  # significant but not confident enough
    ],
)
def test_it_turns_statistics_into_a_decision(p, chance, lift, finished, expected):
    verdict = decide(
        variant="B",
        metric="MQL rate",
        lift=lift,
        lift_low=lift - 0.05,
        lift_high=lift + 0.05,
        p_value=p,
        chance_to_win=chance,
        srm_ok=True,
        finished=finished,
    )
    assert verdict.code == expected
    assert verdict.sentence_en.startswith("Variant B")
    assert verdict.sentence_fr.startswith("La variante B")
