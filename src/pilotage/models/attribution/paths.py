"""Attribution inputs: customer journeys and aggregated path tables.

Two shapes feed every attribution model:

- :class:`Journey` — one person's (or account's) ordered touches, whether it converted, the
  conversion value and, when known, the touch times in days (any origin; only differences
  matter);
- :class:`PathRow` — an aggregated path as in ChannelAttribution's input: the channel sequence
  and how many journeys on it converted (``conversions``, ``value``) or did not (``nulls``).

Readers build them from a ChannelAttribution-style CSV (:func:`read_paths_csv`) or from the
warehouse's canonical ``touchpoints`` table (:func:`journeys_from_touchpoints`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

PATH_COLUMNS = ("path", "total_conversions", "total_conversion_value", "total_null")
_MICROSECONDS_PER_DAY = 86_400_000_000


class PathsError(ValueError):
    """The paths input cannot be read; the message says where and what was expected."""


@dataclass(frozen=True)
class Journey:
    """One journey: its touches in time order, up to and including the converting touch.

    ``times`` are the touch times in days (same length as ``channels``); ``lead_index`` and
    ``opportunity_index`` are the positions of the lead-creation and opportunity-creation
    touches, used only by the W-shaped model.
    """

    channels: tuple[str, ...]
    converted: bool
    value: float = 0.0
    times: tuple[float, ...] | None = None
    lead_index: int | None = None
    opportunity_index: int | None = None

    def __post_init__(self) -> None:
        if not self.channels:
            raise ValueError("a journey needs at least one touch")
        if self.times is not None and len(self.times) != len(self.channels):
            raise ValueError(
                f"a journey has {len(self.channels)} touches but {len(self.times)} times"
            )
        for name, index in (
            ("lead_index", self.lead_index),
            ("opportunity_index", self.opportunity_index),
        ):
            if index is not None and not 0 <= index < len(self.channels):
                raise ValueError(
                    f"{name} {index} is outside the journey's {len(self.channels)} touches"
                )


@dataclass(frozen=True)
class PathRow:
    """An aggregated path: ``conversions`` journeys converted (worth ``value``); ``nulls`` not."""

    path: tuple[str, ...]
    conversions: float
    value: float = 0.0
    nulls: float = 0.0

    def __post_init__(self) -> None:
        if not self.path:
            raise ValueError("a path needs at least one channel")
        if min(self.conversions, self.nulls) < 0:
            raise ValueError(f"path {' > '.join(self.path)}: counts cannot be negative")


def aggregate(journeys: Iterable[Journey | PathRow]) -> list[PathRow]:
    """The journeys grouped by channel sequence, in order of first appearance.

    >>> aggregate([Journey(("a", "b"), True, 10.0), Journey(("a", "b"), False)])
    [PathRow(path=('a', 'b'), conversions=1.0, value=10.0, nulls=1.0)]
    """
    items = journeys if isinstance(journeys, list) else list(journeys)
    rows = [item for item in items if isinstance(item, PathRow)]
    if len(rows) == len(items) and len({r.path for r in rows}) == len(rows):
        return rows  # already one row per path (a paths table): nothing to group
    totals: dict[tuple[str, ...], list[float]] = {}
    for item in items:
        if isinstance(item, PathRow):
            path, conv, value, nulls = item.path, item.conversions, item.value, item.nulls
        else:
            path, conv = item.channels, float(item.converted)
            value, nulls = (item.value if item.converted else 0.0), float(not item.converted)
        row = totals.setdefault(path, [0.0, 0.0, 0.0])
        row[0] += conv
        row[1] += value
        row[2] += nulls
    return [PathRow(path, c, v, n) for path, (c, v, n) in totals.items()]


def split_path(text: str, separator: str = ">") -> tuple[str, ...]:
    """The channels of a path written as ``"a > b > c"`` (spaces around channels are ignored)."""
    return tuple(part.strip() for part in text.split(separator))


def read_paths_csv(path: str | Path, separator: str = ">") -> list[PathRow]:
    """The rows of a ChannelAttribution-style paths CSV.

    Columns: ``path`` (channels joined by ``separator``), ``total_conversions`` and, optionally,
    ``total_conversion_value`` and ``total_null`` (0 when absent). A bad file raises
    :class:`PathsError` naming the file, line and column.
    """
    path = Path(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return parse_paths_csv(handle.read(), path.name, separator)


def parse_paths_csv(text: str, name: str = "paths.csv", separator: str = ">") -> list[PathRow]:
    """The rows of a paths CSV text (``name`` is the file name used in error messages)."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    if not rows:
        raise PathsError(f"{name}: the file is empty; expected the header {','.join(PATH_COLUMNS)}")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in PATH_COLUMNS[:2] if c not in header]
    if missing:
        raise PathsError(
            f"{name}, line 1: missing column(s) {', '.join(missing)}; expected "
            f"{','.join(PATH_COLUMNS)} (the last two are optional)"
        )
    result: list[PathRow] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, row, strict=False))
        column = header.index("path") + 1
        channels = split_path(cells.get("path", ""), separator)
        if not all(channels):
            raise PathsError(
                f"{name}, line {line}, column {column} (path): empty channel in "
                f"{cells.get('path', '')!r}; write channels separated by {separator!r}, "
                f"e.g. 'a {separator} b'"
            )
        numbers = []
        for field in PATH_COLUMNS[1:]:
            raw = cells.get(field, "").strip()
            if field != "total_conversions" and not raw:
                numbers.append(0.0)
                continue
            column = header.index(field) + 1 if field in header else len(row) + 1
            try:
                number = float(raw)
            except ValueError:
                number = float("nan")
            if not number >= 0 or number == float("inf"):
                raise PathsError(
                    f"{name}, line {line}, column {column} ({field}): expected a number ≥ 0, "
                    f"got {raw!r}"
                )
            numbers.append(number)
        result.append(PathRow(channels, numbers[0], numbers[1], numbers[2]))
    if not result:
        raise PathsError(f"{name}: no paths; expected at least one row after the header")
    return result


