"""One plain-language paragraph about a fitted model, in English or French."""

from __future__ import annotations

from typing import Any


def _money(x: float, language: str) -> str:
    text = f"{x:.2f}"
    return text.replace(".", ",") if language == "fr" else text


def summary_text(
    results: dict[str, dict[str, Any]], diagnostics: dict[str, Any], language: str = "en"
) -> str:
    """``Trade shows return 1.10 € per € (0.70–1.60); an extra € there would return 0.40 €…``."""
    if language not in ("en", "fr"):
        raise ValueError(f"language must be 'en' or 'fr', got {language!r}")
    fr = language == "fr"
    if not diagnostics["converged"]:
        why = "; ".join(diagnostics["convergence_reasons"])
        if fr:
            return f"Le modèle n'a pas convergé, ses chiffres ne sont pas fiables : {why}."
        return f"The model did not converge, so its figures cannot be trusted: {why}."
    ranked = sorted(results.items(), key=lambda kv: -kv[1]["contribution"])
    parts = []
    for name, r in ranked:
        roi, low, high = (_money(r[k], language) for k in ("roi", "roi_low", "roi_high"))
        mroi = _money(r["mroi"], language)
        if fr:
            parts.append(
                f"{name} rapporte {roi} € par € ({low}–{high}) ; un euro de plus au niveau "
                f"actuel rapporterait {mroi} €"
            )
        else:
            parts.append(
                f"{name} returns {roi} € per € ({low}–{high}); an extra euro at the current "
                f"level would return {mroi} €"
            )
    r2 = f"{diagnostics['r2']:.2f}"
    mape = f"{100 * diagnostics['mape']:.1f}"
    overruled = ", ".join(c["channel"] for c in diagnostics.get("prior_conflicts", []))
    if fr:
        text = (
            ". ".join(parts)
            + f". Intervalles à 90 %. Le modèle explique {r2.replace('.', ',')} de la variance "
            f"hebdomadaire (R²), erreur moyenne {mape.replace('.', ',')} %."
        )
        if overruled:
            text += (
                f" Pour {overruled}, les données placent le rendement loin de l'intervalle "
                "attendu a priori : vérifiez que les dépenses sont comptées dans la même unité "
                "que le résultat."
            )
        return text
    text = (
        ". ".join(parts)
        + f". Intervals are 90%. The model explains {r2} of the weekly variance (R²), "
        f"mean error {mape}%."
    )
    if overruled:
        text += (
            f" For {overruled}, the data put the return far outside the prior interval: check "
            "that spend is counted in the same unit as the outcome."
        )
    return text
