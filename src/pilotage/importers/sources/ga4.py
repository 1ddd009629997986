"""Google Analytics 4: a standard report downloaded as CSV, and a flattened BigQuery export.

**Report** (``ga4_report`` → ``web_traffic``): Share → Download File → CSV. A ``#`` comment
block (report name, account, property, segment, ``Start date``/``End date`` as YYYYMMDD)
precedes each table, and a file may hold several tables separated by blank lines (the chart's
time series, then the detail table): the table read is the one whose header names a traffic
dimension (channel group, source / medium, source). A ``Grand total``/``Totals`` row is dropped.
One ``web_traffic`` row per report row (users are not additive, so rows are never summed):

- ``date`` = the Date dimension (YYYYMMDD) when present; else the report's range when it is a
  single day; else, when the range lies within one calendar month, the range's first day (said
  in details as ``range_stored_on``); a longer range is refused (export by Date, or a month at a
  time).
- ``channel`` = the taxonomy applied to the channel group, or to the source and medium
  (``google / cpc`` split on " / "); ``traffic_source``/``medium`` are filled when the report
  has them, ``campaign`` from a session campaign dimension.
- ``users`` = Users / Total users, ``sessions``, ``engaged_sessions``, ``key_events`` = Key
  events (formerly Conversions), ``revenue`` = Total revenue (property currency).

**BigQuery** (``ga4_bigquery`` → ``touchpoints``): the result of a query on ``events_*``
downloaded as CSV, nested records flattened with dotted names (``traffic_source.source``) or
left as JSON objects, ``event_params`` as a JSON array. Events are grouped in sessions
(``user_pseudo_id`` × ``ga_session_id``, the id read from ``event_params`` when it has no
column of its own):

- one touchpoint per session, ``interaction`` = "visit", at its ``session_start`` event (or its
  first event when the export has no ``session_start`` for it); ``journey_id`` =
  ``user_pseudo_id``; ``occurred_at`` = ``event_timestamp`` (µs, UTC); ``converted`` = False;
- ``channel``: the taxonomy on the first non-empty level of the cascade, over the session's
  events in time order: ``session_traffic_source_last_click.cross_channel_campaign``
  ``default_channel_group`` (or ``primary_channel_group``), then its ``source``/``medium``,
  then ``session_traffic_source_last_click.manual_campaign`` source/medium, then
  ``collected_traffic_source.manual_source``/``manual_medium``, and last ``traffic_source``
  (the user's *first* touch: counted in details as ``channel_from``);
- ``campaign``: the same cascade on the campaign names, ``(direct)``, ``(organic)``,
  ``(referral)``, ``(not set)`` and ``(none)`` meaning no campaign;
- every conversion event (``CONVERSION_EVENTS``) adds a touchpoint of ``interaction``
  "conversion" on the session's channel and campaign, ``converted`` = True,
  ``conversion_value`` = ``ecommerce.purchase_revenue``; a purchase repeating a
  ``transaction_id`` already seen is skipped (GA4 can send a purchase twice).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections import defaultdict
from typing import Any

from pilotage.importers.aliases import Aliases, Match
from pilotage.importers.base import Context, Converted, Importer, register
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems, Rejected, reject
from pilotage.importers.reader import Cell, Grid, Table, blank, dedupe, locate
from pilotage.importers.sources.common import canonical_table
from pilotage.importers.values import is_missing, parse_datetime, text_value

# ---------------------------------------------------------------- standard report

REPORT_ALIASES = Aliases(
    {
        "date": ("Date",),
        "channel_group": (
            "Session primary channel group (Default Channel Group)",
            "Session primary channel group",
            "Session default channel group",
            "First user primary channel group (Default Channel Group)",
            "First user primary channel group",
            "First user default channel group",
            "Default channel group",
            "Primary channel group (Default Channel Group)",
            "Groupe de canaux principal de la session (Groupe de canaux par défaut)",
            "Groupe de canaux principal de la session",
            "Groupe de canaux par défaut de la session",
            "Groupe de canaux principal du premier utilisateur (Groupe de canaux par défaut)",
            "Groupe de canaux par défaut du premier utilisateur",
            "Groupe de canaux par défaut",
        ),
        "source_medium": (
            "Session source / medium",
            "First user source / medium",
            "Source / medium",
            "Source / support de la session",
            "Source/Support de la session",
            "Source / support du premier utilisateur",
            "Source/support du premier utilisateur",
            "Source / support",
        ),
        "source": (
            "Session source",
            "First user source",
            "Source",
            "Source de la session",
            "Source du premier utilisateur",
        ),
        "medium": (
            "Session medium",
            "First user medium",
            "Medium",
            "Support de la session",
            "Support du premier utilisateur",
            "Support",
        ),
        "campaign": (
            "Session campaign",
            "First user campaign",
            "Campaign",
            "Campagne de la session",
            "Campagne du premier utilisateur",
            "Campagne",
        ),
        "users": (
            "Users",
            "Total users",
            "Active users",
            "Utilisateurs",
            "Nombre total d'utilisateurs",
            "Utilisateurs actifs",
        ),
        "new_users": ("New users", "Nouveaux utilisateurs"),
        "sessions": ("Sessions",),
        "engaged_sessions": ("Engaged sessions", "Sessions avec engagement"),
        "key_events": ("Key events", "Conversions", "Événements clés"),
        "revenue": ("Total revenue", "Revenu total", "Revenus totaux"),
        "event_count": ("Event count", "Nombre d'événements"),
        "engagement_rate": ("Engagement rate", "Taux d'engagement"),
    }
)
DIMENSIONS = ("channel_group", "source_medium", "source")
METRICS = ("users", "sessions", "engaged_sessions", "key_events", "revenue")
START = re.compile(r"^#?\s*(start date|date de d[ée]but)\s*:\s*(\d{8})\s*$", re.IGNORECASE)
END = re.compile(r"^#?\s*(end date|date de fin)\s*:\s*(\d{8})\s*$", re.IGNORECASE)
GRAND_TOTAL = re.compile(r"^\s*(grand total|totals?|total g[ée]n[ée]ral|totaux)\s*$", re.I)


def _is_comment(row: list[Cell]) -> bool:
    first = next((c for c in row if c not in (None, "")), None)
    return isinstance(first, str) and first.lstrip().startswith("#")


def _names_a_dimension(row: list[Cell]) -> bool:
    return not _is_comment(row) and any(
        isinstance(c, str) and REPORT_ALIASES.field_of(c) in DIMENSIONS for c in row
    )


@register
class GA4ReportImporter(Importer):
    name = "ga4_report"
    label = "GA4 report (CSV download)"
    tables = ("web_traffic",)
    aliases = REPORT_ALIASES

    def locate(self, grid: Grid) -> Table:
        """The table whose header names a traffic dimension, up to its blank or ``#`` line."""
        # a table's header follows the file's start, a blank line or a '#' line; of the
        # headers naming a dimension, the one with the most known columns (ties: the last)
        headers = [
            (sum(1 for c in row if isinstance(c, str) and REPORT_ALIASES.known(c)), i)
            for i, row in enumerate(grid.rows)
            if _names_a_dimension(row)
            and (i == 0 or blank(grid.rows[i - 1]) or _is_comment(grid.rows[i - 1]))
        ]
        if not headers:
            raise reject(grid.name, "no_header", expected=REPORT_ALIASES.example("channel_group"))
        i = max(headers)[1]
        end = i + 1
        while (
            end < len(grid.rows) and not blank(grid.rows[end]) and not _is_comment(grid.rows[end])
        ):
            end += 1
        part = dataclasses.replace(grid, rows=grid.rows[i:end], lines=grid.lines[i:end])
        table = locate(part, self.aliases.known, min_known=1)
        table.preamble = grid.rows[:i]
        return table

    def score(self, grid: Grid) -> float:
        try:
            table = self.locate(grid)
        except Rejected:
            return 0.0
        match = self.aliases.match(table.header)
        if not any(f in match for f in DIMENSIONS) or not ("users" in match or "sessions" in match):
            return 0.0
        return 20 + len(match.columns)

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        dimension = next(f for f in DIMENSIONS if f in match)
        table, skipped = _without_grand_total(table, table.index(match.columns[dimension]))
        ex = self.extract(table, match, context, problems, list(METRICS))
        details: dict[str, Any] = {"dimension": match.columns[dimension]}
        n = len(table.rows)
        if "date" in match:
            dates = ex.date(match.columns["date"], required=True)
        else:
            found = _report_range(table)
            if found is None:
                problems.add(
                    Problem(
                        table.name,
                        "missing_column",
                        expected="Date (or the '# Start date:' and '# End date:' lines)",
                    )
                )
                return Converted({})
            (start, end), line = found
            details["date_range"] = [str(start), str(end)]
            if start == end:
                dates = [start] * n
            elif (start.year, start.month) == (end.year, end.month):
                dates = [start] * n
                details["range_stored_on"] = str(start)
            else:
                problems.add(
                    Problem(
                        table.name,
                        "range_too_long",
                        line=line,
                        value=f"{start} – {end}",
                        expected="the Date dimension, or one calendar month at a time",
                    )
                )
                return Converted({})
        values = ex.text(match.columns[dimension], required=True)
        sources: list[str | None]
        mediums: list[str | None]
        if dimension == "channel_group":
            sources, mediums = [None] * n, [None] * n
        elif dimension == "source_medium":
            pairs = [_split_source_medium(v) for v in values]
            sources, mediums = [p[0] for p in pairs], [p[1] for p in pairs]
        else:
            sources, mediums = values, ex.text(match.get("medium"))
        campaigns = [_campaign(c) for c in ex.text(match.get("campaign"))]
        users = ex.integer(match.get("users"), nonnegative=True)
        sessions = ex.integer(match.get("sessions"), nonnegative=True)
        engaged = ex.integer(match.get("engaged_sessions"), nonnegative=True)
        key_events = ex.number(match.get("key_events"), nonnegative=True)
        revenue = ex.number(match.get("revenue"))
        if problems:
            return Converted({})
        channels = [
            context.taxonomy.classify(source=values[i], campaign=campaigns[i])
            if dimension == "channel_group"
            else context.taxonomy.classify(
                source=sources[i], medium=mediums[i], campaign=campaigns[i]
            )
            for i in range(n)
        ]
        columns: dict[str, list[Any]] = {
            "date": dates,
            "channel": channels,
            "traffic_source": sources,
            "medium": mediums,
            "campaign": campaigns,
            "sessions": sessions,
            "users": users,
            "engaged_sessions": engaged,
            "key_events": key_events,
            "revenue": revenue,
        }
        return Converted(
            {"web_traffic": canonical_table("web_traffic", columns)},
            skipped=skipped,
            details=details,
        )


