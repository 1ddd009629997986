"""Shared steps of the vendor importers: currency decision, date order by a source's
convention, canonical tables from columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from pilotage.importers.aliases import Match
from pilotage.importers.base import Context
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems
from pilotage.importers.reader import Cell, Table
from pilotage.importers.values import ValueProblem, decide_date_order, is_missing, one_currency
from pilotage.warehouse import SCHEMAS


def decide_currency(
    table: Table,
    match: Match,
    context: Context,
    problems: Problems,
    ex: Extract,
    *,
    column: str | None = None,
    money_fields: Sequence[str] = (),
) -> list[str | None]:
    """One currency per row: from a currency column, a ``(EUR)`` header suffix, symbols in the
    values, or the context's default — and never two currencies in one file."""
    n = len(table.rows)
    codes: list[str | None] = [None] * n
    if column is not None:
        codes = [c.upper() if c else None for c in ex.text(column)]
        for i, code in enumerate(codes):
            if code is not None and (len(code) != 3 or not code.isalpha()):
                problems.add(
                    Problem(table.name, "currency", line=table.lines[i], column=column, value=code)
                )
    suffixes = [match.currencies[f] for f in money_fields if f in match.currencies]
    found = [c for c in codes if c] + suffixes + sorted(ex.currencies_seen)
    try:
        single = one_currency(found, table.name)
    except ValueProblem as exc:
        problems.add(Problem(table.name, exc.code, value=exc.value))
        return codes
    single = single or context.currency
    if single is None:
        problems.add(Problem(table.name, "no_currency"))
        return codes
    return [single] * n


def spend_table(columns: Mapping[str, Sequence[Any]]) -> pa.Table:
    """A ``spend`` table (without lineage) from columns; absent optional columns are null."""
    fields = [f for f in SCHEMAS["spend"] if f.name not in ("source", "import_id")]
    n = len(next(iter(columns.values())))
    return pa.table(
        {f.name: pa.array(columns.get(f.name, [None] * n), type=f.type) for f in fields}
    )


def canonical_table(name: str, columns: Mapping[str, Sequence[Any]]) -> pa.Table:
    """Any canonical table (without lineage) from columns; absent columns are null."""
    fields = [f for f in SCHEMAS[name] if f.name not in ("source", "import_id")]
    n = len(next(iter(columns.values()))) if columns else 0
    return pa.table(
        {f.name: pa.array(columns.get(f.name, [None] * n), type=f.type) for f in fields}
    )


def date_order_or(
    table: Table,
    headers: Sequence[str],
    convention: str,
    said: str,
    context: Context,
    problems: Problems,
) -> tuple[str, str]:
    """The numeric date order of ``headers``: the user's choice, else what a value proves
    (13/01 can only be day-first), else the source's documented ``convention``.

    A column proving both orders is reported (``ambiguous_dates``) and the convention returned.
    """
    if context.date_order:
        return context.date_order, "chosen for this import"
    proofs: dict[str, Cell] = {}
    for header in headers:
        for cell in table.column(header):
            if is_missing(cell):
                continue
            try:
                order = decide_date_order([cell])
            except ValueProblem:  # fits both orders: proves nothing
                continue
            if order:
                proofs.setdefault(order, cell)
        if len(proofs) == 2:
            problems.add(
                Problem(
                    table.name,
                    "ambiguous_dates",
                    column=header,
                    value=f"{proofs['dmy']} / {proofs['mdy']}",
                )
            )
            return convention, said
    if proofs:
        order, cell = next(iter(proofs.items()))
        return order, f"proven by {cell}"
    return convention, said


def daily_spend(
    platform: str,
    context: Context,
    currency: str | None,
    dates: Sequence[Any],
    campaigns: Sequence[str | None],
    cost: Sequence[float | None],
    impressions: Sequence[float | None],
    clicks: Sequence[float | None],
    conversions: Sequence[float | None],
    value: Sequence[float | None],
) -> pa.Table:
    """One ``spend`` row per day × campaign of an ad platform's rows (rows split by a segment
    — device, network, ad set — are summed; a figure missing on every row stays missing), the
    channel from the taxonomy with ``platform``. Dates and campaigns must be filled."""
    sums: dict[tuple[Any, str], list[float | None]] = {}
    for i, (day, campaign) in enumerate(zip(dates, campaigns, strict=True)):
        assert day is not None and campaign is not None  # required: checked by the caller
        acc = sums.setdefault((day, campaign), [None] * 5)
        for j, v in enumerate((cost[i], impressions[i], clicks[i], conversions[i], value[i])):
            if v is not None:
                acc[j] = (acc[j] or 0) + v
    keys = sorted(sums)
    return spend_table(
        {
            "date": [k[0] for k in keys],
            "channel": [context.taxonomy.classify(platform=platform, campaign=k[1]) for k in keys],
            "campaign": [k[1] for k in keys],
            "cost": [sums[k][0] or 0.0 for k in keys],
            "currency": [currency] * len(keys),
            "impressions": [_whole(sums[k][1]) for k in keys],
            "clicks": [_whole(sums[k][2]) for k in keys],
            "platform_conversions": [sums[k][3] for k in keys],
            "platform_conversion_value": [sums[k][4] for k in keys],
        }
    )


def _whole(value: float | None) -> int | None:
    return None if value is None else int(round(value))
