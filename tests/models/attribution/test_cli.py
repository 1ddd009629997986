"""`pilotage attribution --paths-csv … --model … --json`: the issue's JSON contract."""

import json

import pytest
from click.testing import CliRunner

from pilotage.cli import main

PATHS = (
    "path,total_conversions,total_conversion_value,total_null\na > b,2,200,0\na,0,0,1\nb,1,50,0\n"
)


@pytest.mark.parametrize("model", ["markov", "shapley", "first_touch", "linear"])
def test_it_prints_channels_with_conversions_value_and_share(tmp_path, model):
    path = tmp_path / "paths.csv"
    path.write_text(PATHS)
    result = CliRunner().invoke(
        main, ["attribution", "--paths-csv", str(path), "--model", model, "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["channels"]) == {"a", "b"}
    total = sum(c["conversions"] for c in data["channels"].values())
    assert total == pytest.approx(3)
    assert sum(c["share"] for c in data["channels"].values()) == pytest.approx(1)
    assert ("removal_effects" in data) == (model == "markov")


def test_it_credits_first_touch_by_hand(tmp_path):
    path = tmp_path / "paths.csv"
    path.write_text(PATHS)
    data = json.loads(
        CliRunner()
        .invoke(main, ["attribution", "--paths-csv", str(path), "--model", "first_touch", "--json"])
        .output
    )
    assert data["channels"]["a"]["conversions"] == 2 and data["channels"]["b"]["conversions"] == 1
    assert data["channels"]["a"]["value"] == 200


def test_it_names_the_line_of_a_bad_paths_file(tmp_path):
    path = tmp_path / "paths.csv"
    path.write_text("path,total_conversions\na > b,x\n")
    result = CliRunner().invoke(
        main, ["attribution", "--paths-csv", str(path), "--model", "markov"]
    )
    assert result.exit_code == 1 and "line 2" in result.output
