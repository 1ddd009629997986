"""Expected returns (ROI priors in business terms) entered on the budget-allocation pages: the
next fit of the model starts from them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from pilotage.models.mmm import MarketingMixModel
from pilotage.web.mmm import services
from pilotage.web.mmm.models import MmmFit, MmmRoiPrior
from pilotage.web.workspaces.models import AuditEvent
from pilotage.web.workspaces.services import create_workspace

pytestmark = pytest.mark.django_db

CHANNEL = "Trade shows"


def page(personas):
    return reverse("mmm_roi_priors", args=[personas.workspace.slug])


def entry(**changes):
    return {"channel": CHANNEL, "low": "0.5", "high": "3", "source": "2025 fair debriefs"} | changes


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
def test_who_reads_and_states_expected_returns(client, personas, persona, read, write):
    client.force_login(getattr(personas, persona))
    assert client.get(page(personas)).status_code == read
    assert client.post(page(personas), entry()).status_code == write
    assert MmmRoiPrior.objects.count() == (1 if write == 302 else 0)


def test_an_expected_return_is_saved_replaced_audited_and_removed(client, personas):
    client.force_login(personas.manager)
    assert client.post(page(personas), entry()).status_code == 302
    prior = MmmRoiPrior.objects.get()
    assert (prior.channel, prior.low, prior.high) == (CHANNEL, Decimal("0.5"), Decimal("3"))
    assert prior.outcome == "revenue" and prior.created_by == personas.manager
    html = client.get(page(personas)).content.decode()
    assert f'data-channel="{CHANNEL}"' in html and "2025 fair debriefs" in html
    # a second range for the same channel replaces the first, as a change
    client.force_login(personas.owner)
    assert client.post(page(personas), entry(low="0.8", high="2")).status_code == 302
    prior = MmmRoiPrior.objects.get()
    assert (prior.low, prior.high, prior.created_by) == (Decimal("0.8"), 2, personas.owner)
    update = AuditEvent.objects.get(action="update", object_type__contains="roi")
    assert update.changes["low"] == ["0.5", "0.8"]
    delete = reverse("mmm_roi_prior_delete", args=[personas.workspace.slug, prior.pk])
    client.force_login(personas.viewer)
    assert client.post(delete).status_code == 403
    client.force_login(personas.owner)
    assert client.post(delete).status_code == 302
    assert not MmmRoiPrior.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type__contains="roi").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "Radio"}, "channel"),  # no spend on it in the warehouse
        ({"low": "3", "high": "0.5"}, "high"),
        ({"low": "2", "high": "2"}, "high"),
        ({"low": "0"}, "low"),
        ({"high": "lots"}, "high"),
    ],
)
def test_a_bad_range_is_refused_and_says_why(client, personas, changes, field):
    client.force_login(personas.owner)
    response = client.post(page(personas), entry(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not MmmRoiPrior.objects.exists()


def test_leads_are_entered_per_thousand_and_passed_to_the_model_per_unit(personas):
    services.add_roi_prior(
        personas.workspace,
        personas.owner,
        channel=CHANNEL,
        low=Decimal("2"),
        high=Decimal("6"),
        outcome="leads",
    )
    assert services.roi_priors_of(personas.workspace, "leads") == {CHANNEL: (0.002, 0.006)}
    assert services.roi_priors_of(personas.workspace, "revenue") == {}


def _load(doc: dict, tmp_path) -> MarketingMixModel:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return MarketingMixModel.load(path)


@pytest.mark.django_db(transaction=True)
def test_the_next_fit_starts_from_the_expected_returns(client, personas, industrie_fit, tmp_path):
    plain = _load(industrie_fit[0], tmp_path).channel_results()[CHANNEL]
    # a narrow range well above what the data alone say
    low, high = 3 * plain["roi"], 3.3 * plain["roi"]
    client.force_login(personas.owner)
    client.post(page(personas), entry(low=f"{low:.4f}", high=f"{high:.4f}"))
    client.post(page(personas), entry(channel="LinkedIn ads"))
    MmmRoiPrior.objects.filter(channel="LinkedIn ads").update(outcome="leads")  # not revenue
    client.post(reverse("mmm_fit", args=[personas.workspace.slug]))
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    fit = MmmFit.objects.get()
    assert fit.status == "done", fit.step
    assert [p["channel"] for p in fit.results["roi_priors"]] == [CHANNEL]
    model = _load(fit.model, tmp_path)
    assert model.roi_priors == {CHANNEL: pytest.approx((low, high), rel=1e-4)}
    after = model.channel_results()[CHANNEL]
    assert after["roi"] > 2 * plain["roi"]  # moved most of the way to the stated range
    html = client.get(reverse("mmm", args=[personas.workspace.slug])).content.decode()
    assert 'id="fit-roi-priors"' in html and CHANNEL in html


def test_a_workspace_without_spend_is_told_to_import_it_first(client, personas):
    empty = create_workspace("Nouvelle Co", slug="nouvelle-co", owner=personas.owner)
    client.force_login(personas.owner)
    html = client.get(reverse("mmm_roi_priors", args=[empty.slug])).content.decode()
    assert 'id="no-spend"' in html and 'id="roi-prior-form"' not in html
    html = client.get(page(personas)).content.decode()
    assert 'id="roi-prior-form"' in html and 'id="no-roi-priors"' in html


def test_the_page_states_the_default_range_in_the_page_language(client, personas):
    client.force_login(personas.owner)
    html = client.get(page(personas)).content.decode()
    assert "between 0.2 and 8 per unit spent" in html
    client.cookies["django_language"] = "fr"
    assert "entre 0,2 et 8 par unité dépensée" in client.get(page(personas)).content.decode()


def test_each_range_shows_the_latest_models_estimate_and_whether_it_falls_outside(
    client, personas, fitted
):
    estimate = fitted.results["channels"][CHANNEL]["roi"]
    client.force_login(personas.owner)
    client.post(page(personas), entry(low=f"{3 * estimate:.4f}", high=f"{4 * estimate:.4f}"))
    client.post(page(personas), entry(channel="Paid search", low="0.01", high="1000"))
    rows = {r["prior"].channel: r for r in client.get(page(personas)).context["priors"]}
    assert rows[CHANNEL]["estimate"]["roi"] == pytest.approx(estimate)
    assert rows[CHANNEL]["outside"] and not rows["Paid search"]["outside"]
    html = client.get(page(personas)).content.decode()
    assert html.count('class="outside"') == 1
    # a range stated in another outcome than the latest fit's is not compared
    MmmRoiPrior.objects.filter(channel="Paid search").update(outcome="leads")
    rows = {r["prior"].channel: r for r in client.get(page(personas)).context["priors"]}
    assert rows["Paid search"]["estimate"] is None and not rows["Paid search"]["outside"]
