"""Locale-aware formatting of money and counts (Babel), in the UI's current language."""

import copy
import math

from babel import Locale
from babel.numbers import format_compact_currency, format_decimal, parse_pattern
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


def _locale() -> Locale:
    return Locale.parse(to_locale(get_language() or "en"))


@register.simple_tag
def money(amount: float, currency: str, compact: bool = False) -> str:
    """Whole units: ``1 234 567 €`` (fr), ``€1,234,567`` (en); ``1,2 M €`` when compact."""
    locale = _locale()
    if compact:
        return format_compact_currency(amount, currency, locale=locale, fraction_digits=1)
    pattern = copy.copy(parse_pattern(locale.currency_formats["standard"].pattern))
    pattern.frac_prec = (0, 0)
    return pattern.apply(amount, locale, currency=currency, currency_digits=False)


@register.filter
def count(value: int) -> str:
    """A whole number with the locale's grouping: ``12 345`` (fr), ``12,345`` (en)."""
    return format_decimal(value, locale=_locale())


@register.filter
def number(value: float) -> str:
    """A number with the locale's grouping and decimal mark: ``1 234,5`` (fr), ``1,234.5`` (en)."""
    return format_decimal(value, locale=_locale())


@register.filter
def significant(value: float, digits: int = 3) -> str:
    """To ``digits`` significant figures, without trailing zeros, in the locale's format:
    ``4,200`` · ``0.2`` · ``0.00123`` (en), ``4 200`` · ``0,2`` (fr) — for figures whose size
    varies by orders of magnitude (a return per unit of spend)."""
    if value == 0 or not math.isfinite(value):
        return format_decimal(value, locale=_locale())
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return format_decimal(
        round(value, decimals), format="#,##0." + "#" * decimals, locale=_locale()
    )


@register.filter
def country(code: str) -> str:
    """A country's name in the UI's language from its ISO 3166 code (the code when unknown)."""
    return _locale().territories.get(code, code) if code else ""
