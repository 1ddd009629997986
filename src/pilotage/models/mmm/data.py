"""Weekly wide tables for the MMM: from a CSV file, or from the warehouse with DuckDB."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from pilotage.importers.problems import Rejected
from pilotage.importers.reader import decode, sniff_delimiter
from pilotage.importers.values import (
    ValueProblem,
    decide_number_style,
    is_missing,
    parse_number,
)

TARGETS = ("revenue", "customers", "leads")


class CsvInputError(ValueError):
    """A CSV problem, naming the file, line and column."""


def read_weekly_csv(
    path: str | Path,
    date_column: str,
    target_column: str,
    channels: list[str],
    controls: list[str] | None = None,
) -> dict[str, Any]:
    """``{"dates", "y", "spend": {channel: array}, "controls": {name: array}}`` from a wide CSV.

    The encoding (UTF-8, UTF-16, Windows-1252) and the delimiter (``,`` ``;`` or tab) are found
    as the importers find them (``pilotage.importers.reader``). Numbers may be written in either
    style (``1,234.56`` or ``1 234,56``, with or without a currency sign): the file's style is
    decided from evidence in its cells, as the importers do (``pilotage.importers.values``); a
    number that could be read both ways with nothing in the file to tell (``12,500`` and no
    other decimal) is refused, never guessed."""
    controls = controls or []
    path = Path(path)
    numeric = [target_column, *channels, *controls]
    try:
        text, _ = decode(path.read_bytes(), path.name)
    except Rejected:
        raise CsvInputError(f"{path}: not a text file in a known encoding") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    header = reader.fieldnames or []
    for column in [date_column, *numeric]:
        if column not in header:
            raise CsvInputError(
                f"{path}, line 1: no column {column!r} (columns: {', '.join(header)})"
            )
    rows = list(reader)
    try:
        style = decide_number_style(row[c] for row in rows for c in numeric)
    except ValueProblem as problem:
        raise CsvInputError(
            f"{path}: numbers are written with a decimal point in some cells and a decimal comma "
            f"in others ({problem.value}); write them all one way"
        ) from None
    dates: list[dt.date] = []
    values: dict[str, list[float]] = {c: [] for c in numeric}
    for line, row in enumerate(rows, start=2):
        try:
            dates.append(dt.date.fromisoformat((row[date_column] or "").strip()[:10]))
        except ValueError:
            raise CsvInputError(
                f"{path}, line {line}, column {date_column!r}: {row[date_column]!r} is not "
                "an ISO date (YYYY-MM-DD)"
            ) from None
        for column in numeric:
            number = _weekly_number(path, line, column, row[column], style)
            if column in channels and number < 0:
                raise CsvInputError(
                    f"{path}, line {line}, column {column!r}: spend cannot be negative"
                )
            values[column].append(number)
    if len(dates) < 2:
        raise CsvInputError(f"{path}: fewer than two weeks of data")
    for line, (before, after) in enumerate(zip(dates, dates[1:], strict=False), start=3):
        if (after - before).days != 7:
            raise CsvInputError(
                f"{path}, line {line}, column {date_column!r}: {after} comes "
                f"{(after - before).days} days after {before}; the rows must be consecutive "
                "weeks in order (7 days apart)"
            )
    return {
        "dates": dates,
        "y": np.array(values[target_column]),
        "spend": {c: np.array(values[c]) for c in channels},
        "controls": {c: np.array(values[c]) for c in controls},
    }


def _weekly_number(path: Path, line: int, column: str, raw: str | None, style: str | None) -> float:
    where = f"{path}, line {line}, column {column!r}"
    if is_missing(raw):
        raise CsvInputError(f"{where}: empty; every week needs a value (0 for no spend)")
    try:
        number = parse_number(raw, style)
    except ValueProblem as problem:
        if problem.code == "ambiguous_number":
            raise CsvInputError(
                f"{where}: {raw!r} could be a thousands separator or a decimal, and no other "
                "number in the file shows which; write it without the separator (12500 or 12.5)"
            ) from None
        raise CsvInputError(f"{where}: {raw!r} is not a number") from None
    assert number is not None  # missing cells were refused above
    if not np.isfinite(number.value):
        raise CsvInputError(f"{where}: {raw!r} is not a number")
    return number.value


_TARGET_SQL = {
    "revenue": "SELECT date_trunc('week', ordered_at)::DATE AS week, sum(revenue) AS value "
    "FROM orders GROUP BY 1",
    "customers": "SELECT date_trunc('week', first)::DATE AS week, count(*) AS value FROM "
    "(SELECT customer_id, min(ordered_at) AS first FROM orders GROUP BY 1) GROUP BY 1",
    "leads": "SELECT date_trunc('week', created_at)::DATE AS week, count(*) AS value "
    "FROM leads GROUP BY 1",
}


def weekly_table(
    warehouse: Any,
    workspace: str,
    target: str = "revenue",
    *,
    holidays: Iterable[dt.date] | None = None,
) -> dict[str, Any]:
    """Weekly (Monday) spend per channel and ``target`` from the workspace's warehouse.

    Returns the same shape as :func:`read_weekly_csv`. Weeks cover the spend table's full
    weeks (a partial first or last week is dropped); weeks without a target row count 0.
    With ``holidays`` (public holidays, e.g. ``pilotage.calendars.public_holidays``), the
    control ``public_holidays`` counts those falling on a weekday of each week: a bridge week
    sells differently, and the model should not credit media for it.
    """
    from pilotage.warehouse import connect

    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, got {target!r}")
    con = connect(warehouse, workspace)
    rows = con.execute(
        "SELECT date_trunc('week', date)::DATE AS week, channel, sum(cost)::DOUBLE "
        "FROM spend GROUP BY 1, 2 ORDER BY 1"
    ).fetchall()
    span = con.execute("SELECT min(date), max(date) FROM spend").fetchone()
    if not rows or span is None:
        raise ValueError(f"workspace {workspace!r} has no spend")
    first, last = span
    target_rows = dict(con.execute(_TARGET_SQL[target]).fetchall())
    weeks = sorted({r[0] for r in rows})
    weeks = [w for w in weeks if w >= first and w + dt.timedelta(days=6) <= last]
    if not weeks:
        raise ValueError(f"workspace {workspace!r} has no full week of spend")
    index = {w: i for i, w in enumerate(weeks)}
    channels = sorted({r[1] for r in rows})
    spend = {c: np.zeros(len(weeks)) for c in channels}
    for week, channel, cost in rows:
        if week in index:
            spend[channel][index[week]] = cost
    y = np.array([float(target_rows.get(w, 0.0)) for w in weeks])
    controls = {}
    if holidays is not None:
        days = {d for d in holidays if d.weekday() < 5}
        counts = np.array(
            [sum(w + dt.timedelta(days=i) in days for i in range(5)) for w in weeks], dtype=float
        )
        if counts.any():
            controls["public_holidays"] = counts
    return {"dates": weeks, "y": y, "spend": spend, "controls": controls}


def write_contributions_csv(parts: dict[str, Any], path: str | Path) -> None:
    """Write ``MarketingMixModel.contributions()`` as a wide weekly CSV: ``week``, ``actual``,
    then ``baseline`` and each channel (the posterior mean) with its ``… low`` and ``… high``
    (the 90% interval) and its ``… mode`` (at the posterior mode: the modes add up to the fit)."""
    series = [("baseline", parts["baseline"]), *parts["channels"].items()]
    header = ["week", "actual"]
    for name, _ in series:
        header += [name, f"{name} low", f"{name} high", f"{name} mode"]
    if len(set(header)) < len(header):
        raise ValueError(f"a channel's name clashes with another column: {', '.join(header)}")
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i, week in enumerate(parts["dates"]):
            row = [week.isoformat(), f"{parts['actual'][i]:.6g}"]
            for _, band in series:
                row += [f"{band[key][i]:.6g}" for key in ("mean", "low", "high", "mode")]
            writer.writerow(row)
