"""The Test & Learn registry: who may do what, the power shown, results, verdict, decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pilotage.web.experiments.models import ArmResult, Experiment, Status
from pilotage.web.workspaces.models import AuditEvent

pytestmark = pytest.mark.django_db

PILOT = {
    "name": "Audience LinkedIn DAF",
    "we_believe": "targeting finance directors",
    "will": "raise the MQL rate",
    "because": "they sign the purchase orders",
    "channel": "LinkedIn ads",
    "objective": "+20% MQL in 2026",
    "metric": "MQL rate",
    "metric_type": "proportion",
    "guardrails": "cost per lead",
    "unit": "visitor",
    "baseline": "0.04",
    "mde": "0.1",
    "daily_traffic": "1600",
    "arms": "2",
    "planned_start": "2026-11-01",
    "duration_days": "15",
}


@pytest.fixture
def pilot(personas) -> Experiment:
    return Experiment.objects.create(
        workspace=personas.workspace,
        owner=personas.owner,
        assignee=personas.agency,
        **{
            k: v
            for k, v in PILOT.items()
            if k
            not in ("baseline", "mde", "daily_traffic", "arms", "duration_days", "planned_start")
        },
        baseline=0.04,
        mde=0.1,
        daily_traffic=1600,
        arms=2,
        duration_days=15,
        planned_start=dt.date(2026, 11, 1),
        status=Status.RUNNING,
    )


def _results(client, personas, pilot, users=(12000, 12000), conversions=(480, 600)):
    return client.post(
        reverse("experiment_results", args=[personas.workspace.slug, pilot.pk]),
        {
            "day": "2026-11-10",
            "users_A": users[0],
            "conversions_A": conversions[0],
            "users_B": users[1],
            "conversions_B": conversions[1],
        },
    )


def test_it_creates_a_pilot_and_shows_its_power_calculation(client, personas):
    client.force_login(personas.manager)
    response = client.post(reverse("experiment_new", args=[personas.workspace.slug]), PILOT)
    assert response.status_code == 302
    pilot = Experiment.objects.get(name=PILOT["name"])
    assert pilot.owner == personas.manager and pilot.status == Status.DRAFT
    page = client.get(response["Location"])
    design = page.context["design"]
    # statsmodels NormalIndPower for Cohen's h(0.044, 0.04), α 0.05, power 0.8: 39,454.06
    assert design["users_per_arm"] == 39455
    assert design["days"] == -(-39455 * 2 // 1600)
    assert AuditEvent.objects.filter(object_type="experiments.experiment").count() == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 302), ("manager", 302), ("agency", 302), ("viewer", 403), ("outsider", 404)],
)
def test_it_lets_only_editors_and_the_assigned_agency_enter_results(
    client, personas, pilot, persona, expected
):
    client.force_login(getattr(personas, persona))
    assert _results(client, personas, pilot).status_code == expected
    assert ArmResult.objects.filter(experiment=pilot).exists() == (expected == 302)


def test_it_hides_pilots_not_assigned_to_an_agency_member(client, personas, pilot):
    other = Experiment.objects.create(
        workspace=personas.workspace,
        owner=personas.owner,
        name="Other",
        we_believe="x",
        will="y",
        because="z",
        channel="Email",
        objective="o",
        metric="m",
        baseline=0.1,
        daily_traffic=100,
    )
    client.force_login(personas.agency)
    listing = client.get(reverse("experiments", args=[personas.workspace.slug]))
    assert [r["pilot"].name for r in listing.context["rows"]] == [pilot.name]
    url = reverse("experiment", args=[personas.workspace.slug, other.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "agency"])
def test_it_refuses_decisions_and_creation_to_readers(client, personas, pilot, persona):
    client.force_login(getattr(personas, persona))
    decide = reverse("experiment_decide", args=[personas.workspace.slug, pilot.pk])
    assert client.post(decide, {"decision": "cut", "rationale": "x"}).status_code == 403
    new = reverse("experiment_new", args=[personas.workspace.slug])
    assert client.get(new).status_code == 403


def test_it_gives_a_verdict_in_english_and_french(client, personas, pilot):
    client.force_login(personas.owner)
    _results(client, personas, pilot)
    url = reverse("experiment", args=[personas.workspace.slug, pilot.pk])
    english = client.get(url)
    assert english.context["analysis"].code in {"industrialise", "continue"}
    assert "Variant B raises MQL rate by 25%" in english.content.decode()
    client.cookies["django_language"] = "fr"
    french = client.get(url).content.decode()
    assert "La variante B augmente MQL rate de 25" in french


def test_it_blocks_the_verdict_when_the_split_is_broken(client, personas, pilot):
    client.force_login(personas.owner)
    _results(client, personas, pilot, users=(12000, 10000), conversions=(480, 600))
    page = client.get(reverse("experiment", args=[personas.workspace.slug, pilot.pk]))
    assert page.context["analysis"].code == "blocked"
    assert "No verdict: the traffic split is broken" in page.content.decode()


def test_it_industrialises_into_the_budget_and_the_audit_trail(client, personas, pilot):
    from pilotage.web.plans.models import BudgetLine

    client.force_login(personas.owner)
    _results(client, personas, pilot)
    response = client.post(
        reverse("experiment_decide", args=[personas.workspace.slug, pilot.pk]),
        {
            "decision": "industrialise",
            "rationale": "Clear win on MQL rate",
            "budget_amount": "12000",
            "budget_month": "12",
        },
    )
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == Status.DECIDED and pilot.decided_by == personas.owner
    line = BudgetLine.objects.get(
        budget__workspace=personas.workspace, channel="LinkedIn ads", month=12
    )
    assert line.planned == 12000
    decision = AuditEvent.objects.filter(
        object_type="experiments.experiment", changes__decision__1="industrialise"
    )
    assert decision.count() == 1


def test_it_asks_for_a_budget_to_industrialise(client, personas, pilot):
    client.force_login(personas.owner)
    response = client.post(
        reverse("experiment_decide", args=[personas.workspace.slug, pilot.pk]),
        {"decision": "industrialise", "rationale": "win"},
    )
    assert response.status_code == 400
    pilot.refresh_from_db()
    assert pilot.status == Status.RUNNING


def test_it_imports_results_from_a_summary_csv(client, personas, pilot):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.agency)  # the pilot is assigned to this agency member
    url = reverse("experiment_results_file", args=[personas.workspace.slug, pilot.pk])
    good = SimpleUploadedFile("arms.csv", b"arm,users,conversions\nA,12000,480\nB,12000,600\n")
    assert client.post(url, {"day": "2026-11-10", "file": good}).status_code == 302
    assert {(r.arm, r.conversions) for r in pilot.results.all()} == {("A", 480), ("B", 600)}
    bad = SimpleUploadedFile("bad.csv", b"arm,users,conversions\nA,12000,480\nB,12000,many\n")
    response = client.post(url, {"day": "2026-11-11", "file": bad})
    assert response.status_code == 400
    assert "bad.csv, line 3, column 3 (conversions)" in response.content.decode()
    assert not pilot.results.filter(day=dt.date(2026, 11, 11)).exists()
    wrong = SimpleUploadedFile("arms.csv", b"arm,users,conversions\nX,10,1\nY,10,2\n")
    response = client.post(url, {"day": "2026-11-12", "file": wrong})
    assert "expected the arms A, B in this order" in response.content.decode()


def test_it_waits_for_data_instead_of_failing_when_an_arm_has_no_conversion(
    client, personas, pilot
):
    client.force_login(personas.owner)
    _results(client, personas, pilot, users=(50, 50), conversions=(0, 1))
    page = client.get(reverse("experiment", args=[personas.workspace.slug, pilot.pk]))
    assert page.status_code == 200
    assert page.context["analysis"].code == "waiting"


def test_it_decides_a_pilot_once(client, personas, pilot):
    from pilotage.web.plans.models import BudgetLine

    client.force_login(personas.owner)
    _results(client, personas, pilot)
    url = reverse("experiment_decide", args=[personas.workspace.slug, pilot.pk])
    body = {
        "decision": "industrialise",
        "rationale": "win",
        "budget_amount": "1000",
        "budget_month": "12",
    }
    client.post(url, body)
    client.post(url, body)
    line = BudgetLine.objects.get(budget__workspace=personas.workspace, channel="LinkedIn ads")
    assert line.planned == 1000
    assert _results(client, personas, pilot).status_code == 403  # no results after a decision


def test_it_industrialises_into_a_reforecast_not_the_approved_plan(client, personas, pilot):
    from django.utils import timezone

    from pilotage.web.plans import services as plans

    year = timezone.localdate().year
    approved = plans.create_budget(personas.workspace, year, f"Plan {year}")
    plans.set_line(approved, 12, "LinkedIn ads", planned="5000")
    plans.approve(approved)
    plans.make_baseline(approved)
    client.force_login(personas.owner)
    _results(client, personas, pilot)
    client.post(
        reverse("experiment_decide", args=[personas.workspace.slug, pilot.pk]),
        {
            "decision": "industrialise",
            "rationale": "win",
            "budget_amount": "1000",
            "budget_month": "12",
        },
    )
    assert plans.budget_totals(approved).total.planned == 5000
    draft = personas.workspace.budgets.get(status="draft")
    assert plans.budget_totals(draft).total.planned == 6000
