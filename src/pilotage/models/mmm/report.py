"""One plain-language paragraph about a fitted model, in English or French.

The returns are said in the outcome's own unit: money per unit of currency spent when the
outcome is revenue (``Trade shows return 1.10 € per € …``), or a count per 1,000 of the
currency when it is leads or customers (``Paid search brings 2.35 leads per 1,000 € …``).
Numbers are grouped and punctuated as the language writes them (babel).
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal, get_currency_symbol

# a count per unit of currency is a tiny number: said per this many units of currency
COUNT_PER = 1000

COUNT_UNITS = {
    "leads": {"en": "leads", "fr": "leads"},
    "customers": {"en": "new customers", "fr": "nouveaux clients"},
}


def summary_text(
    results: dict[str, dict[str, Any]],
    diagnostics: dict[str, Any],
    language: str = "en",
    *,
    currency: str = "EUR",
    outcome: str = "revenue",
) -> str:
    """``Trade shows return 1.10 € per € (0.70–1.60); an extra euro …``: ROI and marginal ROI
    per channel with their 90% intervals, the fit's quality, and what the data overruled.
    ``outcome`` is ``revenue`` (money, in ``currency``), ``leads`` or ``customers`` (counts)."""
    if language not in ("en", "fr"):
        raise ValueError(f"language must be 'en' or 'fr', got {language!r}")
    if outcome != "revenue" and outcome not in COUNT_UNITS:
        raise ValueError(f"outcome must be revenue, leads or customers, got {outcome!r}")
    fr = language == "fr"
    if not diagnostics["converged"]:
        why = "; ".join(diagnostics["convergence_reasons"])
        if fr:
            return f"Le modèle n'a pas convergé, ses chiffres ne sont pas fiables : {why}."
        return f"The model did not converge, so its figures cannot be trusted: {why}."
    symbol = get_currency_symbol(currency, locale=language)
    ranked = sorted(results.items(), key=lambda kv: -kv[1]["contribution"])
    parts = [_channel(name, r, language, symbol, outcome) for name, r in ranked]
    r2 = _number(diagnostics["r2"], language)
    mape = format_decimal(100 * diagnostics["mape"], format="#,##0.0", locale=language)
    overruled = ", ".join(c["channel"] for c in diagnostics.get("prior_conflicts", []))
    vague = ", ".join(c["channel"] for c in diagnostics.get("weakly_identified", []))
    if fr:
        text = (
            ". ".join(parts)
            + f". Intervalles à 90 %. Le modèle explique {r2} de la variance hebdomadaire (R²), "
            f"erreur moyenne {mape} %."
        )
        if overruled:
            text += (
                f" Pour {overruled}, les données placent le rendement loin de l'intervalle "
                "attendu a priori : vérifiez que les dépenses sont comptées dans la même unité "
                "que le résultat."
            )
        if vague:
            text += (
                f" Pour {vague}, les données ont à peine resserré la fourchette de rendement "
                "supposée au départ : ces chiffres reprennent surtout cette hypothèse ; un test "
                "d’incrémentalité les mesurerait."
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
    if vague:
        text += (
            f" For {vague}, the data barely narrowed the range of return assumed before seeing "
            "them: those figures mostly repeat that assumption; a lift test would measure them."
        )
    return text


def _channel(name: str, r: dict[str, Any], language: str, symbol: str, outcome: str) -> str:
    fr = language == "fr"
    if outcome == "revenue":
        roi, low, high, mroi = (
            _number(r[k], language) for k in ("roi", "roi_low", "roi_high", "mroi")
        )
        if fr:
            return (
                f"{name} rapporte {roi} {symbol} par {symbol} ({low}–{high}) ; un {symbol} de "
                f"plus au niveau actuel rapporterait {mroi} {symbol}"
            )
        return (
            f"{name} returns {roi} {symbol} per {symbol} ({low}–{high}); an extra {symbol} at "
            f"the current level would return {mroi} {symbol}"
        )
    unit = COUNT_UNITS[outcome][language]
    per = format_decimal(COUNT_PER, locale=language)
    roi, low, high, mroi = (
        _number(COUNT_PER * r[k], language) for k in ("roi", "roi_low", "roi_high", "mroi")
    )
    if fr:
        return (
            f"{name} apporte {roi} {unit} pour {per} {symbol} ({low}–{high}) ; {per} {symbol} de "
            f"plus au niveau actuel en apporteraient {mroi}"
        )
    return (
        f"{name} brings {roi} {unit} per {per} {symbol} ({low}–{high}); {per} {symbol} more at "
        f"the current level would bring {mroi}"
    )


def _number(x: float, language: str) -> str:
    """Two decimals, grouped by thousands: ``4,982.00`` / ``4 982,00``."""
    return format_decimal(x, format="#,##0.00", locale=language)
