"""Public holidays by country and region (pilotage.calendars), against the published lists."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.calendars import UnknownCalendarError, canonical_region, public_holidays, regions
from pilotage.execution.retroplanning import easter

D = dt.date


def _weekdays(days):
    return {d for d in days if d.weekday() < 5}


def test_france_is_the_eleven_days_computed_from_easter_but_for_the_solidarity_years():
    for year in range(1995, 2041):
        sunday = easter(year)
        whit_monday = sunday + dt.timedelta(days=50)
        computed = {
            D(year, 1, 1), sunday + dt.timedelta(days=1), D(year, 5, 1), D(year, 5, 8),
            sunday + dt.timedelta(days=39), whit_monday, D(year, 7, 14), D(year, 8, 15),
            D(year, 11, 1), D(year, 11, 11), D(year, 12, 25),
        }  # fmt: skip
        got = public_holidays("FR", years=[year])
        if 2005 <= year <= 2007:  # Whit Monday was the "journée de solidarité", worked
            assert got == computed - {whit_monday}, year
        else:
            assert got == computed, year


def test_england_moves_boxing_day_off_a_saturday():
    # gov.uk, bank holidays in England and Wales, 2026
    published = {
        D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
        D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28),
    }  # fmt: skip
    assert _weekdays(public_holidays("GB", "ENG", years=[2026])) == published
    # Scotland keeps 2 January and the first Monday of August instead of the last
    scotland = _weekdays(public_holidays("GB", "SCT", years=[2026]))
    assert {D(2026, 1, 2), D(2026, 8, 3)} <= scotland and D(2026, 8, 31) not in scotland


def test_the_united_states_observe_independence_day_on_the_friday():
    # OPM federal holidays 2026: 4 July is a Saturday, observed Friday 3 July
    published = {
        D(2026, 1, 1), D(2026, 1, 19), D(2026, 2, 16), D(2026, 5, 25), D(2026, 6, 19),
        D(2026, 7, 3), D(2026, 9, 7), D(2026, 10, 12), D(2026, 11, 11), D(2026, 11, 26),
        D(2026, 12, 25),
    }  # fmt: skip
    assert _weekdays(public_holidays("US", years=[2026])) == published


def test_a_region_has_its_own_days():
    quebec = public_holidays("CA", "QC", years=[2026])
    ontario = public_holidays("CA", "ON", years=[2026])
    assert D(2026, 6, 24) in quebec and D(2026, 6, 24) not in ontario  # Fête nationale
    belgium = public_holidays("BE", years=[2026])
    assert {D(2026, 7, 21), D(2026, 11, 11), D(2026, 5, 25)} <= belgium
    assert "VD" in regions("CH") and D(2026, 8, 1) in public_holidays("CH", "VD", years=[2026])


def test_an_unknown_country_or_region_is_named_in_the_error():
    with pytest.raises(UnknownCalendarError, match="'XX'"):
        public_holidays("XX", years=[2026])
    with pytest.raises(UnknownCalendarError, match="'FRA'"):  # the package's three-letter alias
        public_holidays("FRA", years=[2026])
    with pytest.raises(UnknownCalendarError, match=r"no region 'ZZ' in CA.*QC"):
        public_holidays("CA", "ZZ", years=[2026])


def test_a_region_typed_in_any_case_is_spelt_as_the_calendar_does():
    assert canonical_region("CA", " qc ") == "QC"
    assert canonical_region("BE", "FLEMISH") == "Flemish"
    assert canonical_region("FR", "zone a") == "Zone A"
    assert canonical_region("CA", "Nowhere") == "Nowhere"  # left for the check to name
    assert canonical_region("XX", "qc") == "qc"
