"""Segments found in the demo companies' data, saved, scored and placed on the maps."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from pilotage.web.strategy.models import PerceptionRating, Segment
from tests.web.strategy.conftest import YEAR

pytestmark = pytest.mark.django_db


def _run(client, slug, **params):
    return client.get(reverse("segments", args=[slug]), {"year": YEAR, **params})


@pytest.mark.parametrize("company", ["workspace", "other"])
def test_it_finds_segments_in_orders_or_won_deals_and_saves_them(client, personas, company):
    workspace = getattr(personas, company)
    user = personas.owner if company == "workspace" else personas.outsider
    client.force_login(user)
    page = _run(client, workspace.slug, method="kmeans")
    found = page.context["run"]
    assert 2 <= found.n_segments <= 8
    assert [s["k"] for s in found.k_scores] == list(range(2, 9))
    best = max(found.k_scores, key=lambda s: s["silhouette"])
    assert best["k"] == found.n_segments  # the page says why this k
    sizes = [p.customers for p in found.profiles.segments]
    assert sum(sizes) == found.customers
    names = {f"name_{p.segment}": f"Segment {p.segment}" for p in found.profiles.segments}
    response = client.post(
        reverse("segments", args=[workspace.slug]),
        {"do": "save", "year": YEAR, "method": "kmeans", "n_segments": "", **names},
    )
    assert response.status_code == 302
    saved = Segment.objects.filter(workspace=workspace, year=YEAR)
    assert saved.count() == found.n_segments
    assert sum(s.profile["customers"] for s in saved) == found.customers
    # the same run again updates the same segments instead of adding new ones
    client.post(
        reverse("segments", args=[workspace.slug]),
        {"do": "save", "year": YEAR, "method": "kmeans", "n_segments": "", **names},
    )
    assert Segment.objects.filter(workspace=workspace, year=YEAR).count() == found.n_segments


def test_it_defines_segments_by_rules_and_names_a_bad_rule(client, personas):
    client.force_login(personas.outsider)  # owner of the B2C demo
    slug = personas.other.slug
    rules = json.dumps(
        [{"name": "Big spenders", "conditions": [{"field": "monetary", "op": ">=", "value": 300}]}]
    )
    client.post(reverse("segments", args=[slug]), {"do": "rules", "year": YEAR, "rules": rules})
    names = set(Segment.objects.filter(workspace=personas.other).values_list("name", flat=True))
    assert names == {"Big spenders", "Other"}
    bad = '[{"name": "X", "conditions": [{"field": "shoe_size", "op": ">", "value": 3}]}]'
    page = client.post(
        reverse("segments", args=[slug]), {"do": "rules", "year": YEAR, "rules": bad}, follow=True
    )
    assert "shoe_size" in page.content.decode()


def test_it_scores_targets_from_the_segments_data_and_requires_a_reason(client, personas):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    _run(client, slug, method="kmeans", n_segments=3)
    names = {f"name_{i}": f"S{i}" for i in range(3)}
    client.post(
        reverse("segments", args=[slug]),
        {"do": "save", "year": YEAR, "method": "kmeans", "n_segments": "3", **names},
    )
    segment = Segment.objects.get(workspace=personas.workspace, name="S0")
    page = client.get(reverse("targeting", args=[slug]), {"year": YEAR})
    sizes = {s.pk: s.profile["customers"] for s in Segment.objects.filter(year=YEAR)}
    biggest = max(sizes, key=sizes.get)
    assert dict(page.context["forms"])[Segment.objects.get(pk=biggest)].initial["size"] == 5
    scores = {
        f"s{segment.pk}-{k}": 4
        for k in (
            "size",
            "growth",
            "margin",
            "accessibility",
            "competition",
            "fit",
            "share_of_wallet",
            "references",
        )
    }
    data = {"segment": segment.pk, "year": YEAR, **scores, f"s{segment.pk}-targeted": "on"}
    refused = client.post(reverse("targeting", args=[slug]), data)
    assert refused.status_code == 400  # no reason given
    data[f"s{segment.pk}-rationale"] = "Our engineers win these accounts"
    assert client.post(reverse("targeting", args=[slug]), data).status_code == 302
    segment.refresh_from_db()
    assert segment.targeted and segment.scores["fit"] == 4


def test_it_draws_the_perceptual_map_with_the_gap_to_the_ideal(client, personas):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    lines = "brand,attribute,rating\n" + "\n".join(
        f"{brand},{attribute},{rating}"
        for brand, ratings in {
            "Industrie Demo": (6, 5, 3),
            "Rival A": (3, 3, 6),
            "Rival B": (4, 4, 4),
            "Ideal": (7, 6, 5),
        }.items()
        for attribute, rating in zip(("Expertise", "Service", "Price"), ratings, strict=True)
    )
    response = client.post(
        reverse("positioning", args=[slug]), {"form": "ratings", "year": YEAR, "ratings": lines}
    )
    assert response.status_code == 302
    assert PerceptionRating.objects.filter(workspace=personas.workspace).count() == 12
    page = client.get(reverse("positioning", args=[slug]), {"year": YEAR})
    gaps = page.context["gaps"]
    assert [g["brand"] for g in gaps][0] == "Industrie Demo"  # the closest to the ideal
    assert gaps[0]["gaps"] == {"Expertise": 1.0, "Price": 2.0, "Service": 1.0}
    assert page.context["spec"]["layer"]


def test_it_names_the_line_of_a_bad_rating(client, personas):
    client.force_login(personas.owner)
    response = client.post(
        reverse("positioning", args=[personas.workspace.slug]),
        {"form": "ratings", "year": YEAR, "ratings": "A,Expertise,5\nB,Expertise,lots"},
    )
    assert "Line 2, column rating" in response.content.decode()
    assert not PerceptionRating.objects.exists()


@pytest.fixture
def clean_membership(personas):
    """The shared test warehouse must not keep a membership written here."""
    import shutil

    from pilotage.web.workspaces.services import warehouse

    folder = warehouse().root / personas.workspace.slug / "_segments"
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_it_makes_saved_segments_a_dimension_of_the_metrics(
    client, personas, clean_membership, django_capture_on_commit_callbacks
):
    import datetime as dt

    from pilotage.metrics import MetricQuery, run
    from pilotage.warehouse.segments import read_segments
    from pilotage.web.control.scorecard import source_for
    from pilotage.web.workspaces.services import warehouse

    client.force_login(personas.owner)
    slug = personas.workspace.slug
    found = _run(client, slug, method="kmeans", n_segments=3).context["run"]
    names = {f"name_{p.segment}": f"Cluster {p.segment}" for p in found.profiles.segments}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("segments", args=[slug]),
            {"do": "save", "year": YEAR, "method": "kmeans", "n_segments": "3", **names},
        )
    members = read_segments(warehouse(), slug, YEAR)
    assert members.num_rows == found.customers
    counts = {}
    for name in members.column("segment").to_pylist():
        counts[name] = counts.get(name, 0) + 1
    assert counts == {f"Cluster {p.segment}": p.customers for p in found.profiles.segments}
    # won deals' value by customer segment adds up to the pipeline won over the period
    start, end = dt.date(2023, 10, 1), dt.date(2026, 9, 30)
    by_segment = run(
        MetricQuery(("new_customers",), start, end, ("customer_segment",)),
        source_for(personas.workspace),
    )
    total = run(MetricQuery(("new_customers",), start, end), source_for(personas.workspace))
    rows = {r["customer_segment"]: r["new_customers"] for r in by_segment.rows}
    assert set(rows) <= {*counts, "(none)"}
    assert sum(rows.values()) == total.rows[0]["new_customers"]


def test_it_says_there_are_no_customers_yet_in_an_empty_company(client, personas):
    from pilotage.web.workspaces.services import create_workspace

    empty = create_workspace("Startup", slug="startup-empty", owner=personas.owner)
    client.force_login(personas.owner)
    page = client.get(reverse("segments", args=[empty.slug]), {"year": YEAR, "method": "kmeans"})
    assert page.status_code == 200 and page.context.get("run") is None
    assert "No customers yet: import orders or won deals first." in page.content.decode()