def _report_range(table: Table) -> tuple[tuple[dt.date, dt.date], int] | None:
    """(start, end) from the ``#`` block nearest the table, and the End date's line."""
    start = end = None
    line = 0
    for offset, text in enumerate(table.preamble_text()):
        m = START.match(text.strip())
        if m:
            start = parse_datetime(m.group(2))
        m = END.match(text.strip())
        if m:
            end = parse_datetime(m.group(2))
            line = offset + 1  # preamble rows are the file's first lines, one line each
    if start is None or end is None:
        return None
    return (start.date(), end.date()), line


def _without_grand_total(table: Table, column: int) -> tuple[Table, list[tuple[int, str]]]:
    keep, skipped = [], []
    for i, row in enumerate(table.rows):
        label = row[column] if column < len(row) else None
        if isinstance(label, str) and GRAND_TOTAL.match(label):
            skipped.append((table.lines[i], f"total row {label.strip()!r}"))
        else:
            keep.append(i)
    rows = [table.rows[i] for i in keep]
    lines = [table.lines[i] for i in keep]
    return dataclasses.replace(table, rows=rows, lines=lines), skipped


def _split_source_medium(value: str | None) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    source, sep, medium = value.partition(" / ")
    if not sep:
        source, sep, medium = value.partition("/")
    return source.strip() or None, (medium.strip() or None) if sep else None


