"""Cell values: locale numbers decided per file, dates decided per column, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.importers.values import (
    ValueProblem,
    decide_date_order,
    decide_number_style,
    header_currency,
    parse_date_range,
    parse_datetime,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "style", "value"),
    [
        ("1,020.50", None, 1020.50),
        ("1\u00a0020,50", None, 1020.50),  # French, NBSP thousands
        ("1\u202f020,50", None, 1020.50),  # French, narrow NBSP thousands
        ("1.234,56", None, 1234.56),  # German
        ("12,34 €", None, 12.34),
        ("CA$12.34", None, 12.34),
        ("(12.50)", None, -12.50),  # accounting negative
        ("1,234", "dot", 1234.0),
        ("1,234", "comma", 1.234),
        ("1.234", "comma", 1234.0),
        ("42", None, 42.0),
        ("3.45%", None, 3.45),
    ],
)
def test_numbers(text, style, value):
    assert parse_number(text, style).value == pytest.approx(value)


def test_currency_symbols_and_codes_are_recognised():
    assert parse_number("12,34 €", None).currency == "EUR"
    assert parse_number("CA$12.34", None).currency == "CAD"
    assert parse_number("USD 10,000.00", None).currency == "USD"
    assert parse_number("41.20", None).currency is None


def test_placeholder_is_missing_not_zero():
    assert parse_number("--", None) is None
    assert parse_number(" --", None) is None
    assert parse_number("", None) is None


def test_an_undecided_thousands_value_is_refused_for_amounts_but_fine_for_counts():
    with pytest.raises(ValueProblem) as caught:
        parse_number("1,234", None)
    assert caught.value.code == "ambiguous_number"
    assert parse_number("1,234", None, integer=True).value == 1234
    assert parse_number("12.345", None, integer=True).value == 12345


def test_file_number_style_from_evidence():
    assert decide_number_style(["1,204", "41.20"]) == "dot"
    assert decide_number_style(["1 204", "41,20"]) == "comma"
    assert decide_number_style(["1,204", "12"]) is None
    with pytest.raises(ValueProblem) as caught:
        decide_number_style(["41.20", "41,20"])
    assert caught.value.code == "mixed_number_style"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-07-01", dt.datetime(2026, 7, 1)),
        ("2026-07-01 14:32", dt.datetime(2026, 7, 1, 14, 32)),
        ("2025-03-01T10:00:00+02:00", dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)),
        ("20250301", dt.datetime(2025, 3, 1)),
        ("6/20/2025, 6:23 PM", dt.datetime(2025, 6, 20, 18, 23)),
        ("15.03.2024", dt.datetime(2024, 3, 15)),
        ("16-12-2025 10:11:12", dt.datetime(2025, 12, 16, 10, 11, 12)),
        ("Jun 09, 2018 09:30 pm", dt.datetime(2018, 6, 9, 21, 30)),
        ("Sat, May 1, 2021 10:15", dt.datetime(2021, 5, 1, 10, 15)),
        ("Mar 09, 2018", dt.datetime(2018, 3, 9)),  # "Mar" is March, not mardi
        ("1 sept. 2026", dt.datetime(2026, 9, 1)),
        ("2 juil. 2026", dt.datetime(2026, 7, 2)),
        ("1. September 2026", dt.datetime(2026, 9, 1)),
        ("3 février 2026", dt.datetime(2026, 2, 3)),
        ("July 2026", dt.datetime(2026, 7, 1)),
        ("03/14/2025 10:02:33 AM", dt.datetime(2025, 3, 14, 10, 2, 33)),
        ("12/31/2025 12:05 AM", dt.datetime(2025, 12, 31, 0, 5)),
    ],
)
def test_dates(text, expected):
    assert parse_datetime(text) == expected


def test_date_order_is_decided_per_column_from_evidence():
    assert decide_date_order(["03/04/2026", "13/04/2026"]) == "dmy"
    assert decide_date_order(["03/04/2026", "04/13/2026"]) == "mdy"
    assert parse_datetime("03/04/2026", "dmy") == dt.datetime(2026, 4, 3)
    assert parse_datetime("03/04/2026", "mdy") == dt.datetime(2026, 3, 4)
    assert decide_date_order(["2026-04-03"]) == ""


def test_an_ambiguous_date_column_is_refused_never_guessed():
    with pytest.raises(ValueProblem) as caught:
        decide_date_order(["03/04/2026", "05/06/2026"])
    assert caught.value.code == "ambiguous_dates"
    with pytest.raises(ValueProblem):
        decide_date_order(["13/04/2026", "04/13/2026"])  # both orders in one column
    with pytest.raises(ValueProblem):
        parse_datetime("03/04/2026")


def test_report_ranges_in_several_languages():
    assert parse_date_range("September 1, 2026 - September 30, 2026") == (
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 30),
    )
    assert parse_date_range("1 sept. 2026 - 2 sept. 2026") == (
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 2),
    )
    assert parse_date_range("1. September 2026 - 2. September 2026")[1] == dt.date(2026, 9, 2)
    assert parse_date_range("Campaign report") is None


def test_currency_header_suffix_but_not_utc():
    assert header_currency("Amount spent (EUR)") == ("Amount spent", "EUR")
    assert header_currency("Start Date (in UTC)") == ("Start Date (in UTC)", None)


def test_zone_abbreviations_are_applied_and_unknown_ones_refused():
    assert parse_datetime("12/8/2025, 11:54:14 CEST", "dmy") == dt.datetime(
        2025, 8, 12, 9, 54, 14, tzinfo=dt.UTC
    )
    with pytest.raises(ValueProblem):
        parse_datetime("12/8/2025, 11:54:14 XYZT", "dmy")


def test_a_column_mixing_both_orders_is_told_apart_from_an_undecided_one():
    with pytest.raises(ValueProblem) as mixed:
        decide_date_order(["13/04/2026", "04/13/2026"])
    with pytest.raises(ValueProblem) as undecided:
        decide_date_order(["03/04/2026"])
    assert (mixed.value.code, undecided.value.code) == ("mixed_dates", "ambiguous_dates")
