"""Cell values: numbers in any locale, dates decided per column, currencies, placeholders.

Nothing here guesses. A file's number style (decimal point or decimal comma) is decided from
evidence in the file; a date column's order (day-first or month-first) from a value that can
only be read one way; when the evidence is missing or contradictory the caller gets a problem
code, never a silent guess. ``--`` (Google Ads' "not reported") is missing, never 0.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pilotage.importers.reader import Cell

PLACEHOLDERS = frozenset({"", "--"})  # "--" is Google Ads' "not reported"
SPACES = "\u00a0\u202f\u2009\u2007 '"  # NBSP, narrow NBSP, thin, figure, space, Swiss apostrophe

CURRENCY_SYMBOLS = {
    "€": "EUR",
    "£": "GBP",
    "CA$": "CAD",
    "C$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "US$": "USD",
    "$": "USD",
    "CHF": "CHF",
    "¥": "JPY",
    "₹": "INR",
    "zł": "PLN",
    "kr": "SEK",
}
_SYMBOLS = sorted(CURRENCY_SYMBOLS, key=len, reverse=True)
_ISO_AFFIX = re.compile(r"^([A-Z]{3})\s*(?=[-+(\d.,])|(?<=[\d.,)])\s*([A-Z]{3})$")


class ValueProblem(ValueError):
    """A cell cannot be read; ``code`` is a ``problems.MESSAGES`` key."""

    def __init__(self, code: str, value: object, expected: str = "") -> None:
        self.code = code
        self.value = "" if value is None else str(value)
        self.expected = expected
        super().__init__(f"{code}: {self.value!r}")


def is_missing(cell: Cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return isinstance(cell, str) and cell.strip() in PLACEHOLDERS


# ---------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Number:
    value: float
    percent: bool = False
    currency: str | None = None


def strip_number(text: str) -> tuple[str, bool, str | None]:
    """Text of a number without currency, percent sign and spaces → (digits, percent, currency)."""
    s = text.strip()
    currency = None
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    m = _ISO_AFFIX.search(s)
    if m:
        currency = m.group(1) or m.group(2)
        s = s[: m.start()] + s[m.end() :]
    for symbol in _SYMBOLS:
        if symbol in s:
            currency = CURRENCY_SYMBOLS[symbol]
            s = s.replace(symbol, "")
            break
    s = s.strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):  # accounting negative
        negative, s = True, s[1:-1]
    for space in SPACES:
        s = s.replace(space, "")
    s = s.replace("\u2212", "-")
    if negative:
        s = "-" + s
    return s, percent, currency


_PLAIN = re.compile(r"^[-+]?\d+$")
_DOT_DECIMAL = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)\.\d+$")
_COMMA_DECIMAL = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+),\d+$")
_COMMA_GROUPED = re.compile(r"^[-+]?\d{1,3}(,\d{3})+$")
_DOT_GROUPED = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+$")
_SCIENTIFIC = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+$")


def number_evidence(text: str) -> str | None:
    """Which decimal separator a number's text proves: "dot", "comma" or None (no proof)."""
    s, _, _ = strip_number(text)
    # 1,020.50 or 41.2 (a lone dot followed by other than 3 digits) prove a decimal point
    if _DOT_DECIMAL.match(s) and ("," in s or not re.search(r"\.\d{3}$", s)):
        return "dot"
    # 1.234,56 or 12,34 prove a decimal comma
    if _COMMA_DECIMAL.match(s) and ("." in s or not re.search(r",\d{3}$", s)):
        return "comma"
    return None


def decide_number_style(values: Iterable[Cell]) -> str | None:
    """ "dot", "comma" or None from the file's numbers; ``ValueProblem`` when both are proven."""
    seen: dict[str, str] = {}
    for cell in values:
        if isinstance(cell, str) and not is_missing(cell):
            style = number_evidence(cell)
            if style and style not in seen:
                seen[style] = cell
                if len(seen) == 2:
                    raise ValueProblem("mixed_number_style", f"{seen['dot']} / {seen['comma']}")
    return next(iter(seen), None)