NO_CAMPAIGN = {"(direct)", "(organic)", "(referral)", "(not set)", "(none)", "(not provided)"}


def _campaign(value: str | None) -> str | None:
    if value is None or value.strip().lower() in NO_CAMPAIGN:
        return None
    return value


# ---------------------------------------------------------------- BigQuery export

CONVERSION_EVENTS = ("purchase", "generate_lead")
LAST_CLICK = "session_traffic_source_last_click"

BIGQUERY_ALIASES = Aliases(
    {
        "event_date": ("event_date",),
        "event_timestamp": ("event_timestamp",),
        "event_name": ("event_name",),
        "user_pseudo_id": ("user_pseudo_id",),
        "user_id": ("user_id",),
        "ga_session_id": ("ga_session_id", "session_id"),
        "event_params": ("event_params",),
        "page_location": ("page_location",),
        "default_channel_group": (f"{LAST_CLICK}.cross_channel_campaign.default_channel_group",),
        "primary_channel_group": (f"{LAST_CLICK}.cross_channel_campaign.primary_channel_group",),
        "last_source": (f"{LAST_CLICK}.cross_channel_campaign.source",),
        "last_medium": (f"{LAST_CLICK}.cross_channel_campaign.medium",),
        "last_campaign": (f"{LAST_CLICK}.cross_channel_campaign.campaign_name",),
        "manual_last_source": (f"{LAST_CLICK}.manual_campaign.source",),
        "manual_last_medium": (f"{LAST_CLICK}.manual_campaign.medium",),
        "manual_last_campaign": (f"{LAST_CLICK}.manual_campaign.campaign_name",),
        "collected_source": ("collected_traffic_source.manual_source",),
        "collected_medium": ("collected_traffic_source.manual_medium",),
        "collected_campaign": ("collected_traffic_source.manual_campaign_name",),
        "first_source": ("traffic_source.source",),
        "first_medium": ("traffic_source.medium",),
        "first_campaign": ("traffic_source.name",),
        "purchase_revenue": ("ecommerce.purchase_revenue",),
        "transaction_id": ("ecommerce.transaction_id",),
    }
)
# (name in details, channel group field, source field, medium field), first match wins
CASCADE: tuple[tuple[str, str | None, str | None, str | None], ...] = (
    ("default_channel_group", "default_channel_group", None, None),
    ("primary_channel_group", "primary_channel_group", None, None),
    ("last_click_source_medium", None, "last_source", "last_medium"),
    ("last_click_manual_source_medium", None, "manual_last_source", "manual_last_medium"),
    ("collected_source_medium", None, "collected_source", "collected_medium"),
    ("first_user_traffic_source", None, "first_source", "first_medium"),
)
CAMPAIGN_CASCADE = (
    "last_campaign",
    "manual_last_campaign",
    "collected_campaign",
    "first_campaign",
)


