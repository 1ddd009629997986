"""The scenario planner shows the optimiser's warnings and errors in the user's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"


def scenarios(client, personas, language, data):
    client.force_login(personas.owner)
    client.cookies["django_language"] = language
    return client.get(reverse("mmm_scenarios", args=[personas.workspace.slug]), data)


def test_the_french_planner_warns_in_french(client, personas, fitted):
    # ten times the current pace: some channels go far beyond the spend the model has seen
    current = scenarios(client, personas, "en", {"weeks": 13}).context["total"]
    data = {"weeks": 13, "total": f"{10 * current:.2f}"}
    english = scenarios(client, personas, "en", data).context["warnings"]
    assert english and all("highest weekly spend in the data" in w for w in english)
    page = scenarios(client, personas, "fr", data)
    french = page.context["warnings"]
    assert len(french) == len(english)
    assert all("la plus forte dépense hebdomadaire des données" in w for w in french)
    assert all(" par semaine, c" in w and "," in w.split(" par semaine")[0] for w in french)
    html = page.content.decode()
    assert "la plus forte dépense hebdomadaire des données" in html
    assert "highest weekly spend" not in html


def test_the_french_planner_explains_impossible_bounds_in_french(client, personas, fitted):
    data = {"weeks": 13, "total": "1000", "min_0": "600", "min_1": "600"}
    page = scenarios(client, personas, "fr", data)
    assert page.context["recommended"] is None
    error = page.context["error"]
    assert error.startswith(f"Les planchers totalisent 1{NNBSP}200,00, plus que le budget total")
    assert "minimum de 600,00 pour " in error
    assert f"Les planchers totalisent 1{NNBSP}200,00" in page.content.decode()
    english = scenarios(client, personas, "en", data).context["error"]
    assert english.startswith("The floors add up to 1,200.00, more than the total budget")
