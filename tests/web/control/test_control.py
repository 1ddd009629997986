"""The control dashboard: who sees it, and that its numbers are the metrics layer's."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pilotage.metrics import MetricQuery, run
from pilotage.web.control.scorecard import period_for, source_for

pytestmark = pytest.mark.django_db

VIEWS = [
    ("control", {}),
    ("control_drill", {"channel": "Paid search"}),
    ("control_export", {}),
    ("control_variance", {"period": "2025"}),
]
EXPECTED = {"owner": 200, "manager": 200, "viewer": 200, "agency": 403, "outsider": 404}


def _url(view, slug):
    if view == "control_export":
        return reverse(view, args=[slug, "channels", "csv"])
    return reverse(view, args=[slug])


@pytest.mark.parametrize(("view", "params"), VIEWS)
@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_it_shows_the_control_pages_to_roles_that_see_financials(
    client, personas, view, params, persona
):
    client.force_login(getattr(personas, persona))
    response = client.get(_url(view, personas.workspace.slug), params)
    assert response.status_code == EXPECTED[persona]


def test_it_shows_the_scorecard_with_the_runners_numbers(client, personas):
    client.force_login(personas.owner)
    page = client.get(reverse("control", args=[personas.workspace.slug]))
    tiles = {t.metric: t for t in page.context["tiles"]}
    assert {"cac", "romi", "ltv_to_cac", "mql_to_sql", "nps"} <= set(tiles)
    source = source_for(personas.workspace)
    _, period = period_for(source, None)
    [row] = run(MetricQuery(("cac", "nps"), period.start, period.end), source).rows
    assert tiles["cac"].value == pytest.approx(row["cac"])
    assert tiles["nps"].value == pytest.approx(row["nps"])
    assert tiles["cac"].compare is not None  # same period last year exists in the demo


def test_it_exports_the_channel_table_with_the_numbers_of_the_page(client, personas):
    client.force_login(personas.manager)
    slug = personas.workspace.slug
    page = client.get(reverse("control", args=[slug]), {"period": "2025"})
    on_page = {r["channel"]: r for r in page.context["table_rows"]}
    metrics = page.context["table_metrics"]
    response = client.get(
        reverse("control_export", args=[slug, "channels", "csv"]), {"period": "2025"}
    )
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["channel"] for r in rows} == set(on_page)
    for r in rows:
        for m in metrics:
            expected = on_page[r["channel"]][m]
            assert (r[m] == "") if expected is None else float(r[m]) == pytest.approx(expected)
    book = client.get(
        reverse("control_export", args=[slug, "channels", "xlsx"]), {"period": "2025"}
    )
    sheet = load_workbook(io.BytesIO(book.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "channel" and len(values) == len(rows) + 1
    by_channel = {v[0]: v for v in values[1:]}
    cost = metrics.index("marketing_cost") + 1
    for name, row in on_page.items():
        assert by_channel[name][cost] == pytest.approx(row["marketing_cost"])


def test_it_drills_down_to_the_spend_lines_behind_a_channel_figure(client, personas):
    client.force_login(personas.viewer)
    slug = personas.workspace.slug
    page = client.get(reverse("control", args=[slug]), {"period": "2025"})
    cost = {r["channel"]: r["marketing_cost"] for r in page.context["table_rows"]}
    drill = client.get(
        reverse("control_drill", args=[slug]), {"period": "2025", "channel": "Trade shows"}
    )
    spend = drill.context["sections"]["spend"]
    assert spend["total"] == pytest.approx(cost["Trade shows"])
    assert spend["count"] == len(spend["rows"])
    assert all(row[0][0].year == 2025 for row in spend["rows"])  # the date column


def test_it_filters_the_scorecard_by_channel_through_htmx(client, personas):
    client.force_login(personas.owner)
    response = client.get(
        reverse("control", args=[personas.workspace.slug]),
        {"channel": "Paid search", "period": "2025"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="control-body">')  # the partial, not the page
    everything = client.get(reverse("control", args=[personas.workspace.slug]), {"period": "2025"})
    filtered = {t.metric: t.value for t in response.context["tiles"]}
    total = {t.metric: t.value for t in everything.context["tiles"]}
    assert filtered["new_customers"] < total["new_customers"]


def test_it_speaks_french_on_the_control_page(client, personas):
    client.force_login(personas.owner)
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("control", args=[personas.workspace.slug])).content.decode()
    assert "Coûts marketing / nouveaux clients" in html  # the CAC formula as a tooltip


def test_it_shows_the_b2c_company_without_lead_figures(client, personas):
    client.force_login(personas.outsider)
    page = client.get(reverse("control", args=[personas.other.slug]))
    assert page.status_code == 200
    assert "mql_to_sql" not in {t.metric for t in page.context["tiles"]}
    assert "leads" not in page.context["table_metrics"]


def test_it_explains_the_change_of_new_customers_and_cac_with_parts_that_add_up(client, personas):
    client.force_login(personas.owner)
    page = client.get(
        reverse("control_variance", args=[personas.workspace.slug]),
        {"period": "2025", "compare": "last_year"},
    )
    customers, cac = page.context["customers"], page.context["cac"]
    source = source_for(personas.workspace)
    now = run(
        MetricQuery(("new_customers", "cac"), dt.date(2025, 1, 1), dt.date(2025, 12, 31)), source
    ).rows[0]
    then = run(
        MetricQuery(("new_customers", "cac"), dt.date(2024, 1, 1), dt.date(2024, 12, 31)), source
    ).rows[0]
    assert (customers["before"], customers["after"]) == (
        then["new_customers"],
        now["new_customers"],
    )
    assert sum(customers["parts"].values()) == pytest.approx(
        customers["after"] - customers["before"], abs=1e-9
    )
    assert cac["after"] == pytest.approx(now["cac"]) and cac["before"] == pytest.approx(then["cac"])
    assert sum(cac["parts"].values()) == pytest.approx(cac["after"] - cac["before"])
    assert [c["id"] for c in page.context["charts"] if c["spec"]] == [
        "customers-waterfall",
        "cac-waterfall",
    ]


def test_it_lands_the_year_against_the_baseline_budget(client, personas):
    from pilotage.web.plans.demo import load_demo_plan

    load_demo_plan(personas.workspace)
    client.force_login(personas.owner)
    page = client.get(
        reverse("control_variance", args=[personas.workspace.slug]), {"period": "2026"}
    )
    budget = page.context["budget"]
    assert budget["as_of"] == dt.date(2026, 9, 30)  # the demo's data stops there
    landing = budget["landing"]
    assert landing.actual_to_date == pytest.approx(budget["actual_total"])
    assert landing.low < landing.estimate < landing.high
    assert landing.estimate > landing.actual_to_date  # three months still to come
    assert 'id="landing"' in page.content.decode()


def test_it_opens_the_control_pages_to_an_agency_granted_the_financials(client, personas):
    from pilotage.web.workspaces.models import Membership

    client.force_login(personas.agency)
    url = reverse("control", args=[personas.workspace.slug])
    assert client.get(url).status_code == 403
    Membership.objects.filter(user=personas.agency).update(financials_granted=True)
    assert client.get(url).status_code == 200
    assert client.get(reverse("budget", args=[personas.workspace.slug])).status_code == 200


def test_it_filters_by_region_and_shows_n_a_for_kpis_without_regions(client, personas):
    client.force_login(personas.owner)
    url = reverse("control", args=[personas.workspace.slug])
    page = client.get(url, {"period": "2025", "region": "Grand Est"})
    tiles = {t.metric: t for t in page.context["tiles"]}
    everything = {t.metric: t for t in client.get(url, {"period": "2025"}).context["tiles"]}
    assert 0 < tiles["new_customers"].value < everything["new_customers"].value
    assert tiles["cac"].value is None  # spend has no region: n/a rather than a wrong ratio
    assert "Grand Est" in page.context["regions"]


def test_it_draws_the_plan_line_of_a_kpi_target_on_the_trend(client, personas):
    from pilotage.web.plans.services import set_target

    set_target(personas.workspace, "new_customers", dt.date(2025, 1, 1), dt.date(2025, 12, 31), 365)
    client.force_login(personas.owner)
    page = client.get(reverse("control", args=[personas.workspace.slug]), {"period": "2025"})
    [trend] = [c for c in page.context["charts"] if c["id"] == "trend"]
    plan_layer = trend["spec"]["layer"][1]["data"]["values"]
    january = next(p for p in plan_layer if p["month"] == "2025-01-01")
    assert january["value"] == pytest.approx(31.0)  # 365 a year, prorated by day


@pytest.mark.parametrize("period", ["0", "99999", "²", "abc", "2019"])
@pytest.mark.parametrize("view", ["control", "control_variance", "control_drill", "home"])
def test_it_falls_back_to_the_last_12_months_on_a_strange_period(client, personas, view, period):
    client.force_login(personas.owner)
    response = client.get(
        reverse(view, args=[personas.workspace.slug]), {"period": period, "channel": "Email"}
    )
    assert response.status_code == 200
    assert response.context["period_choice"] == "last12"


def test_it_filters_a_b2c_company_by_region_without_failing(client, personas):
    client.force_login(personas.outsider)
    response = client.get(reverse("control", args=[personas.other.slug]), {"region": "North"})
    assert response.status_code == 200
    tiles = {t.metric: t.value for t in response.context["tiles"]}
    assert tiles["new_customers"] == 0  # orders carry no region


def test_it_quotes_text_a_spreadsheet_would_run_as_a_formula():
    from pilotage.web.control.exports import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("Paid search") == "Paid search" and _cell(-3.5) == -3.5


def test_it_filters_by_segment(client, personas, demo_warehouse):
    leads = demo_warehouse.read(personas.workspace.slug, "leads").to_pylist()
    industries = sorted({r["industry"] for r in leads if r["industry"]})
    client.force_login(personas.owner)
    url = reverse("control", args=[personas.workspace.slug])
    everything = client.get(url, {"period": "2025"}).context
    assert everything["segments"] == industries
    segment = industries[0]
    page = client.get(url, {"period": "2025", "segment": segment})
    tiles = {t.metric: t for t in page.context["tiles"]}
    expected = sum(
        1
        for r in leads
        if r["industry"] == segment
        and r["customer_at"] is not None
        and r["customer_at"].year == 2025
    )
    assert tiles["new_customers"].value == expected > 0
    assert tiles["cac"].value is None  # spend has no segment: n/a rather than a wrong ratio
    assert f'<option value="{segment}" selected>' in page.content.decode()


def test_it_paces_the_month_under_way_against_its_prorated_plan(client, personas):
    from pilotage.warehouse import connect
    from pilotage.web.control import variances
    from pilotage.web.control.scorecard import source_for
    from pilotage.web.plans.demo import load_demo_plan
    from pilotage.web.plans.services import baseline, budget_totals
    from pilotage.web.workspaces.services import warehouse

    load_demo_plan(personas.workspace)
    totals = budget_totals(baseline(personas.workspace, 2026))
    mid = dt.date(2026, 9, 12)  # 12 of September's 30 days
    month = variances._month_to_date(
        source_for(personas.workspace), totals, dt.date(2026, 1, 1), mid
    )
    spent = dict(
        connect(warehouse(), personas.workspace.slug)
        .execute(
            "SELECT channel, sum(cost) FROM spend WHERE date BETWEEN '2026-09-01' AND "
            "'2026-09-12' GROUP BY channel"
        )
        .fetchall()
    )
    for line in month["lines"]:
        paced = line["pacing"]
        plan = float(totals.cells.get((line["channel"], 9)).planned)
        assert paced.plan_to_date == pytest.approx(plan * 12 / 30)
        assert paced.actual_to_date == pytest.approx(spent.get(line["channel"], 0.0))
    assert month["total"].actual_to_date == pytest.approx(sum(spent.values()))
    estimate = month["landing"]
    assert estimate.low < estimate.estimate < estimate.high
    assert estimate.estimate > month["total"].actual_to_date  # 18 days still to come
    # the whole month of data: nothing to land
    client.force_login(personas.owner)
    url = reverse("control_variance", args=[personas.workspace.slug])
    page = client.get(url, {"period": "2026"})
    assert page.context["budget"]["month"]["complete"]
    assert 'id="month-to-date"' in page.content.decode()


@pytest.mark.parametrize("company", ["workspace", "other"])
def test_it_drills_from_every_scorecard_figure_to_rows_that_add_up_to_it(client, personas, company):
    """Each tile links to the rows its KPI reads; their totals give back the figure."""
    workspace = getattr(personas, company)
    client.force_login(personas.owner if company == "workspace" else personas.outsider)
    slug = workspace.slug
    page = client.get(reverse("control", args=[slug]), {"period": "2025"})
    tiles = {t.metric: t.value for t in page.context["tiles"]}
    body = page.content.decode()
    for metric in tiles:
        assert f"metric={metric}" in body  # every figure links to its rows

    def drill(metric, channel=None):
        params = {"period": "2025", "metric": metric} | ({"channel": channel} if channel else {})
        return client.get(reverse("control_drill", args=[slug]), params).context["sections"]

    cac = drill("cac")
    assert set(cac) == {"spend", "other_costs", "customers"}
    cost = cac["spend"]["total"] + cac["other_costs"]["total"]
    assert cost / cac["customers"]["count"] == pytest.approx(tiles["cac"])
    if tiles.get("nps") is not None:
        from pilotage.warehouse import connect
        from pilotage.web.workspaces.services import warehouse

        answers = drill("nps")["responses"]
        promoters, detractors, total = (
            connect(warehouse(), slug)
            .execute(
                "SELECT count(*) FILTER (score >= 9), count(*) FILTER (score <= 6), count(*) "
                "FROM survey_responses WHERE year(responded_at) = 2025"
            )
            .fetchone()
        )
        assert answers["count"] == total
        assert 100 * (promoters - detractors) / total == pytest.approx(tiles["nps"])
    # a cell of the channel table: that channel's rows only
    rows = {r["channel"]: r for r in page.context["table_rows"]}
    channel = next(c for c, r in rows.items() if r.get("marketing_cost"))
    by_channel = drill("marketing_cost", channel)
    assert by_channel["spend"]["total"] + by_channel["other_costs"]["total"] == pytest.approx(
        rows[channel]["marketing_cost"]
    )
    assert {row[1][0] for row in by_channel["spend"]["rows"]} == {channel}