def parse_number(cell: Cell, style: str | None, *, integer: bool = False) -> Number | None:
    """A number from a cell, given the file's style; None when missing.

    With no style decided, ``1,234`` and ``1.234`` are refused as ambiguous for decimal fields
    but read as thousands for ``integer`` fields (a count of 1.234 cannot exist).
    """
    if is_missing(cell):
        return None
    if isinstance(cell, bool):
        raise ValueProblem("number", cell)
    if isinstance(cell, (int, float)):
        return Number(float(cell))
    if not isinstance(cell, str):
        raise ValueProblem("number", cell)
    s, percent, currency = strip_number(cell)
    if not s:
        raise ValueProblem("number", cell)
    if _PLAIN.match(s) or _SCIENTIFIC.match(s):
        return Number(float(s), percent, currency)
    if style is None and (_COMMA_GROUPED.match(s) or _DOT_GROUPED.match(s)):
        if integer:
            return Number(float(s.replace(",", "").replace(".", "")), percent, currency)
        raise ValueProblem("ambiguous_number", cell)
    style = style or number_evidence(cell)
    if style == "comma" and (_COMMA_DECIMAL.match(s) or _DOT_GROUPED.match(s)):
        return Number(float(s.replace(".", "").replace(",", ".")), percent, currency)
    if style == "dot" and (_DOT_DECIMAL.match(s) or _COMMA_GROUPED.match(s)):
        return Number(float(s.replace(",", "")), percent, currency)
    raise ValueProblem("integer" if integer else "number", cell)


# ---------------------------------------------------------------- dates

MONTHS: dict[str, int] = {}
_MONTH_NAMES = {
    1: "january jan janvier janv janv. januar jän enero ene janeiro gennaio gen",
    2: "february feb fevrier février fevr févr févr. fév fev februar febrero febr fevereiro "
    "febbraio",
    3: "march mar mars märz marz maerz marzo março marco",
    4: "april apr avril avr avr. abril abr aprile",
    5: "may mai mayo maio maggio mag",
    6: "june jun juin juni junio junho giugno giu",
    7: "july jul juillet juil juil. juli julio julho luglio lug",
    8: "august aug aout août augusto agosto ago",
    9: "september sep sept septembre sept. septiembre setiembre setembro set settembre",
    10: "october oct octobre oktober okt octubre outubro out ottobre ott",
    11: "november nov novembre noviembre novembro",
    12: "december dec decembre décembre dez dezember diciembre dic dezembro dicembre",
}
for _number, _names in _MONTH_NAMES.items():
    for _name in _names.split():
        MONTHS[_name.rstrip(".")] = _number
        MONTHS[
            _strip := unicodedata.normalize("NFKD", _name)
            .encode("ascii", "ignore")
            .decode()
            .rstrip(".")
        ] = _number