def journeys_from_touchpoints(table: pa.Table) -> list[Journey]:
    """The journeys of a canonical ``touchpoints`` table (see ``warehouse/schema.py``).

    A journey is the touches of one ``journey_id`` in time order (ties keep the table's order)
    up to and including its first converting touch, whose ``conversion_value`` (null → 0) is
    the journey's value. Touches after that conversion are dropped: they start no new journey.
    A journey without a converting touch is a null path. Times are in days since the epoch.
    """
    needed = ("journey_id", "occurred_at", "channel", "converted")
    missing = [c for c in needed if c not in table.column_names]
    if missing:
        raise PathsError(f"touchpoints: missing column(s) {', '.join(missing)}")
    for column in needed:
        if table.column(column).null_count:
            raise PathsError(f"touchpoints: column {column} has empty values")
    order = pc.sort_indices(table, [("journey_id", "ascending"), ("occurred_at", "ascending")])
    table = table.take(order)
    micros = pc.cast(pc.cast(table.column("occurred_at"), pa.timestamp("us")), pa.int64())
    ids = table.column("journey_id").to_pylist()
    channels = [str(c) for c in table.column("channel").to_pylist()]
    converted = table.column("converted").to_pylist()
    if "conversion_value" in table.column_names:
        values = table.column("conversion_value").to_pylist()
    else:
        values = [None] * table.num_rows
    days = (micros.to_numpy() / _MICROSECONDS_PER_DAY).tolist()
    journeys: list[Journey] = []
    start = 0
    while start < len(ids):
        end = start
        while end < len(ids) and ids[end] == ids[start]:
            end += 1
        stop = next((i for i in range(start, end) if converted[i]), None)
        last = end - 1 if stop is None else stop
        journeys.append(
            Journey(
                tuple(channels[start : last + 1]),
                stop is not None,
                float(values[last] or 0.0) if stop is not None else 0.0,
                tuple(days[start : last + 1]),
            )
        )
        start = end
    return journeys
