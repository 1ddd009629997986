"""French and English UI: a complete French catalogue, and numbers formatted per language."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from pilotage.web.workspaces.templatetags.pilotage import count, money

WEB = Path(__file__).resolve().parents[2] / "src" / "pilotage" / "web"
PO = WEB / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _entries(po_text: str) -> dict[str, str]:
    """msgid → msgstr; a msgid with a context is keyed ``context\x04msgid``, as gettext does."""
    entries = {}
    for block in po_text.split("\n\n"):
        m = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if m:
            msgid = "".join(re.findall(r'"(.*)"', m.group(1)))
            context = re.search(r'^msgctxt "(.*)"$', block, re.M)
            key = f"{context.group(1)}\x04{msgid}" if context else msgid
            entries[key] = "".join(re.findall(r'"(.*)"', m.group(2)))
    entries.pop("", None)
    return entries


def test_it_translates_every_string_of_the_french_catalogue():
    text = PO.read_text(encoding="utf-8")
    entries = _entries(text)
    assert len(entries) > 50
    assert "#, fuzzy" not in text
    assert not [k for k, v in entries.items() if not v]


def test_it_ships_a_compiled_catalogue_in_step_with_the_source():
    with PO.with_suffix(".mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for key, msgstr in _entries(PO.read_text(encoding="utf-8")).items():
        context, _, msgid = key.rpartition("\x04")
        unescaped = msgid.replace('\\"', '"')
        found = catalogue.pgettext(context, unescaped) if context else catalogue.gettext(unescaped)
        assert found == msgstr.replace('\\"', '"'), key


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext's xgettext is not installed")
def test_it_has_every_ui_string_in_the_french_catalogue(tmp_path):
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("static", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = _entries((copy / "locale/fr/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    shipped = _entries(PO.read_text(encoding="utf-8"))
    assert sorted(set(fresh) - set(shipped)) == [], "run `make messages` and translate"


@pytest.mark.parametrize(
    ("language", "expected_money", "expected_compact", "expected_count"),
    [
        ("fr", "1\u202f234\u202f568\xa0€", "1,2\xa0M\xa0€", "12\u202f345"),
        ("en", "€1,234,568", "€1.2M", "12,345"),
    ],
)
def test_it_formats_money_and_counts_in_the_ui_language(
    language, expected_money, expected_compact, expected_count
):
    with translation.override(language):
        assert money(1234567.6, "EUR") == expected_money
        assert money(1234567.6, "EUR", True) == expected_compact
        assert count(12345) == expected_count


def test_it_shows_amounts_in_the_workspace_currency():
    with translation.override("en"):
        assert money(1500, "USD") == "$1,500"
        assert money(1500, "GBP") == "£1,500"


@pytest.mark.django_db
def test_it_switches_the_interface_to_french(client, personas):
    client.force_login(personas.owner)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("portfolio")).content.decode()
    assert '<html lang="fr">' in page
    assert "Mes entreprises" in page and "Dépenses marketing" in page
    assert "\xa0M\xa0€" in page  # compact euros, French style
    home = client.get(reverse("home", args=[personas.workspace.slug]))
    assert [c["title"] for c in home.context["charts"]] == ["Dépenses par canal", "Leads par mois"]


@pytest.mark.django_db
def test_it_speaks_english_by_default(client, personas):
    client.force_login(personas.owner)
    page = client.get(reverse("portfolio")).content.decode()
    assert '<html lang="en">' in page and "My companies" in page
