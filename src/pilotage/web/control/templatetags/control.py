"""Formatting of KPI values by unit, in the UI's language and the workspace currency."""

from babel.numbers import format_decimal, format_percent
from django import template
from django.utils.translation import get_language

from pilotage.metrics import KPIS
from pilotage.web.workspaces.templatetags.pilotage import _locale, money

register = template.Library()


@register.simple_tag
def kpi_value(value, metric: str, currency: str) -> str:
    """``n/a`` for a missing value; otherwise formatted as the KPI's unit says."""
    if value is None:
        return "n/a"
    unit = KPIS[metric].unit
    locale = _locale()
    if unit == "money":
        return money(value, currency)
    if unit == "percent":
        return format_percent(value, format="#,##0.0 %", locale=locale)
    if unit == "count" and abs(value - round(value)) > 1e-9:
        # fractional customers credited by an attribution model other than first touch
        return format_decimal(value, format="#,##0.0", locale=locale)
    if unit == "count":
        return format_decimal(round(value), locale=locale)
    if unit in {"days", "months", "score"}:
        return format_decimal(value, format="#,##0.0", locale=locale)
    return format_decimal(value, format="#,##0.00", locale=locale)


@register.simple_tag
def kpi_change(value, metric: str, currency: str) -> str:
    """A change with its sign: ``+1 234 €``, ``−2,5 pts`` for percentages."""
    if value is None:
        return ""
    unit = KPIS[metric].unit
    if unit == "percent":
        text = format_decimal(value * 100, format="#,##0.0", locale=_locale())
        return f"{'+' if value >= 0 else ''}{text} pt"
    text = kpi_value(abs(value), metric, currency)
    return f"{'+' if value >= 0 else '−'}{text}"


@register.simple_tag
def kpi_label(metric: str) -> str:
    kpi = KPIS[metric]
    return kpi.label_fr if (get_language() or "en").startswith("fr") else kpi.label


@register.simple_tag
def kpi_formula(metric: str) -> str:
    kpi = KPIS[metric]
    return kpi.formula_fr if (get_language() or "en").startswith("fr") else kpi.formula


@register.filter
def get_item(row: dict, key: str):
    return row.get(key)


@register.filter
def percent(value: float | None) -> str:
    """A share as a percentage in the UI's language: ``12,5 %`` (fr), ``12.5%`` (en)."""
    if value is None:
        return "n/a"
    return format_percent(value, format="#,##0.0 %", locale=_locale())
