"""`pilotage clv fit`: the JSON contract, both inputs, and errors that name the line."""

import csv
import json

import pytest
from click.testing import CliRunner

from pilotage.cli import main
from tests.models.clv.conftest import LIFETIMES_WARNINGS

pytestmark = LIFETIMES_WARNINGS


@pytest.fixture(scope="module")
def summary_csv(tmp_path_factory, cdnow):
    path = tmp_path_factory.mktemp("clv") / "summary.csv"
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["customer_id", "frequency", "recency", "T", "monetary_value"])
        columns = ("frequency", "recency", "T", "monetary_value")
        for i, row in enumerate(zip(*(cdnow[k] for k in columns), strict=True), start=1):
            out.writerow([i, *row])
    return path


def test_it_prints_the_documented_json(summary_csv, lifetimes_fits):
    result = CliRunner().invoke(
        main, ["clv", "fit", "--summary-csv", str(summary_csv), "--horizon-months", "12", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: round(data["bgnbd"][k], 3) for k in ("r", "alpha", "a", "b")} == {
        "r": 0.243,
        "alpha": 4.414,
        "a": 0.793,
        "b": 2.426,
    }
    assert data["bgnbd"]["loglik"] == pytest.approx(-9582.4, abs=0.05)
    assert set(data["gamma_gamma"]) >= {"p", "q", "v"}
    first = data["customers"][0]
    assert set(first) == {
        "customer_id",
        "expected_purchases",
        "probability_alive",
        "expected_average_value",
        "clv",
    }
    bg, gg = lifetimes_fits
    assert first["customer_id"] == "1"
    expected = bg.conditional_expected_number_of_purchases_up_to_time(12 * 4.345, 2, 30.43, 38.86)
    assert first["expected_purchases"] == pytest.approx(float(expected), rel=1e-4)


def test_it_summarises_a_transactions_file_and_prints_a_table(tmp_path):
    from lifetimes.datasets import load_dataset

    data = load_dataset("CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str, "date": str})
    data = data[data["customer_id"].astype(int) <= 1000]
    path = tmp_path / "orders.csv"
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["client", "day", "amount"])
        for client, day, amount in zip(
            data["customer_id"], data["date"], data["dollar_value"], strict=True
        ):
            out.writerow([client, f"{day[:4]}-{day[4:6]}-{day[6:]}", amount])
    args = ["clv", "fit", "--transactions-csv", str(path), "--customer-column", "client"]
    args += ["--date-column", "day", "--value-column", "amount", "--freq", "W"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("BG/NBD: r=") and "980 more customers" in result.output


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("client,day,amount\nc1,2024-01-02,10\nc2,02/01/2024,5\n", "line 3, column 2 (day)"),
        ("client,day,amount\nc1,2024-01-02,ten\n", "line 2, column 3 (amount)"),
        ("client,date,amount\nc1,2024-01-02,1\n", "line 1: no column 'day'"),
    ],
)
def test_it_names_the_file_line_and_column_of_bad_transactions(tmp_path, text, where):
    path = tmp_path / "orders.csv"
    path.write_text(text)
    args = ["clv", "fit", "--transactions-csv", str(path), "--customer-column", "client"]
    result = CliRunner().invoke(main, [*args, "--date-column", "day", "--value-column", "amount"])
    assert result.exit_code == 1 and f"orders.csv, {where}" in result.output


def test_it_names_the_line_of_an_impossible_summary(tmp_path):
    path = tmp_path / "summary.csv"
    path.write_text("customer_id,frequency,recency,T,monetary_value\na,2,30,38,20\nb,1,40,38,5\n")
    result = CliRunner().invoke(main, ["clv", "fit", "--summary-csv", str(path)])
    assert result.exit_code == 1
    assert "summary.csv, line 3, column 4 (T): expected a number ≥ recency" in result.output


def test_it_wants_exactly_one_input(tmp_path):
    result = CliRunner().invoke(main, ["clv", "fit"])
    assert result.exit_code == 2 and "--transactions-csv or --summary-csv" in result.output
