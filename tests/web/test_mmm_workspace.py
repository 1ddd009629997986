"""`pilotage mmm fit --workspace`: the weekly table built from a workspace's warehouse."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from pilotage.cli import main
from pilotage.models.mmm import weekly_table
from pilotage.web.workspaces.services import warehouse

pytestmark = pytest.mark.django_db


def test_the_weekly_table_adds_up_to_the_warehouse(personas):
    slug = personas.other.slug  # Boutique Demo (B2C): customers from orders
    table = weekly_table(warehouse(), slug, "customers")
    weeks = table["dates"]
    assert all((b - a).days == 7 for a, b in zip(weeks, weeks[1:], strict=False))
    assert weeks[0].weekday() == 0  # Monday weeks
    spend = warehouse().read(slug, "spend").to_pylist()
    first, end = weeks[0], weeks[-1] + dt.timedelta(days=6)
    for channel, series in table["spend"].items():
        expected = sum(
            r["cost"] for r in spend if r["channel"] == channel and first <= r["date"] <= end
        )
        assert series.sum() == pytest.approx(expected, rel=1e-9), channel


def test_the_weekly_table_counts_the_weekday_public_holidays(personas):
    from pilotage.execution.retroplanning import french_holidays

    slug = personas.workspace.slug
    table = weekly_table(warehouse(), slug, "leads", holidays=french_holidays(2024, 2025, 2026))
    counts = dict(zip(table["dates"], table["controls"]["public_holidays"], strict=True))
    assert counts[dt.date(2025, 7, 14)] == 1  # Bastille Day, a Monday
    assert counts[dt.date(2025, 12, 22)] == 1  # Christmas, a Thursday
    assert counts[dt.date(2025, 11, 10)] == 1  # 11 November, a Tuesday
    assert counts[dt.date(2025, 11, 3)] == 0  # 1 November 2025 is a Saturday: not counted
    assert counts[dt.date(2026, 5, 11)] == 1  # Ascension, Thursday 14 May 2026
    assert sum(counts.values()) == sum(
        1
        for d in french_holidays(2024, 2025, 2026)
        if d.weekday() < 5 and table["dates"][0] <= d <= table["dates"][-1] + dt.timedelta(days=4)
    )
    assert weekly_table(warehouse(), slug, "leads")["controls"] == {}


def test_the_model_controls_for_the_holidays_of_the_workspaces_country(personas):
    from pilotage.web.mmm.services import holidays_of

    workspace = personas.workspace
    slug = workspace.slug
    french = weekly_table(warehouse(), slug, "leads", holidays=holidays_of(workspace))
    counts = dict(zip(french["dates"], french["controls"]["public_holidays"], strict=True))
    assert counts[dt.date(2025, 7, 14)] == 1 and counts[dt.date(2025, 8, 25)] == 0
    workspace.country, workspace.region = "GB", "ENG"
    english = weekly_table(warehouse(), slug, "leads", holidays=holidays_of(workspace))
    counts = dict(zip(english["dates"], english["controls"]["public_holidays"], strict=True))
    assert counts[dt.date(2025, 7, 14)] == 0  # not a day off in England
    assert counts[dt.date(2025, 8, 25)] == 1  # the summer bank holiday
    assert counts[dt.date(2025, 12, 22)] == 2  # Christmas and Boxing Day
    workspace.country, workspace.region = "", ""
    assert holidays_of(workspace) is None
    assert (
        weekly_table(warehouse(), slug, "leads", holidays=holidays_of(workspace))["controls"] == {}
    )


def test_fit_from_a_workspace(personas, tmp_path):
    from pilotage.models.mmm import MarketingMixModel

    saved = tmp_path / "model.json"
    result = CliRunner().invoke(
        main,
        ["mmm", "fit", "--workspace", personas.other.slug, "--target", "customers", "--json"]
        + ["--model-out", str(saved)],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert {"Paid search", "Paid social"} <= set(doc["channels"])
    assert "converged" in doc["diagnostics"]
    # as on the web, the weekday public holidays of the company's country are a control
    assert MarketingMixModel.load(saved).control_names_ == ("public_holidays",)
    # without --json, the summary counts new customers per 1,000 of the workspace's currency
    text = (
        CliRunner()
        .invoke(main, ["mmm", "fit", "--workspace", personas.other.slug, "--target", "customers"])
        .output
    )
    assert "new customers per 1,000 €" in text and "€ per €" not in text


def test_csv_or_workspace_not_both(personas, tmp_path):
    result = CliRunner().invoke(
        main, ["mmm", "fit", "--workspace", personas.other.slug, "--csv", __file__]
    )
    assert result.exit_code == 2
    assert "either --csv" in result.output
