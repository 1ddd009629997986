"""The strategy cycle in a real browser, in French, down to the plan's PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, browser_personas, page  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]


def _submit(browser, form: str) -> None:
    browser.click(f"{form} button[type=submit]")
    browser.wait_for_load_state()


def test_a_director_walks_from_diagnosis_to_the_plan_pdf_in_french(
    page,  # noqa: F811
    live_server,
    browser_personas,  # noqa: F811
):
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/w/industrie-demo/")
    page.click("text=Stratégie")

    # 1. diagnostic: a PESTEL factor and an audit item
    page.select_option("#id_pestel-heading", "economic")
    page.fill("#id_pestel-title", "Aides à la relocalisation")
    page.fill("#id_pestel-impact", "2")
    page.fill("#id_pestel-likelihood", "4")
    page.select_option("#id_pestel-horizon", "medium")
    _submit(page, "#pestel-form")
    page.wait_for_selector("#pestel-chart[data-rendered=true]")
    page.select_option("#id_audit-area", "skills")
    page.fill("#id_audit-title", "Ingénieurs d'application")
    page.fill("#id_audit-score", "5")
    _submit(page, "#audit-form")
    assert "Ingénieurs d'application" in page.locator("#audit").text_content()

    # 2. SWOT from those sources, and a TOWS option for the S × O pair
    page.click("text=2. SWOT et TOWS")
    page.select_option("#id_swot-kind", "S")
    page.fill("#id_swot-text", "Expertise applicative")
    page.select_option("#id_swot-audit_sources", label="Ingénieurs d'application")
    _submit(page, "#swot-form")
    page.select_option("#id_swot-kind", "O")
    page.fill("#id_swot-text", "Usines qui se relocalisent")
    page.select_option("#id_swot-pestel_sources", label="Aides à la relocalisation")
    _submit(page, "#swot-form")
    assert "1 paire sans option" in page.locator("#tows-SO").text_content()
    page.click("#tows-SO >> text=en écrire une")
    page.fill("#id_tows-text", "Audit d'industrialisation offert aux usines relocalisées")
    _submit(page, "#tows-form")
    assert "paire sans option" not in page.locator("#tows-SO").text_content()

    # 3. segments from the won deals
    page.click("text=3. Segments")
    page.select_option("#id_method", "kmeans")
    page.fill("#id_n_segments", "3")
    _submit(page, "#run-form")
    page.wait_for_selector("#profiles")
    names = page.locator("#profiles input[name^=name_]")
    assert names.count() == 3
    names.nth(0).fill("Grands comptes industriels")
    page.click("#run button[type=submit]")
    page.wait_for_selector("#saved-segments >> text=Grands comptes industriels")

    # 4. targeting: one target, with its reason
    page.click("text=4. Ciblage")
    card = page.locator("form.card", has_text="Grands comptes industriels")
    card.locator("input[name$=-targeted]").check()
    card.locator("textarea[name$=-rationale]").fill("Nos ingénieurs y font la différence")
    card.locator("button[type=submit]").click()
    page.wait_for_selector("#choices >> text=Nos ingénieurs y font la différence")
    page.wait_for_selector("#targeting-chart[data-rendered=true]")
    assert "Grands comptes industriels" in page.locator("#choices").text_content()

    # 5. positioning statement for the target
    page.click("text=5. Positionnement")
    statement = page.locator("section", has_text="Grands comptes industriels").first
    for field, value in {
        "need": "fiabiliser une production relocalisée",
        "category": "constructeur de machines spéciales",
        "benefit": "met une ligne en production en 12 semaines",
        "competitor": "les généralistes importés",
        "proof": "1 200 machines installées",
    }.items():
        statement.locator(f"input[name$=-{field}]").fill(value)
    statement.locator("button[type=submit]").click()
    page.wait_for_selector(".statement")
    assert (
        "Pour Grands comptes industriels qui ont besoin de"
        in page.locator(".statement").text_content()
    )

    # 6. the TOWS option becomes an objective
    page.click("text=2. SWOT et TOWS")
    page.click("text=en faire un objectif")
    page.fill("#id_title", "150 leads issus des usines relocalisées")
    page.select_option("#id_metric", "leads")
    page.fill("#id_target_value", "150")
    page.fill("#id_deadline", "2026-12-31")
    page.select_option("#id_owner", label="owner")
    page.select_option("#id_segment", label="Grands comptes industriels")
    _submit(page, "#objective-form")
    chain = page.locator(".objective .chain").text_content()
    for step in (
        "Expertise applicative",
        "Usines qui se relocalisent",
        "Audit d'industrialisation",
        "150 leads issus",
    ):
        assert step in chain

    # 7. the mix for the target
    page.click("text=7. Mix 4P / 4C")
    section = page.locator("section", has_text="Grands comptes industriels").first
    section.locator("select[name$=-lever]").select_option("product")
    section.locator("textarea[name$=-decision]").fill(
        "Machine et maintenance prédictive en une offre"
    )
    section.locator("button[type=submit]").click()
    page.wait_for_selector("text=Machine et maintenance prédictive en une offre")

    # the plan, and its PDF
    page.click("text=Le plan")
    assert "Plan marketing" in page.locator("article.plan").text_content()
    with page.expect_download() as download:
        page.click("#plan-pdf")
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for expected in (
        "1. Diagnostic",
        "2. Choix",
        "3. Objectifs",
        "4. Mix marketing",
        "150 leads issus des usines relocalisées",
        "Grands comptes industriels",
        "Machine et maintenance prédictive",
    ):
        assert expected in text, expected
    assert page.problems == []
