import csv
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from pilotage.cli import main
from tests.models.mmm.conftest import synthetic


def write_csv(path, rows=104):
    spend, y, _ = synthetic(0, weeks=rows)
    start = dt.date(2024, 1, 1)
    lines = ["week,sales,tv,search"] + [
        f"{start + dt.timedelta(days=7 * i)},{y[i]:.2f},{spend['tv'][i]:.2f},"
        f"{spend['search'][i]:.2f}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_it_fits_a_csv_and_prints_the_documented_json(tmp_path):
    csv = write_csv(tmp_path / "weekly.csv")
    out = tmp_path / "model.json"
    result = CliRunner().invoke(
        main,
        [
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
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    for r in doc["channels"].values():
        assert {"roi", "roi_low", "roi_high", "mroi", "contribution_share"} <= set(r)
    assert {"r2", "mape", "converged", "durbin_watson", "holdout"} <= set(doc["diagnostics"])
    assert {"prior_conflicts", "weakly_identified"} <= set(doc["diagnostics"])
    assert json.loads(out.read_text())["format"] == "pilotage-mmm/1"


def test_it_names_file_line_and_column_of_a_bad_value(tmp_path):
    csv = write_csv(tmp_path / "weekly.csv")
    lines = csv.read_text().splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0] + ",lots"
    csv.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(
        main,
        [
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
        ],
    )
    assert result.exit_code == 1
    assert f"{csv}, line 6, column 'search': 'lots' is not a number" in result.output


def test_it_writes_the_weekly_contributions_as_csv(tmp_path):
    csv_in = write_csv(tmp_path / "weekly.csv")
    out = tmp_path / "contributions.csv"
    result = CliRunner().invoke(
        main,
        [
            "mmm",
            "fit",
            "--csv",
            str(csv_in),
            "--date-column",
            "week",
            "--target-column",
            "sales",
            "--channels",
            "tv,search",
            "--contributions-out",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    channels = json.loads(result.output)["channels"]
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 104 and rows[0]["week"] == "2024-01-01"
    assert list(rows[0])[:6] == [
        "week",
        "actual",
        "baseline",
        "baseline low",
        "baseline high",
        "baseline mode",
    ]
    fitted = [sum(float(row[f"{name} mode"]) for name in ["baseline", *channels]) for row in rows]
    assert sum(fitted) == pytest.approx(sum(float(row["actual"]) for row in rows), rel=0.01)
    for name, r in channels.items():
        total = sum(float(row[name]) for row in rows)
        assert total == pytest.approx(r["roi"] * r["spend"], rel=1e-4)
        assert all(float(row[f"{name} low"]) <= float(row[name]) for row in rows)
        assert all(float(row[name]) <= float(row[f"{name} high"]) for row in rows)
    sales = [float(line.split(",")[1]) for line in csv_in.read_text().splitlines()[1:]]
    assert [float(row["actual"]) for row in rows] == pytest.approx(sales, rel=1e-5)
