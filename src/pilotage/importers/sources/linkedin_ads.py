"""LinkedIn Campaign Manager: the Campaign Performance Report export.

UTF-8 comma-separated or UTF-16LE tab-separated, 4–5 preamble lines (report title, report
start/end, date generated, account) before the header, which is found by ``Start Date (in
UTC)`` / ``Campaign Name``. Dates are US ``M/D/YYYY`` (LinkedIn's format, used unless the file
proves day-first); ``(in UTC)`` is a time zone, not a currency. Money is ``Total Spent`` in the
currency of the ``Currency`` column. A ``Total`` row is dropped.

Mapping to ``spend`` (one row per day × campaign; ad-level rows summed): ``date`` = Start Date,
``campaign`` = Campaign Name, ``cost`` = Total Spent, ``clicks`` = Clicks,
``platform_conversions`` = Conversions (else Leads), ``platform_conversion_value`` = Total
Conversion Value. Rows whose End Date differs from their Start Date (a Monthly or All time
breakdown with an End Date column) are refused: export with Time breakdown → Daily.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pilotage.importers.aliases import Aliases, Match
from pilotage.importers.base import Context, Converted, Importer, register
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems
from pilotage.importers.reader import TOTAL_LABEL, Table
from pilotage.importers.sources.common import daily_spend, date_order_or, decide_currency
from pilotage.importers.values import is_missing

ALIASES = Aliases(
    {
        "start_date": ("Start Date (in UTC)", "Start Date", "Date de début (en UTC)"),
        "end_date": ("End Date (in UTC)", "End Date", "Date de fin (en UTC)"),
        "account": ("Account Name",),
        "campaign_group": ("Campaign Group Name",),
        "campaign_group_id": ("Campaign Group ID",),
        "campaign": ("Campaign Name", "Nom de la campagne"),
        "campaign_id": ("Campaign ID", "ID de la campagne"),
        "campaign_type": ("Campaign Type",),
        "campaign_objective": ("Campaign Objective",),
        "campaign_status": ("Campaign Status",),
        "cost_type": ("Cost Type",),
        "daily_budget": ("Daily Budget",),
        "currency": ("Currency", "Devise"),
        "total_spent": ("Total Spent", "Total dépensé", "Montant total dépensé"),
        "impressions": ("Impressions",),
        "clicks": ("Clicks", "Clics"),
        "ctr": ("Click Through Rate",),
        "average_cpm": ("Average CPM",),
        "average_cpc": ("Average CPC",),
        "conversions": ("Conversions",),
        "leads": ("Leads",),
        "conversion_value": ("Total Conversion Value", "Valeur totale des conversions"),
        "reach": ("Reach",),
    }
)


@register
class LinkedInAdsImporter(Importer):
    name = "linkedin_ads"
    label = "LinkedIn Campaign Manager campaign performance report"
    tables = ("spend",)
    aliases = ALIASES
    signature = ("start_date", "campaign", "total_spent")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, *self.signature):
            return Converted({})
        start_header = match.columns["start_date"]
        table, skipped = _without_total_rows(table, table.index(start_header))
        date_headers = [start_header] + ([match.columns["end_date"]] if "end_date" in match else [])
        order, why = date_order_or(
            table, date_headers, "mdy", "LinkedIn's M/D/YYYY", context, problems
        )
        ex = Extract(
            table,
            problems,
            numeric=[match.get(f) for f in ("total_spent", "conversion_value", "conversions")],
            timezone=context.timezone,
            date_order=order,
        )
        starts = ex.date(start_header, required=True)
        if "end_date" in match:
            ends = ex.date(match.columns["end_date"])
            for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
                if start is not None and end is not None and start != end:
                    problems.add(
                        Problem(
                            table.name,
                            "not_daily",
                            line=table.lines[i],
                            column=match.columns["end_date"],
                            value=f"{start} – {end}",
                            expected="Time breakdown → Daily",
                        )
                    )
        campaigns = ex.text(match.columns["campaign"], required=True)
        cost = ex.number(match.columns["total_spent"], nonnegative=True)
        impressions = ex.integer(match.get("impressions"), nonnegative=True)
        clicks = ex.integer(match.get("clicks"), nonnegative=True)
        conversions_field = "conversions" if "conversions" in match else "leads"
        conversions = ex.number(match.get(conversions_field))
        value = ex.number(match.get("conversion_value"))
        currency = decide_currency(
            table,
            match,
            context,
            problems,
            ex,
            column=match.get("currency"),
            money_fields=("total_spent", "conversion_value"),
        )
        if problems:
            return Converted({})
        spend = daily_spend(
            self.name,
            context,
            currency[0],
            starts,
            campaigns,
            cost,
            impressions,
            clicks,
            conversions,
            value,
        )
        dates = spend.column("date").to_pylist()
        details: dict[str, Any] = {
            "currency": currency[0],
            "channel": context.taxonomy.classify(platform=self.name),
            "date_order": f"{order} ({why})",
            "conversions_from": match.get(conversions_field),
            "date_range": [str(dates[0]), str(dates[-1])] if dates else [],
        }
        return Converted({"spend": spend}, skipped=skipped, details=details)


def _without_total_rows(table: Table, date_column: int) -> tuple[Table, list[tuple[int, str]]]:
    """Drop a ``Total`` row whose label is not in the first column (the date is then blank)."""
    keep, skipped = [], []
    for i, row in enumerate(table.rows):
        labels = [c for c in row if isinstance(c, str) and TOTAL_LABEL.match(c)]
        if labels and is_missing(row[date_column]):
            skipped.append((table.lines[i], f"total row {str(labels[0]).strip()!r}"))
        else:
            keep.append(i)
    rows = [table.rows[i] for i in keep]
    lines = [table.lines[i] for i in keep]
    return dataclasses.replace(table, rows=rows, lines=lines), skipped
