"""Email campaign reports: Mailchimp and Brevo → ``email_campaigns`` (one row per campaign).

- ``mailchimp``: the multi-campaign export (one row per campaign). ``campaign`` = Title,
  ``sent_at`` = Send Date (``Jun 09, 2018 09:30 pm``, the account's time zone),
  ``recipients`` = Total Recipients, ``delivered`` = Successful Deliveries, ``unique_opens`` /
  ``unique_clicks`` = Unique Opens / Unique Clicks, ``unsubscribes`` = Unsubscribes,
  ``bounces`` = Total Bounces (else Soft Bounces + Hard Bounces).
- ``mailchimp_report``: the single-campaign report, a vertical ``"Label:","value"`` block, not
  a table, read up to "Clicks by URL". ``Title:``, ``Delivery Date/Time:``, ``Total
  Recipients:``, ``Successful Deliveries:``, ``Bounces:`` (``5 (0.5%)``: the count),
  ``Recipients Who Opened:`` and ``Recipients Who Clicked:`` (the unique counts), ``Total
  Unsubs:``.
- ``brevo``: the per-recipient campaign export (``;``, ``DD-MM-YYYY`` dates — Brevo's format,
  used unless a value proves month-first), aggregated per campaign (Campaign ID, else name):
  ``recipients`` = rows, ``delivered`` = rows with a Delivered Date, ``unique_opens`` = with an
  Open Date, ``unique_clicks`` = Clicked Links Count > 0, ``bounces`` = with a hard or soft
  bounce date, ``unsubscribes`` = with an Unsubscribe Date; ``sent_at`` = the earliest Send Date.
  A count whose column is not in the file is null, never 0.
- ``brevo_campaigns``: the campaign list export of the UI (Campaign name; Sent date; Sent;
  Delivered; Opened; Clicked; Unsubscribed; Hard bounces; Soft bounces).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from pilotage.importers.aliases import Aliases, Match
from pilotage.importers.base import Context, Converted, Importer, register
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems, Rejected, reject
from pilotage.importers.reader import Cell, Grid, Table
from pilotage.importers.sources.common import canonical_table, date_order_or
from pilotage.importers.values import text_value

COUNTS = ("recipients", "delivered", "unique_opens", "unique_clicks", "unsubscribes", "bounces")


def email_table(columns: dict[str, list[Any]]) -> Any:
    return canonical_table("email_campaigns", columns)


def total(values: list[int | None]) -> int | None:
    """The sum of ``values``; None when one is unknown (a count is never made up)."""
    return None if any(v is None for v in values) else sum(v or 0 for v in values)


def _positive(value: int | None) -> int | None:
    return None if value is None else int(value > 0)


def _sum(*values: int | None) -> int | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


# ---------------------------------------------------------------- Mailchimp, all campaigns

MAILCHIMP_ALIASES = Aliases(
    {
        "title": ("Title", "Titre"),
        "subject": ("Subject", "Objet"),
        "list": ("List", "Audience", "Liste"),
        "send_date": ("Send Date", "Date d'envoi"),
        "send_weekday": ("Send Weekday",),
        "recipients": ("Total Recipients",),
        "delivered": ("Successful Deliveries",),
        "soft_bounces": ("Soft Bounces",),
        "hard_bounces": ("Hard Bounces",),
        "total_bounces": ("Total Bounces",),
        "forwarded": ("Times Forwarded",),
        "unique_opens": ("Unique Opens",),
        "open_rate": ("Open Rate",),
        "total_opens": ("Total Opens",),
        "unique_clicks": ("Unique Clicks",),
        "click_rate": ("Click Rate",),
        "total_clicks": ("Total Clicks",),
        "unsubscribes": ("Unsubscribes",),
        "abuse_complaints": ("Abuse Complaints",),
        "folder_id": ("Folder Id",),
        "unique_id": ("Unique Id",),
    }
)


@register
class MailchimpImporter(Importer):
    name = "mailchimp"
    label = "Mailchimp campaigns export"
    tables = ("email_campaigns",)
    aliases = MAILCHIMP_ALIASES
    signature = ("title", "send_date", "recipients")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, *self.signature):
            return Converted({})
        ex = self.extract(table, match, context, problems, [])
        columns: dict[str, list[Any]] = {
            "sent_at": ex.timestamp(match.columns["send_date"], required=True),
            "campaign": ex.text(match.columns["title"], required=True),
        }
        for field in ("recipients", "delivered", "unique_opens", "unique_clicks", "unsubscribes"):
            columns[field] = ex.integer(match.get(field), nonnegative=True)
        if "total_bounces" in match:
            columns["bounces"] = ex.integer(match.columns["total_bounces"], nonnegative=True)
        else:
            soft = ex.integer(match.get("soft_bounces"), nonnegative=True)
            hard = ex.integer(match.get("hard_bounces"), nonnegative=True)
            columns["bounces"] = [_sum(s, h) for s, h in zip(soft, hard, strict=True)]
        if problems:
            return Converted({})
        return Converted({"email_campaigns": email_table(columns)})


# ---------------------------------------------------------------- Mailchimp, one campaign

REPORT_ALIASES = Aliases(
    {
        "campaign": ("Title:",),
        "subject": ("Subject Line:",),
        "sent_at": ("Delivery Date/Time:", "Send Date:"),
        "recipients": ("Total Recipients:",),
        "delivered": ("Successful Deliveries:",),
        "bounces": ("Bounces:",),
        "forwarded": ("Times Forwarded:",),
        "unique_opens": ("Recipients Who Opened:",),
        "total_opens": ("Total Opens:",),
        "unique_clicks": ("Recipients Who Clicked:",),
        "total_clicks": ("Total Clicks:",),
        "unsubscribes": ("Total Unsubs:",),
        "abuse_complaints": ("Total Abuse Complaints:",),
    }
)
REPORT_END = re.compile(r"^\s*(clicks by url|top links clicked|combination \d+ stats)", re.I)
COUNT_AND_RATE = re.compile(r"^\s*([\d.,\s\u00a0\u202f]+?)\s*\([^)]*%\s*\)\s*$")  # 5 (0.5%)


@register
class MailchimpReportImporter(Importer):
    name = "mailchimp_report"
    label = "Mailchimp single-campaign report"
    tables = ("email_campaigns",)
    aliases = REPORT_ALIASES

    def locate(self, grid: Grid) -> Table:
        """The ``Label:, value`` lines of the report as a two-column table (Label, Value)."""
        rows: list[list[Cell]] = []
        lines: list[int] = []
        seen: set[str] = set()
        for row, line in zip(grid.rows, grid.lines, strict=True):
            label = text_value(row[0]) if row else None
            if label is None:
                continue
            if REPORT_END.match(label):
                break
            field = self.aliases.field_of(label) if label.endswith(":") else None
            if field is None or field in seen:
                continue
            seen.add(field)
            rows.append([label, row[1] if len(row) > 1 else None])
            lines.append(line)
        if not {"campaign", "recipients"} <= seen:
            raise reject(grid.name, "no_header", expected="Title:, Total Recipients:")
        return Table(
            grid.name,
            ["Label", "Value"],
            rows,
            lines,
            header_line=lines[0],
            kind=grid.kind,
            encoding=grid.encoding,
            delimiter=grid.delimiter,
        )

    def score(self, grid: Grid) -> float:
        try:
            table = self.locate(grid)
        except Rejected:
            return 0.0
        return 20 + len(table.rows)

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        values = {
            self.aliases.field_of(str(row[0])): (str(row[0]), row[1], line)
            for row, line in zip(table.rows, table.lines, strict=True)
        }

        def one(field: str) -> Extract | None:
            """An Extract over the single value of ``field``, its label as column name."""
            if field not in values:
                return None
            label, cell, line = values[field]
            if field in ("bounces", "unique_opens", "unique_clicks") and isinstance(cell, str):
                m = COUNT_AND_RATE.match(cell)
                cell = m.group(1) if m else cell
            single = Table(table.name, [label], [[cell]], [line], header_line=line)
            return Extract(
                single,
                problems,
                numeric=[label],
                timezone=context.timezone,
                date_order=context.date_order,
            )

        columns: dict[str, list[Any]] = {}
        for field, kind in (("campaign", "text"), ("sent_at", "timestamp")):
            ex = one(field)
            if ex is None:
                problems.add(
                    Problem(table.name, "missing_column", expected=self.aliases.example(field))
                )
                continue
            header = ex.table.header[0]
            columns[field] = getattr(ex, kind)(header, required=True)
        for field in COUNTS:
            ex = one(field)
            columns[field] = (
                [None] if ex is None else ex.integer(ex.table.header[0], nonnegative=True)
            )
        if problems:
            return Converted({})
        return Converted({"email_campaigns": email_table(columns)})


# ---------------------------------------------------------------- Brevo, per recipient

BREVO_ALIASES = Aliases(
    {
        "campaign_id": ("Campaign ID", "ID de la campagne", "ID campagne"),
        "campaign": ("Campaign Name", "Nom de la campagne", "Campagne"),
        "send_date": ("Send Date", "Sent Date", "Date d'envoi"),
        "email": ("Email ID", "Email", "E-mail", "Adresse e-mail", "Contact"),
        "delivered_date": (
            "Delivered Date",
            "Delivery Date",
            "Date de délivrance",
            "Date de livraison",
            "Date de réception",
        ),
        "open_date": ("Open Date", "First Open Date", "Date d'ouverture"),
        "open_ip": ("Open IP", "IP d'ouverture"),
        "total_opens": ("Total Opens", "Nombre d'ouvertures"),
        "clicked_links": (
            "Clicked Links Count",
            "Clicked Links",
            "Nombre de liens cliqués",
            "Liens cliqués",
        ),
        "hard_bounce_date": ("Hard Bounce Date", "Date de hard bounce", "Date du hard bounce"),
        "hard_bounce_reason": ("Hard Bounce Reason", "Raison du hard bounce"),
        "soft_bounce_date": ("Soft Bounce Date", "Date de soft bounce", "Date du soft bounce"),
        "soft_bounce_reason": ("Soft Bounce Reason", "Raison du soft bounce"),
        "unsubscribe_date": (
            "Unsubscribe Date",
            "Unsubscribed Date",
            "Date de désinscription",
            "Date de désabonnement",
        ),
    }
)
BREVO_DATES = (
    "send_date",
    "delivered_date",
    "open_date",
    "hard_bounce_date",
    "soft_bounce_date",
    "unsubscribe_date",
)


@register
class BrevoImporter(Importer):
    name = "brevo"
    label = "Brevo campaign export (one row per recipient)"
    tables = ("email_campaigns",)
    aliases = BREVO_ALIASES
    signature = ("campaign", "send_date", "delivered_date")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, *self.signature):
            return Converted({})
        dates = [match.columns[f] for f in BREVO_DATES if f in match]
        order, why = date_order_or(table, dates, "dmy", "Brevo's DD-MM-YYYY", context, problems)
        ex = Extract(
            table,
            problems,
            numeric=[match.get("clicked_links")],
            timezone=context.timezone,
            date_order=order,
        )
        when = {f: ex.timestamp(match.get(f)) for f in BREVO_DATES}
        ex.require(match.columns["send_date"], when["send_date"])
        names = ex.text(match.columns["campaign"], required=True)
        ids = ex.text(match.get("campaign_id"))
        clicks = ex.integer(match.get("clicked_links"), nonnegative=True)
        opens = ex.integer(match.get("total_opens"), nonnegative=True)
        if problems:
            return Converted({})
        has = {f: f in match for f in BREVO_DATES}

        def flag(field: str, i: int) -> int | None:
            return None if not has[field] else int(when[field][i] is not None)

        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in range(len(table.rows)):
            name = names[i]
            assert name is not None  # required: checked above
            groups[(ids[i] or name, name)].append(i)
        rows: list[dict[str, Any]] = []
        for (_, name), members in groups.items():
            sent = [when["send_date"][i] for i in members]
            if has["open_date"]:
                opened = total([flag("open_date", i) for i in members])
            elif "total_opens" in match:
                opened = total([_positive(opens[i]) for i in members])
            else:
                opened = None
            rows.append(
                {
                    "sent_at": min(s for s in sent if s is not None),
                    "campaign": name,
                    "recipients": len(members),
                    "delivered": total([flag("delivered_date", i) for i in members]),
                    "unique_opens": opened,
                    "unique_clicks": (
                        total([_positive(clicks[i] or 0) for i in members])
                        if "clicked_links" in match
                        else None
                    ),
                    "unsubscribes": total([flag("unsubscribe_date", i) for i in members]),
                    "bounces": (
                        sum(
                            1
                            for i in members
                            if when["hard_bounce_date"][i] or when["soft_bounce_date"][i]
                        )
                        if has["hard_bounce_date"] and has["soft_bounce_date"]
                        else None
                    ),
                }
            )
        rows.sort(key=lambda r: (r["sent_at"], r["campaign"]))
        columns = {f: [r[f] for r in rows] for f in ("sent_at", "campaign", *COUNTS)}
        details: dict[str, Any] = {"date_order": f"{order} ({why})", "recipients": len(table.rows)}
        if not (has["hard_bounce_date"] and has["soft_bounce_date"]):
            details["bounces"] = "not stored: needs both Hard and Soft Bounce Date columns"
        return Converted({"email_campaigns": email_table(columns)}, details=details)


# ---------------------------------------------------------------- Brevo, campaign list

BREVO_CAMPAIGNS_ALIASES = Aliases(
    {
        "campaign": ("Campaign name", "Campaign", "Nom de la campagne", "Campagne"),
        "sent_at": ("Sent date", "Send date", "Sending date", "Date d'envoi", "Date"),
        "recipients": ("Sent", "Envoyés", "Recipients", "Destinataires"),
        "delivered": ("Delivered", "Délivrés"),
        "unique_opens": ("Opened", "Unique opens", "Ouverts", "Ouvertures uniques"),
        "unique_clicks": ("Clicked", "Unique clicks", "Cliqués", "Clics uniques"),
        "unsubscribes": ("Unsubscribed", "Unsubscriptions", "Désinscrits", "Désabonnés"),
        "hard_bounces": ("Hard bounces", "Hard bounce"),
        "soft_bounces": ("Soft bounces", "Soft bounce"),
        "complaints": ("Complaints", "Plaintes"),
    }
)


@register
class BrevoCampaignsImporter(Importer):
    name = "brevo_campaigns"
    label = "Brevo campaign statistics (one row per campaign)"
    tables = ("email_campaigns",)
    aliases = BREVO_CAMPAIGNS_ALIASES
    signature = ("campaign", "recipients", "delivered", "unique_opens")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, "campaign", "sent_at"):
            return Converted({})
        header = match.columns["sent_at"]
        order, why = date_order_or(table, [header], "dmy", "Brevo's DD-MM-YYYY", context, problems)
        ex = Extract(table, problems, timezone=context.timezone, date_order=order)
        columns: dict[str, list[Any]] = {
            "sent_at": ex.timestamp(header, required=True),
            "campaign": ex.text(match.columns["campaign"], required=True),
        }
        for field in ("recipients", "delivered", "unique_opens", "unique_clicks", "unsubscribes"):
            columns[field] = ex.integer(match.get(field), nonnegative=True)
        soft = ex.integer(match.get("soft_bounces"), nonnegative=True)
        hard = ex.integer(match.get("hard_bounces"), nonnegative=True)
        columns["bounces"] = (
            [_sum(s, h) for s, h in zip(soft, hard, strict=True)]
            if "soft_bounces" in match and "hard_bounces" in match
            else [None] * len(table.rows)
        )
        if problems:
            return Converted({})
        details = {"date_order": f"{order} ({why})"}
        return Converted({"email_campaigns": email_table(columns)}, details=details)
