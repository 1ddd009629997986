"""Public holidays of the country (and region) a company works in.

The days come from the `holidays` package (python-holidays: one definition per country and
subdivision, kept up to date by its maintainers, with the historical changes — France's Whit
Monday was not a day off in 2005–2007, the United Kingdom's Boxing Day moves to Monday when it
falls on a Saturday). Pilotage uses them where a day off matters: the marketing-mix model counts
the weekday holidays of each week (fewer working days, fewer leads), and the retro-planning
counts working days around them.

>>> sorted(public_holidays("BE", years=[2026]))[:3]
[datetime.date(2026, 1, 1), datetime.date(2026, 4, 5), datetime.date(2026, 4, 6)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import holidays

__all__ = [
    "UnknownCalendarError",
    "canonical_region",
    "check_calendar",
    "countries",
    "public_holidays",
    "regions",
]


class UnknownCalendarError(ValueError):
    """A country or region code that no holiday calendar knows; the message says which are."""


@cache
def _supported() -> dict[str, list[str]]:
    # two-letter codes only: the package also lists three-letter aliases (FRA, GBR…)
    return holidays.list_supported_countries(include_aliases=False)


def check_calendar(country: str, region: str = "") -> None:
    """Raise :class:`UnknownCalendarError` unless ``country`` (ISO 3166-1 alpha-2, e.g. ``FR``)
    and ``region`` (its subdivision exactly as :func:`regions` spells it, e.g. ``QC`` in
    ``CA``, ``Flemish`` in ``BE``; empty for the whole country) name a calendar."""
    supported = _supported()
    if country not in supported:
        raise UnknownCalendarError(
            f"no public-holiday calendar for country {country!r}; use a two-letter ISO 3166 "
            f"code such as FR, BE, CH, CA, GB or US"
        )
    if region and region not in supported[country]:
        known = ", ".join(supported[country]) or "none"
        raise UnknownCalendarError(
            f"no region {region!r} in {country}'s holiday calendar; its regions are: {known}"
        )


def regions(country: str) -> tuple[str, ...]:
    """The subdivisions ``country``'s calendar knows (empty when it has none)."""
    check_calendar(country)
    return tuple(_supported()[country])


def canonical_region(country: str, region: str) -> str:
    """``region`` as the calendar spells it, matched without regard to case or surrounding
    spaces (``qc`` → ``QC``, ``flemish`` → ``Flemish``); unchanged when nothing matches, so
    that :func:`check_calendar` names the regions known."""
    wanted = region.strip().casefold()
    if not wanted or country not in _supported():
        return region.strip()
    return next((r for r in _supported()[country] if r.casefold() == wanted), region.strip())


def countries() -> tuple[str, ...]:
    """The two-letter codes of every country with a calendar."""
    return tuple(_supported())


def public_holidays(country: str, region: str = "", *, years: Iterable[int]) -> frozenset[dt.date]:
    """The public holidays (days off, observed dates included) of ``country`` — of ``region``
    within it when given — in ``years``."""
    check_calendar(country, region)
    return _holidays(country, region, tuple(sorted(set(years))))


@cache
def _holidays(country: str, region: str, years: tuple[int, ...]) -> frozenset[dt.date]:
    calendar = holidays.country_holidays(country, subdiv=region or None, years=years)
    return frozenset(calendar)
