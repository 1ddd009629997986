"""Lift tests entered on the budget-allocation pages calibrate the next fit of the model."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from pilotage.models.mmm import MarketingMixModel
from pilotage.web.experiments.models import Decision, Experiment, Status, Unit
from pilotage.web.mmm.models import MmmFit, MmmLiftTest
from pilotage.web.workspaces.models import AuditEvent
from pilotage.web.workspaces.services import create_workspace

pytestmark = pytest.mark.django_db

CHANNEL = "Paid search"


def page(personas):
    return reverse("mmm_lift_tests", args=[personas.workspace.slug])


def entry(**changes):
    return {
        "channel": CHANNEL,
        "weeks": "4",
        "extra_spend": "20000",
        "extra_outcome": "90000",
        "standard_error": "9000",
        "source": "Geo test, Hauts-de-France, March",
    } | changes


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("owner", 200, 302),
        ("manager", 200, 302),
        ("viewer", 200, 403),
        ("agency", 403, 403),
        ("outsider", 404, 404),
    ],
)
def test_who_reads_and_enters_lift_tests(client, personas, persona, read, write):
    client.force_login(getattr(personas, persona))
    assert client.get(page(personas)).status_code == read
    assert client.post(page(personas), entry()).status_code == write
    assert MmmLiftTest.objects.count() == (1 if write == 302 else 0)


def test_a_lift_test_is_saved_listed_audited_and_removed(client, personas):
    client.force_login(personas.manager)
    response = client.post(page(personas), entry())
    assert response.status_code == 302
    test = MmmLiftTest.objects.get()
    assert (test.channel, test.weeks, test.workspace) == (CHANNEL, 4, personas.workspace)
    assert float(test.extra_outcome) == 90_000 and test.created_by == personas.manager
    html = client.get(page(personas)).content.decode()
    assert f'data-channel="{CHANNEL}"' in html and "Geo test, Hauts-de-France" in html
    assert AuditEvent.objects.filter(action="create", object_type__contains="lift").exists()
    delete = reverse("mmm_lift_test_delete", args=[personas.workspace.slug, test.pk])
    client.force_login(personas.viewer)
    assert client.post(delete).status_code == 403
    client.force_login(personas.owner)
    assert client.post(delete).status_code == 302
    assert not MmmLiftTest.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type__contains="lift").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "Radio"}, "channel"),  # no spend on it in the warehouse
        ({"standard_error": "0"}, "standard_error"),
        ({"extra_spend": "-5"}, "extra_spend"),
        ({"weeks": "0"}, "weeks"),
    ],
)
def test_a_bad_entry_is_refused_and_says_why(client, personas, changes, field):
    client.force_login(personas.owner)
    response = client.post(page(personas), entry(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not MmmLiftTest.objects.exists()


def _predicted_lift(model: MarketingMixModel, extra: float, weeks: int) -> float:
    now = model.current_allocation(weeks)
    more = {**now, CHANNEL: now[CHANNEL] + extra}
    return model.outcome(more, weeks) - model.outcome(now, weeks)


def _load(doc: dict, tmp_path) -> MarketingMixModel:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return MarketingMixModel.load(path)


@pytest.mark.django_db(transaction=True)
def test_the_next_fit_is_calibrated_by_the_lift_tests(client, personas, industrie_fit, tmp_path):
    plain = _load(industrie_fit[0], tmp_path)
    extra, weeks = 0.3 * plain.current_allocation(4)[CHANNEL], 4
    before = _predicted_lift(plain, extra, weeks)
    measured = 2 * before  # the test says the channel does twice what the data alone says
    client.force_login(personas.owner)
    values = {"extra_spend": f"{extra:.2f}", "extra_outcome": f"{measured:.2f}"}
    client.post(page(personas), entry(**values, standard_error=f"{0.05 * measured:.2f}"))
    client.post(page(personas), entry(channel="Trade shows"))
    MmmLiftTest.objects.filter(channel="Trade shows").update(channel="Radio")  # spend gone since
    # entered when the workspace's model explained leads: its figures are not revenue
    client.post(page(personas), entry(channel="LinkedIn ads"))
    assert set(MmmLiftTest.objects.values_list("outcome", flat=True)) == {"revenue"}
    MmmLiftTest.objects.filter(channel="LinkedIn ads").update(outcome="leads")
    client.post(reverse("mmm_fit", args=[personas.workspace.slug]))
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    fit = MmmFit.objects.get()
    assert fit.status == "done", fit.step
    used = {t["channel"]: (t["used"], t["skipped"]) for t in fit.results["lift_tests"]}
    assert used == {
        CHANNEL: (True, ""),
        "Radio": (False, "no_spend"),
        "LinkedIn ads": (False, "other_outcome"),
    }
    calibrated = _load(fit.model, tmp_path)
    after = _predicted_lift(calibrated, extra, weeks)
    assert abs(after - measured) < 0.5 * abs(before - measured)
    html = client.get(reverse("mmm", args=[personas.workspace.slug])).content.decode()
    assert 'id="fit-lift-tests"' in html and "no spend in the data" in html
    assert "entered in another outcome than this model explains" in html


def test_it_suggests_the_channels_the_model_knows_least(client, personas, fitted):
    client.force_login(personas.viewer)
    response = client.get(page(personas))
    suggestions = response.context["suggestions"]
    channels = fitted.results["channels"]
    spending = [c for c, r in channels.items() if r["current_weekly_spend"] > 0]
    spread = {c: channels[c]["roi_high"] / channels[c]["roi_low"] for c in spending}
    vague = {c["channel"] for c in fitted.results["diagnostics"]["weakly_identified"]}
    expected = sorted(spending, key=lambda c: (c not in vague, -spread[c]))[:3]
    assert [s["channel"] for s in suggestions] == expected
    idle = [c for c in channels if c not in spending]  # e.g. no trade show in the last weeks
    assert idle and not {s["channel"] for s in suggestions} & set(idle)
    html = response.content.decode()
    assert 'id="test-suggestions"' in html
    for channel in expected:
        assert f'<li data-channel="{channel}">' in html
    # a channel the data barely informed comes first, however narrow its interval looks
    surest = min(spending, key=lambda c: spread[c])
    results = copy.deepcopy(fitted.results)
    results["diagnostics"]["weakly_identified"] = [{"channel": surest, "narrowing": 0.1}]
    fitted.results = results
    fitted.save()
    suggestions = client.get(page(personas)).context["suggestions"]
    assert [s["channel"] for s in suggestions][0] == surest


def test_no_suggestion_without_a_usable_model(client, personas):
    client.force_login(personas.owner)
    response = client.get(page(personas))
    assert response.context["suggestions"] == [] and 'id="test-suggestions"' not in (
        response.content.decode()
    )


def test_a_workspace_without_spend_is_told_to_import_it_first(client, personas):
    empty = create_workspace("Nouvelle Co", slug="nouvelle-co", owner=personas.owner)
    client.force_login(personas.owner)
    url = reverse("mmm_lift_tests", args=[empty.slug])
    html = client.get(url).content.decode()
    assert 'id="no-spend"' in html and 'id="lift-test-form"' not in html
    # the demo workspace, which has spend, gets the form
    html = client.get(page(personas)).content.decode()
    assert 'id="lift-test-form"' in html and 'id="no-spend"' not in html


@pytest.fixture
def decided_pilot(personas):
    return Experiment.objects.create(
        workspace=personas.workspace,
        owner=personas.owner,
        name="Paid search +30% in two regions",
        we_believe="more search spend",
        will="bring more leads",
        because="we are under-bidding",
        channel=CHANNEL,
        objective="leads",
        metric="leads",
        unit=Unit.REGION,
        baseline=0.04,
        daily_traffic=1600,
        duration_days=28,
        planned_start=dt.date(2026, 3, 2),
        status=Status.DECIDED,
        decision=Decision.INDUSTRIALISE,
    )


def test_a_decided_pilot_leads_to_a_lift_test_started_with_its_channel_and_weeks(
    client, personas, decided_pilot
):
    client.force_login(personas.owner)
    pilot_page = reverse("experiment", args=[personas.workspace.slug, decided_pilot.pk])
    html = client.get(pilot_page).content.decode()
    assert f"lift-tests/?pilot={decided_pilot.pk}" in html
    form = client.get(page(personas), {"pilot": decided_pilot.pk}).context["form"]
    assert form.initial["channel"] == CHANNEL and form.initial["weeks"] == 4
    assert "Paid search +30% in two regions" in form.initial["source"]
    # the agency member, who does not see financial figures, gets no link
    client.force_login(personas.agency)
    assert 'id="pilot-to-lift-test"' not in client.get(pilot_page).content.decode()


def test_a_pilot_of_another_workspace_or_channel_starts_nothing(client, personas, decided_pilot):
    client.force_login(personas.owner)
    assert client.get(page(personas), {"pilot": "999999"}).context["form"].initial == {}
    assert client.get(page(personas), {"pilot": "x"}).context["form"].initial == {}
    decided_pilot.channel = "Radio"  # no spend on it: the editor picks the channel
    decided_pilot.save()
    initial = client.get(page(personas), {"pilot": decided_pilot.pk}).context["form"].initial
    assert "channel" not in initial and initial["weeks"] == 4