@register
class GA4BigQueryImporter(Importer):
    name = "ga4_bigquery"
    label = "GA4 BigQuery events (flattened query result)"
    tables = ("touchpoints",)
    aliases = BIGQUERY_ALIASES
    signature = ("event_name", "event_timestamp", "user_pseudo_id")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        table = _flatten_json(table)
        match = self.aliases.match(table.header)
        if not self.require(table, match, problems, *self.signature):
            return Converted({})
        ex = Extract(table, problems, numeric=[match.get("purchase_revenue")])
        # event_timestamp is absolute (µs since the epoch): never shifted by a time zone
        stamps = ex.timestamp(match.columns["event_timestamp"], required=True, local=False)
        names = ex.text(match.columns["event_name"], required=True)
        users = ex.text(match.columns["user_pseudo_id"], required=True)
        if "ga_session_id" in match:
            session_ids = ex.text(match.columns["ga_session_id"])
        elif "event_params" in match:
            session_ids = [
                _param(c, "ga_session_id") for c in table.column(match.columns["event_params"])
            ]
        else:
            problems.add(Problem(table.name, "missing_column", expected="ga_session_id"))
            return Converted({})
        revenue = ex.number(match.get("purchase_revenue"))
        transactions = ex.text(match.get("transaction_id"))
        text = {f: ex.text(match.get(f)) for f in BIGQUERY_ALIASES.table if f in match}
        if problems:
            return Converted({})
        skipped: list[tuple[int, str]] = []
        sessions: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in range(len(table.rows)):
            user, session = users[i], session_ids[i]
            if session is None:
                skipped.append((table.lines[i], "no ga_session_id: the event has no session"))
                continue
            assert user is not None  # required: checked above
            sessions[(user, session)].append(i)
        out: list[tuple[Any, ...]] = []
        seen_transactions: set[str] = set()
        channel_from: dict[str, int] = defaultdict(int)
        for (user, _), events in sessions.items():
            events.sort(key=lambda i: (stamps[i], table.lines[i]))
            anchor = next((i for i in events if names[i] == "session_start"), events[0])
            campaign = next(
                (v for f in CAMPAIGN_CASCADE for v in _values(events, text.get(f)) if _campaign(v)),
                None,
            )
            channel, level = self._channel(events, text, context, campaign)
            channel_from[level] += 1
            out.append((user, stamps[anchor], channel, campaign, "visit", False, None))
            for i in events:
                if names[i] not in CONVERSION_EVENTS:
                    continue
                transaction = transactions[i]
                if transaction is not None and transaction in seen_transactions:
                    skipped.append((table.lines[i], f"transaction {transaction} seen before"))
                    continue
                if transaction is not None:
                    seen_transactions.add(transaction)
                out.append((user, stamps[i], channel, campaign, "conversion", True, revenue[i]))
        out.sort(key=lambda r: (r[1], r[0], r[4] == "conversion"))
        fields = (
            "journey_id",
            "occurred_at",
            "channel",
            "campaign",
            "interaction",
            "converted",
            "conversion_value",
        )
        columns = {f: [r[j] for r in out] for j, f in enumerate(fields)}
        details = {
            "sessions": len(sessions),
            "conversion_events": list(CONVERSION_EVENTS),
            "channel_from": dict(channel_from),
        }
        return Converted(
            {"touchpoints": canonical_table("touchpoints", columns)},
            skipped=skipped,
            details=details,
        )

    @staticmethod
    def _channel(
        events: list[int],
        text: dict[str, list[str | None]],
        context: Context,
        campaign: str | None,
    ) -> tuple[str, str]:
        """The session's channel from the first level of the cascade that has a value."""

        def get(field: str | None, i: int) -> str | None:
            return text[field][i] if field in text else None

        for level, group, source, medium in CASCADE:
            for i in events:
                if group is not None and get(group, i) is not None:
                    return context.taxonomy.classify(source=get(group, i), campaign=campaign), level
                if group is None and (get(source, i) or get(medium, i)):
                    channel = context.taxonomy.classify(
                        source=get(source, i), medium=get(medium, i), campaign=campaign
                    )
                    return channel, level
        return context.taxonomy.fallback, "none"