_WEEKDAYS = re.compile(
    r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|lun|mar|mer|jeu|ven|sam|dim|mo|di|mi|do|fr|sa|so)"
    r"[a-z]*\.?,?\s+",
    re.IGNORECASE,
)

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|UTC|[+-]\d{2}:?\d{2})?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(
    r"^(\d{1,4})([/.\-])(\d{1,2})\2(\d{2,4})\.?(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?"
    r"(?:\s+([A-Z]{2,5}|UTC[+-]?\d*))?$"
)
_WORDY = re.compile(
    r"^(?:(\d{1,2})\.?\s+([^\d\s,]+)\.?,?\s+(\d{4})|([^\d\s,]+)\.?\s+(\d{1,2}),?\s+(\d{4})|([^\d\s,]+)\.?\s+(\d{4}))"
    r"(?:,?\s+(?:à\s+)?(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?$"
)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# zone abbreviations seen in exports (Salesforce "12/8/2025, 11:54:14 CEST"), hours from UTC
ZONES = {
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "BST": 1,
    "WEST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}


@dataclass(frozen=True)
class DateOrder:
    """How a column writes numeric dates: "dmy", "mdy", "ymd" or "" (no numeric dates)."""

    order: str


def _hour(h: str | None, ampm: str | None) -> int:
    hour = int(h or 0)
    if ampm:
        pm = ampm.lower().startswith("p")
        if hour == 12:
            hour = 0
        if pm:
            hour += 12
    return hour


def decide_date_order(values: Iterable[Cell], name: str = "") -> str:
    """ "dmy" or "mdy" for numeric dates like 03/04/2026, from a value that proves it.

    "" when the column has no such dates. ``ValueProblem("ambiguous_dates")`` when every numeric
    date fits both orders; ``"mixed"`` orders (13/01 and 01/13 in one column) are refused too.
    """
    proof: dict[str, str] = {}
    example = ""
    for cell in values:
        if not isinstance(cell, str) or is_missing(cell):
            continue
        m = _NUMERIC.match(cell.strip())
        if not m or len(m.group(1)) == 4:
            continue
        a, b = int(m.group(1)), int(m.group(3))
        example = example or cell.strip()
        if a > 12 and b <= 12:
            proof.setdefault("dmy", cell)
        elif b > 12 and a <= 12:
            proof.setdefault("mdy", cell)
    if len(proof) == 2:
        raise ValueProblem("mixed_dates", f"{proof['dmy']} / {proof['mdy']}")
    if proof:
        return next(iter(proof))
    if example:
        raise ValueProblem("ambiguous_dates", example)
    return ""


def parse_datetime(
    cell: Cell, order: str = "", *, excel_serials: bool = False
) -> dt.datetime | None:
    """A datetime from any supported form; None when missing.

    ``order`` ("dmy"/"mdy") is the column's decision for numeric dates; without it a numeric
    date that fits both readings raises ``ambiguous_dates``. Values with an explicit zone (Z,
    +02:00, unix timestamps) come back aware, in UTC; the others naive (local times).
    """
    if is_missing(cell):
        return None
    if isinstance(cell, dt.datetime):
        return cell
    if isinstance(cell, dt.date):
        return dt.datetime(cell.year, cell.month, cell.day)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if excel_serials and 20000 < cell < 80000:
            return EXCEL_EPOCH + dt.timedelta(days=float(cell))
        if 1e9 < cell < 1e10:  # unix seconds (Delighted created_at)
            return dt.datetime.fromtimestamp(cell, dt.UTC)
        if 1e12 < cell < 1e13:  # milliseconds
            return dt.datetime.fromtimestamp(cell / 1e3, dt.UTC)
        if 1e15 < cell < 1e17:  # microseconds (GA4 event_timestamp)
            return dt.datetime.fromtimestamp(cell / 1e6, dt.UTC)
        if (
            not (isinstance(cell, int) or float(cell).is_integer())
            or not 19000101 <= cell <= 21001231
        ):
            raise ValueProblem("date", cell, "2026-03-31")
        cell = str(int(cell))  # 20260331
    if not isinstance(cell, str):
        raise ValueProblem("date", cell, "2026-03-31")
    text = " ".join(cell.strip().split())
    try:
        return _parse_text(text, order)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, ValueProblem):
            raise
        raise ValueProblem("date", cell, "2026-03-31") from exc