def _values(events: list[int], column: list[str | None] | None) -> list[str]:
    """The non-empty values of ``column`` over ``events``, in order."""
    if column is None:
        return []
    return [v for v in (column[i] for i in events) if v is not None]


def _flatten_json(table: Table) -> Table:
    """Columns holding JSON objects (a record downloaded unflattened) → dotted columns."""
    header = list(table.header)
    rows = [list(r) for r in table.rows]
    for j, name in enumerate(table.header):
        cells = [r[j] if j < len(r) else None for r in table.rows]
        texts = [c for c in cells if not is_missing(c)]
        if not texts or not all(isinstance(c, str) and c.lstrip().startswith("{") for c in texts):
            continue
        try:
            parsed = [json.loads(c) if isinstance(c, str) and c.strip() else {} for c in cells]
        except ValueError:
            continue
        flat = [_flat(p, name) if isinstance(p, dict) else {} for p in parsed]
        keys = sorted({k for f in flat for k in f} - set(header))
        header.extend(keys)
        for row, values in zip(rows, flat, strict=True):
            row.extend(values.get(k) for k in keys)
    if len(header) == len(table.header):
        return table
    return dataclasses.replace(table, header=dedupe(header), rows=rows)


def _flat(value: dict[str, Any], prefix: str) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for key, item in value.items():
        name = f"{prefix}.{key}"
        if isinstance(item, dict):
            out.update(_flat(item, name))
        elif item is not None and not isinstance(item, list):
            out[name] = str(item)
    return out


def _param(cell: Cell, key: str) -> str | None:
    """A value of a GA4 ``event_params`` JSON array (``[{"key": …, "value": {…}}]``)."""
    if not isinstance(cell, str) or not cell.strip().startswith("["):
        return None
    try:
        params = json.loads(cell)
    except ValueError:
        return None
    for param in params if isinstance(params, list) else []:
        if isinstance(param, dict) and param.get("key") == key:
            value = param.get("value") or {}
            for kind in ("int_value", "string_value", "double_value", "float_value"):
                if value.get(kind) is not None:
                    return text_value(str(value[kind]))
    return None