def _parse_text(text: str, order: str) -> dt.datetime:
    m = _ISO.match(text)
    if m:
        y, mo, d, h, mi, s, frac, zone = m.groups()
        value = dt.datetime(
            int(y),
            int(mo),
            int(d),
            int(h or 0),
            int(mi or 0),
            int(s or 0),
            int((frac or "0").ljust(6, "0")),
        )
        return _apply_zone(value, zone)
    m = _COMPACT.match(text)
    if m:
        return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if text.isdigit() and len(text) in (10, 13, 16, 17):
        return parse_datetime(int(text)) or dt.datetime.min  # epoch seconds, ms or µs
    m = _NUMERIC.match(text)
    if m:
        a, sep, b, year, h, mi, s, ampm, zone = m.groups()
        if zone and zone.upper() not in ZONES:
            raise ValueProblem("date", text, "a known time zone such as CET, CEST or UTC")
        if len(a) == 4:  # 2026/03/31
            if len(year) > 2:
                raise ValueProblem("date", text, "2026-03-31")
            return dt.datetime(int(a), int(b), int(year), _hour(h, ampm), int(mi or 0), int(s or 0))
        first, second = int(a), int(b)
        if not order:
            if first > 12:
                order = "dmy"
            elif second > 12:
                order = "mdy"
            elif first == second:
                order = "dmy"
            else:
                raise ValueProblem("ambiguous_dates", text)
        day, month = (first, second) if order == "dmy" else (second, first)
        y = int(year)
        if y < 100:
            y += 2000
        value = dt.datetime(y, month, day, _hour(h, ampm), int(mi or 0), int(s or 0))
        if zone:
            hours = ZONES[zone.upper()]
            return (value - dt.timedelta(hours=hours)).replace(tzinfo=dt.UTC)
        return value
    stripped = _WEEKDAYS.sub("", text, count=1) if re.match(r"^[^\d\s]+[.,]?\s", text) else text
    for candidate in (stripped, text):
        m = _WORDY.match(candidate)
        if not m:
            continue
        d1, mon1, y1, mon2, d2, y2, mon3, y3, h, mi, s, ampm = m.groups()
        name = (mon1 or mon2 or mon3 or "").lower().rstrip(".")
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        found = MONTHS.get(name)
        if found is None:
            continue
        month = found
        day = int(d1 or d2 or 1)
        year = int(y1 or y2 or y3)
        return dt.datetime(year, month, day, _hour(h, ampm), int(mi or 0), int(s or 0))
    raise ValueProblem("date", text, "2026-03-31")


def _apply_zone(value: dt.datetime, zone: str | None) -> dt.datetime:
    """An explicit zone makes the value aware (in UTC); without one it stays naive (local)."""
    if not zone:
        return value
    if zone in ("Z", "UTC"):
        return value.replace(tzinfo=dt.UTC)
    sign = 1 if zone[0] == "+" else -1
    digits = zone[1:].replace(":", "")
    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return (value - sign * offset).replace(tzinfo=dt.UTC)


def parse_date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """A report's date range line ("September 1, 2026 - September 30, 2026", "1 sept. 2026 - …")."""
    text = " ".join(text.replace("–", "-").replace("—", "-").split())
    for separator in (" - ", " au ", " to ", " bis "):
        if separator in text:
            left, right = text.split(separator, 1)
            try:
                start = parse_datetime(left.strip())
                end = parse_datetime(right.strip())
            except ValueProblem:
                return None
            if start and end:
                return start.date(), end.date()
    return None


# ---------------------------------------------------------------- text and currency

CURRENCY_SUFFIX = re.compile(r"\s*\(([A-Z]{3})\)\s*$")


def header_currency(header: str) -> tuple[str, str | None]:
    """``Amount spent (EUR)`` → (``Amount spent``, ``EUR``). ``(in UTC)`` is not a currency."""
    m = CURRENCY_SUFFIX.search(header)
    if m and m.group(1) != "UTC":
        return header[: m.start()], m.group(1)
    return header, None


def text_value(cell: Cell) -> str | None:
    if is_missing(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.datetime, dt.date)):
        return cell.isoformat()
    return " ".join(str(cell).split())


def one_currency(codes: Sequence[str | None], file: str) -> str | None:
    """The single currency in ``codes`` (None if none); ``ValueProblem`` when several."""
    found = sorted({c.upper() for c in codes if c})
    if len(found) > 1:
        raise ValueProblem("mixed_currency", ", ".join(found))
    return found[0] if found else None
