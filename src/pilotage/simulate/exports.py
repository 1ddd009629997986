"""The demo company's data as the files its marketing team would download from its tools.

``write_exports`` writes each canonical table in the shape of the tool it would come from, so
that a demo is loaded through the importers exactly like real data (and exercises them):

==========================  ==================================================================
spend, Paid search          Google Ads campaign report, "Excel .csv" (UTF-16LE, tab, title and
                            date-range lines, en-US numbers, ``--``, ``Total: …`` rows)
spend, Paid social          Meta Ads Manager export by day (UTF-8 with BOM, summary row)
spend, LinkedIn ads         LinkedIn Campaign Manager campaign performance report (preamble)
spend, other channels       Pilotage's canonical ``spend.csv``: trade shows, print, webinars,
                            partners, content, email, affiliates are paid by invoice
leads, deals (B2B)          HubSpot contacts and deals exports (every value quoted)
web_traffic                 one GA4 report CSV per month (Date × Session source / medium)
email_campaigns             Mailchimp multi-campaign export
survey_responses            Typeform responses export
orders, touchpoints         Pilotage's canonical CSV, one file per year when large
==========================  ==================================================================

HubSpot knows only its own "Original Traffic Source" labels, so the demo channels are written
the way a portal records them (``CRM_SOURCES``): trade-show badge scans are imported contacts
(Offline Sources, IMPORT, the import's name), webinars, print catalogue QR codes and
distributors' co-marketing links are UTM-tagged visits (Other Campaigns, utm_campaign in
drill-down 1), LinkedIn ads are Paid Social (drill-down 1 LinkedIn, drill-down 2 the campaign).
``DEMO_RULES`` holds, per company, the channel rules that map all these back to the demo's
channel names on import (HubSpot labels and drill-downs, GA4 source / medium, ad platforms).

What the vendor formats cannot carry, so what a round trip loses:

- HubSpot times have minutes and Typeform times seconds (the canonical ones microseconds);
  HubSpot dates are written in UTC (the portal's time zone is UTC).
- HubSpot gives no campaign for Organic Search and Offline Sources: the campaigns of
  SEO/content and trade-show leads are lost (the show is only in the import's name).
- GA4's ``(not set)`` campaign reads as no campaign; Meta leaves Results and conversion value
  empty for zero; zero platform conversions come back empty (None).
- Record IDs are the simulator's ids (``L000001``, ``D000001``), not HubSpot's numbers, and the
  Typeform ``#`` column holds the respondent's customer id, so that the files join with each
  other and with the ground truth. Names, e-mails and owners are made up from the ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import io
import os
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pilotage.simulate.companies import COMPANIES
from pilotage.simulate.config import ChannelConfig, CompanyConfig
from pilotage.simulate.market import Market

LANGUAGES = ("en",)
SPLIT_ROWS = 50_000  # a canonical file with more rows is written one file per year
LINEAGE = ("source", "import_id")
METRICS = ("cost", "impressions", "clicks", "platform_conversions", "platform_conversion_value")

# channel → the ad platform whose export carries its spend (the importer's name)
AD_PLATFORMS = {
    "Paid search": "google_ads",
    "Paid social": "meta_ads",
    "LinkedIn ads": "linkedin_ads",
}

# channel → HubSpot (Original Traffic Source, drill-down 1, drill-down 2); {c} is the campaign
CRM_SOURCES: dict[str, tuple[str, str, str]] = {
    "Paid search": ("Paid Search", "{c}", ""),
    "Paid social": ("Paid Social", "Facebook", "{c}"),
    "LinkedIn ads": ("Paid Social", "LinkedIn", "{c}"),
    "SEO/content": ("Organic Search", "Unknown keywords (SSL)", "google.com"),
    "Organic": ("Organic Search", "Unknown keywords (SSL)", "google.com"),
    "Email nurturing": ("Email Marketing", "{c}", "{c}"),
    "Email": ("Email Marketing", "{c}", "{c}"),
    "Webinars": ("Other Campaigns", "{c}", "webinar"),
    "Print catalogue": ("Other Campaigns", "{c}", "catalogue"),
    "Distributors/partners": ("Other Campaigns", "{c}", "distributeur"),
    "Affiliates": ("Other Campaigns", "{c}", "affiliate"),
    "Trade shows": ("Offline Sources", "IMPORT", "Scans badges {c}"),
    "Direct": ("Direct Traffic", "", ""),
}
OTHER = ("Other Campaigns", "{c}", "")
# labels whose drill-down carries the utm_campaign (as the HubSpot importer reads them)
CAMPAIGN_LABELS = {"Paid Search", "Paid Social", "Email Marketing", "Other Campaigns"}

# the columns of each export, as the tools label them (English UI)
GOOGLE_ADS_HEADER = ("Day", "Campaign", "Currency code", "Cost", "Impr.", "Clicks", "Conversions",
                     "Conv. value")  # fmt: skip
META_HEADER = ("Reporting starts", "Reporting ends", "Campaign name", "Campaign delivery",
               "Attribution setting", "Results", "Result indicator", "Impressions",
               "Cost per results", "Amount spent ({cur})", "Link clicks",
               "CPC (cost per link click) ({cur})", "CPM (cost per 1,000 impressions) ({cur})",
               "Purchases conversion value")  # fmt: skip
LINKEDIN_HEADER = ("Start Date (in UTC)", "Account Name", "Campaign Group Name", "Campaign Name",
                   "Campaign ID", "Campaign Type", "Campaign Objective", "Campaign Status",
                   "Currency", "Total Spent", "Impressions", "Clicks", "Click Through Rate",
                   "Average CPM", "Average CPC", "Conversions",
                   "Total Conversion Value")  # fmt: skip
SOURCE_COLUMNS = ("Original Traffic Source", "Original Traffic Source Drill-Down 1",
                  "Original Traffic Source Drill-Down 2")  # fmt: skip
CONTACT_HEADER = ("Record ID", "First Name", "Last Name", "Email", "Job Title", "Company Name",
                  "Contact owner", "Lifecycle Stage", "Lead Status", "Create Date",
                  *SOURCE_COLUMNS, "Industry", "Number of Employees", "State/Region",
                  "Country/Region")  # fmt: skip
DEAL_HEADER = ("Record ID", "Deal Name", "Pipeline", "Deal Stage", "Amount", "Currency",
               "Close Date", "Create Date", "Deal owner", "Deal Type",
               *SOURCE_COLUMNS)  # fmt: skip
MAILCHIMP_HEADER = ("Title", "Subject", "List", "Send Date", "Send Weekday", "Total Recipients",
                    "Successful Deliveries", "Soft Bounces", "Hard Bounces", "Total Bounces",
                    "Times Forwarded", "Forwarded Opens", "Unique Opens", "Open Rate",
                    "Total Opens", "Unique Clicks", "Click Rate", "Total Clicks", "Unsubscribes",
                    "Abuse Complaints", "Times Liked on Facebook", "Folder Id",
                    "Unique Id")  # fmt: skip
TYPEFORM_META = ("Response Type", "Start Date (UTC)", "Stage Date (UTC)", "Submit Date (UTC)",
                 "Network ID", "Tags")  # fmt: skip


def crm_source(channel: str | None, campaign: str | None) -> tuple[str, str, str]:
    """HubSpot's (Original Traffic Source, drill-down 1, drill-down 2) of a demo channel."""
    label, one, two = CRM_SOURCES.get(channel or "Direct", OTHER)
    c = campaign or ""
    return label, one.format(c=c), two.format(c=c)


def _campaign_patterns(channel: ChannelConfig) -> list[str]:
    """Patterns matching every campaign of a channel (``Webinar *``), from its config."""
    events = bool(channel.events)
    names = sorted({e.name for e in channel.events} if events else set(channel.campaigns))
    prefix = os.path.commonprefix(names) if len(names) > 1 else ""
    if len(prefix) >= 4:
        return [glob.escape(prefix) + "*"]
    return [glob.escape(n) + (" *" if events else "") for n in names]


def _rule(channel: str, **match: str) -> dict[str, str]:
    return {"channel": channel} | {
        k: match.get(k, "*") for k in ("platform", "source", "medium", "campaign")
    }


def demo_rules(config: CompanyConfig) -> list[dict[str, str]]:
    """The channel rules that map a company's exported files back to its channels."""
    rules = [
        _rule(ch.name, platform=AD_PLATFORMS[ch.name])
        for ch in config.channels
        if ch.name in AD_PLATFORMS
    ]
    if config.kind == "b2b":
        labels = Counter(crm_source(ch.name, None)[0] for ch in config.channels)
        for ch in config.channels:
            label = crm_source(ch.name, None)[0]
            if label == "Other Campaigns" or (labels[label] > 1 and label in CAMPAIGN_LABELS):
                rules += [
                    _rule(ch.name, platform="hubspot", source=label.lower(), campaign=p)
                    for p in _campaign_patterns(ch)
                ]
            else:
                rules.append(_rule(ch.name, platform="hubspot", source=label.lower()))
        base = crm_source(config.baseline_channel, None)[0]
        rules.append(_rule(config.baseline_channel, platform="hubspot", source=base.lower()))
    rules += [
        _rule(ch.name, source=ch.source, medium=ch.medium)
        for ch in config.channels
        if ch.source and ch.medium
    ]
    source, medium = config.baseline_source
    rules.append(_rule(config.baseline_channel, source=source, medium=medium))
    return rules


DEMO_RULES: dict[str, list[dict[str, str]]] = {
    slug: demo_rules(config) for slug, config in COMPANIES.items()
}


# ---------------------------------------------------------------- entry point


def write_exports(
    market_or_tables: Market | Mapping[str, pa.Table], folder: Path, *, language: str = "en"
) -> list[Path]:
    """Write the data as vendor exports into ``folder``; the paths written, in order.

    The same market gives the same bytes. ``language`` is the tools' UI language (``en``).

    >>> from pilotage.simulate import BOUTIQUE, simulate
    >>> paths = write_exports(simulate(BOUTIQUE), Path("demo-files"))  # doctest: +SKIP
    """
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: expected one of {', '.join(LANGUAGES)}")
    config: CompanyConfig | None
    if isinstance(market_or_tables, Market):
        tables, config = market_or_tables.tables, market_or_tables.config
    else:
        tables, config = dict(market_or_tables), _demo_config(market_or_tables)
    company = _Company.of(config, tables)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[tuple[str, bytes]] = []
    spend = tables.get("spend")
    if spend is not None and spend.num_rows:
        files += _spend_files(spend, company)
    if "leads" in tables and tables["leads"].num_rows:
        files.append(_hubspot_contacts(tables["leads"], company))
        if "deals" in tables and tables["deals"].num_rows:
            files.append(_hubspot_deals(tables["deals"], tables["leads"], company))
    if "web_traffic" in tables and tables["web_traffic"].num_rows:
        files += _ga4_reports(tables["web_traffic"], company)
    if "email_campaigns" in tables and tables["email_campaigns"].num_rows:
        files.append(_mailchimp(tables["email_campaigns"], company))
    if "survey_responses" in tables and tables["survey_responses"].num_rows:
        files.append(_typeform(tables["survey_responses"], company))
    for name, when in (("orders", "ordered_at"), ("touchpoints", "occurred_at")):
        if name in tables and tables[name].num_rows:
            files += _canonical(name, tables[name], when)
    paths = []
    for name, data in files:
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


class _Company:
    """What the files say about the company: its name, period and language."""

    def __init__(self, name: str, start: dt.date, end: dt.date, locale: str) -> None:
        self.name, self.start, self.end, self.locale = name, start, end, locale
        self.exported = end + dt.timedelta(days=1)

    @classmethod
    def of(cls, config: CompanyConfig | None, tables: Mapping[str, pa.Table]) -> _Company:
        if config is not None:
            return cls(config.name, config.start, config.end, config.locale)
        dated = [t for name, t in tables.items() if name in ("spend", "web_traffic") and len(t)]
        if not dated:
            raise ValueError("tables of an unknown company need spend or web_traffic rows")
        days = pa.chunked_array([d for t in dated for d in t.column("date").chunks])
        low, high = pc.min_max(days).values()
        return cls("Pilotage Demo", low.as_py(), high.as_py(), "en")


def _demo_config(tables: Mapping[str, pa.Table]) -> CompanyConfig | None:
    """The demo company whose batch id the tables carry (``demo-<slug>-seed42-v3``)."""
    for table in tables.values():
        if table.num_rows and "import_id" in table.column_names:
            batch = str(table.column("import_id")[0].as_py())
            return next((c for s, c in COMPANIES.items() if batch.startswith(f"demo-{s}-")), None)
    return None


# ---------------------------------------------------------------- formatting helpers


def _csv(rows: Iterable[Sequence[object]], *, quote_all: bool = False) -> str:
    out = io.StringIO()
    if quote_all:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    else:
        writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


def _plain(value: float | None, decimals: int = 2) -> str:
    """``1250.5``, ``15000``: a raw number as CRMs and ad platforms write it; "" when None."""
    if value is None:
        return ""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# English names, whatever the process's locale (strftime's %B and %A follow it)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _us_day(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _am_pm(when: dt.datetime) -> str:
    return "am" if when.hour < 12 else "pm"


def _mdy(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def _minutes(value: dt.datetime | None) -> str:
    return "" if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def _seconds(value: dt.datetime | None) -> str:
    return "" if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _rows_with_minutes(table: pa.Table) -> list[dict[str, Any]]:
    """Rows with every timestamp as HubSpot writes it (``YYYY-MM-DD HH:MM``, UTC; "" if none).

    Formatting the columns in Arrow spares building a Python datetime per cell."""
    columns: dict[str, Any] = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_timestamp(column.type):
            text = pc.strftime(column, format="%Y-%m-%d %H:%M")
            columns[name] = pc.fill_null(text, pa.scalar(""))
        else:
            columns[name] = column
    return pa.table(columns).to_pylist()


def _pick(key: str, options: Sequence[str], salt: str = "") -> str:
    """A made-up value chosen from ``options`` by a hash of ``key`` (the same every time)."""
    return options[zlib.crc32(f"{salt}{key}".encode()) % len(options)]


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


# ---------------------------------------------------------------- spend


def _spend_files(spend: pa.Table, company: _Company) -> list[tuple[str, bytes]]:
    rows = spend.to_pylist()
    by_platform: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_platform[AD_PLATFORMS.get(row["channel"], "invoices")].append(row)
    files = []
    if by_platform["google_ads"]:
        files.append(("Campaign report.csv", _google_ads(by_platform["google_ads"], company)))
    if by_platform["meta_ads"]:
        start, end = (
            f"{MONTHS[d.month - 1][:3]}-{d.day}-{d.year}" for d in (company.start, company.end)
        )
        name = f"{_slug(company.name).title()}-Campaigns-{start}-{end}.csv"
        files.append((name, _meta_ads(by_platform["meta_ads"], company)))
    if by_platform["linkedin_ads"]:
        data = _linkedin_ads(by_platform["linkedin_ads"], company)
        files.append(("campaign_performance_report.csv", data))
    if by_platform["invoices"]:
        table = pa.Table.from_pylist(by_platform["invoices"], schema=spend.schema)
        files += _canonical("spend", table, "date")
    return files


def _google_ads(rows: list[dict[str, Any]], company: _Company) -> bytes:
    """Google Ads "Excel .csv": UTF-16LE with BOM, tab-separated, en-US numbers."""

    def number(value: float | None, decimals: int = 0) -> str:
        return "--" if value is None else f"{value:,.{decimals}f}"

    lines = [["Campaign report"], [f"{_us_day(company.start)} - {_us_day(company.end)}"]]
    lines.append(list(GOOGLE_ADS_HEADER))
    totals = [0.0, 0, 0, 0.0, 0.0]
    for r in sorted(rows, key=lambda r: (r["date"], r["campaign"])):
        metrics = [r[f] for f in METRICS]
        for i, v in enumerate(metrics):
            totals[i] += v or 0
        lines.append(
            [
                r["date"].isoformat(),
                r["campaign"],
                r["currency"],
                number(r["cost"], 2),
                number(r["impressions"]),
                number(r["clicks"]),
                number(r["platform_conversions"], 2),
                number(r["platform_conversion_value"], 2),
            ]
        )
    currency = rows[0]["currency"]
    for label in ("Total: Account", "Total: Campaigns"):
        cost, impressions, clicks, conversions, value = totals
        lines.append(
            [
                label,
                " --",
                currency,
                number(round(cost, 2), 2),
                number(impressions),
                number(clicks),
                number(round(conversions, 2), 2),
                number(round(value, 2), 2),
            ]
        )
    text = "".join("\t".join(_tsv_cell(c) for c in line) + "\r\n" for line in lines)
    return ("\ufeff" + text).encode("utf-16-le")


def _tsv_cell(cell: str) -> str:
    if any(c in cell for c in ',"\t\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _meta_ads(rows: list[dict[str, Any]], company: _Company) -> bytes:
    """Meta Ads Manager "Export table data", campaign level, Breakdown → By time → Day."""
    currency = rows[0]["currency"]
    indicator = "actions:offsite_conversion.fb_pixel_purchase"
    header = [h.format(cur=currency) for h in META_HEADER]
    last_day = {r["campaign"]: r["date"] for r in sorted(rows, key=lambda r: r["date"])}
    lines: list[list[str]] = [header]
    for r in sorted(rows, key=lambda r: (r["date"], r["campaign"])):
        results = r["platform_conversions"] or None  # Meta leaves zero results empty
        cost, impressions, clicks = r["cost"], r["impressions"] or 0, r["clicks"] or 0
        active = last_day[r["campaign"]] >= company.end - dt.timedelta(days=7)
        lines.append(
            [
                r["date"].isoformat(),
                r["date"].isoformat(),
                r["campaign"],
                "active" if active else "inactive",
                "7-day click or 1-day view",
                _plain(results, 1),
                indicator if results else "",
                str(impressions),
                _plain(cost / results if results else None, 6),
                _plain(cost),
                str(clicks),
                _plain(cost / clicks if clicks else None, 6),
                _plain(cost / impressions * 1000 if impressions else None, 6),
                _plain(r["platform_conversion_value"] or None),
            ]
        )
    # the summary row: no names, the whole range, the totals
    total = {f: sum(r[f] or 0 for r in rows) for f in METRICS}
    summary = dict.fromkeys(header, "") | {
        header[0]: min(r["date"] for r in rows).isoformat(),
        header[1]: max(r["date"] for r in rows).isoformat(),
        "Impressions": str(total["impressions"]),
        header[9]: _plain(round(total["cost"], 2)),
        "Link clicks": str(total["clicks"]),
        "Purchases conversion value": _plain(round(total["platform_conversion_value"], 2)),
    }
    lines.append(list(summary.values()))
    return ("\ufeff" + _csv(lines)).encode("utf-8")


def _linkedin_ads(rows: list[dict[str, Any]], company: _Company) -> bytes:
    """LinkedIn Campaign Manager campaign performance report, daily, UTF-8 comma."""
    campaigns = sorted({r["campaign"] for r in rows})
    ids = {c: str(612_000_000 + zlib.crc32(c.encode()) % 1_000_000) for c in campaigns}
    lines: list[list[str]] = [
        ["Campaign Performance Report (in UTC)"],
        [f"Report Start: {_mdy(company.start)}, Report End: {_mdy(company.end)}"],
        [f"Date Generated: {_mdy(company.exported)}, 8:00 AM"],
        [f"Account: {company.name}"],
        [],
        list(LINKEDIN_HEADER),
    ]
    for r in sorted(rows, key=lambda r: (r["date"], r["campaign"])):
        cost, impressions, clicks = r["cost"], r["impressions"] or 0, r["clicks"] or 0
        lines.append(
            [
                _mdy(r["date"]),
                company.name,
                "Default Campaign Group",
                r["campaign"],
                ids[r["campaign"]],
                "Sponsored Content",
                "Lead Generation",
                "ACTIVE",
                r["currency"],
                _plain(cost),
                str(impressions),
                str(clicks),
                _plain(clicks / impressions if impressions else 0.0, 6),
                _plain(cost / impressions * 1000 if impressions else 0.0),
                _plain(cost / clicks if clicks else 0.0),
                _plain(r["platform_conversions"], 1),
                _plain(r["platform_conversion_value"]),
            ]
        )
    return _csv(lines).encode("utf-8")


# ---------------------------------------------------------------- canonical files


def _canonical(name: str, table: pa.Table, when: str) -> list[tuple[str, bytes]]:
    """Pilotage's canonical CSV (one file per year above ``SPLIT_ROWS`` rows)."""
    table = table.drop_columns([c for c in LINEAGE if c in table.column_names])
    required = {f.name for f in table.schema if not f.nullable}
    empty = [
        c for c in table.column_names if c not in required and table[c].null_count == len(table)
    ]
    table = table.drop_columns(empty)
    if table.num_rows <= SPLIT_ROWS:
        return [(f"{name}.csv", _arrow_csv(table))]
    years = pc.year(table.column(when))
    return [
        (f"{name}-{year}.csv", _arrow_csv(table.filter(pc.equal(years, pa.scalar(year)))))
        for year in sorted({y for y in years.to_pylist() if y is not None})
    ]


def _arrow_csv(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pacsv.write_csv(table, out)
    return out.getvalue()


# ---------------------------------------------------------------- HubSpot

FIRST = ("Camille", "Julien", "Sophie", "Thomas", "Claire", "Nicolas", "Laura", "Pierre", "Anne",
         "Marc", "Émilie", "Lukas", "Hanna", "Pieter", "Inès", "Hugo")  # fmt: skip
LAST = ("Martin", "Bernard", "Dubois", "Leroy", "Moreau", "Girard", "Fontaine", "Roux", "Lefèvre",
        "Müller", "Schmidt", "Janssens", "Peeters", "Garnier", "Chevalier", "Perrin")  # fmt: skip
JOBS = ("Responsable achats", "Directeur technique", "Ingénieur maintenance", "Acheteur",
        "Directeur d'usine", "Responsable production", "Chef de projet")  # fmt: skip
OWNERS = ("Isabelle Renaud", "Olivier Marchand", "Stefan Weber", "Nathalie Colin")
COMPANY_WORDS = ("Industries", "Process", "Technologies", "Systèmes", "Group", "Solutions")
STAGE_COLUMNS = (  # leads column → HubSpot lifecycle stage label
    ("mql_at", "Marketing Qualified Lead"),
    ("sql_at", "Sales Qualified Lead"),
    ("opportunity_at", "Opportunity"),
    ("customer_at", "Customer"),
    ("disqualified_at", "Disqualified"),  # a custom lifecycle stage of the portal
)


def _entered(stage: str, pipeline: str = "Lifecycle Stage Pipeline") -> str:
    return f'Date entered "{stage} ({pipeline})"'


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _person(key: str) -> tuple[str, str, str]:
    first, last = _pick(key, FIRST, "first"), _pick(key, LAST, "last")
    return first, last, f"{last} {_pick(key, COMPANY_WORDS, 'co')}"


def _hubspot_contacts(leads: pa.Table, company: _Company) -> tuple[str, bytes]:
    """HubSpot contacts export ("properties in view"), every value quoted."""
    header = [*CONTACT_HEADER, _entered("Lead"), *(_entered(s) for _, s in STAGE_COLUMNS)]
    lines: list[list[str]] = [header]
    for r in _rows_with_minutes(leads):
        first, last, employer = _person(r["lead_id"])
        reached = [(r[f], label) for f, label in STAGE_COLUMNS if r[f]]
        stage = max(reached, key=lambda t: t[0])[1] if reached else "Lead"
        status = (
            "Unqualified"
            if r["disqualified_at"]
            else "Connected"
            if r["sql_at"]
            else "Open"
            if r["mql_at"]
            else "New"
        )
        domain = _ascii(employer.split()[0])
        lines.append(
            [
                r["lead_id"],
                first,
                last,
                f"{_ascii(first)}.{_ascii(last)}@{domain}.example",
                _pick(r["lead_id"], JOBS, "job"),
                employer,
                _pick(r["lead_id"], OWNERS, "owner"),
                stage,
                status,
                r["created_at"],
                *crm_source(r["channel"], r["campaign"]),
                r["industry"] or "",
                r["company_size"] or "",
                r["region"] or "",
                r["country"] or "",
                r["created_at"],
                *(r[f] for f, _ in STAGE_COLUMNS),
            ]
        )
    name = f"hubspot-crm-exports-all-contacts-{company.exported:%Y-%m-%d}.csv"
    return name, _csv(lines, quote_all=True).encode("utf-8")


def _hubspot_deals(deals: pa.Table, leads: pa.Table, company: _Company) -> tuple[str, bytes]:
    """HubSpot deals export; the deal's source is its contact's."""
    campaign_of = dict(
        zip(leads["lead_id"].to_pylist(), leads["campaign"].to_pylist(), strict=True)
    )
    rows = deals.to_pylist()
    pipelines = sorted({r["pipeline"] or "Sales Pipeline" for r in rows})
    closing = [_entered(s, p) for p in pipelines for s in ("Closed Won", "Closed Lost")]
    header = [*DEAL_HEADER, *closing, "Associated Contact IDs", "Associated Company IDs"]
    lines: list[list[str]] = [header]
    for r in rows:
        pipeline = r["pipeline"] or "Sales Pipeline"
        _, _, employer = _person(r["lead_id"] or r["deal_id"])
        # an open deal has an expected close date, which is not a closing
        close = r["closed_at"] or r["created_at"] + dt.timedelta(days=90)
        entered = {
            (s, p): _minutes(r["closed_at"]) if p == pipeline and r["stage"] == s else ""
            for p in pipelines
            for s in ("Closed Won", "Closed Lost")
        }
        lines.append(
            [
                r["deal_id"],
                f"{employer} - {r['deal_id']}",
                pipeline,
                r["stage"],
                _plain(r["amount"]),
                r["currency"],
                _minutes(close),
                _minutes(r["created_at"]),
                _pick(r["lead_id"] or r["deal_id"], OWNERS, "owner"),
                "New Business",
                *crm_source(r["channel"], campaign_of.get(r["lead_id"])),
                *entered.values(),
                r["lead_id"] or "",
                r["account_id"] or "",
            ]
        )
    name = f"hubspot-crm-exports-all-deals-{company.exported:%Y-%m-%d}.csv"
    return name, _csv(lines, quote_all=True).encode("utf-8")


# ---------------------------------------------------------------- GA4, Mailchimp, Typeform


def _ga4_reports(web: pa.Table, company: _Company) -> list[tuple[str, bytes]]:
    """GA4 Traffic acquisition by Session source / medium and Date, one CSV per month."""
    rows = web.to_pylist()
    revenue = web["revenue"].null_count < len(web)
    months: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        months[(r["date"].year, r["date"].month)].append(r)
    header = ["Session source / medium", "Date", "Users", "Sessions", "Engaged sessions"]
    header += ["Engagement rate", "Key events"] + (["Total revenue"] if revenue else [])
    files = []
    for (year, month), part in sorted(months.items()):
        start = dt.date(year, month, 1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        comments = [
            "# ----------------------------------------",
            "# Traffic acquisition: Session source / medium",
            f"# Account: {company.name}",
            f"# Property: {company.name} – GA4",
            "# ----------------------------------------",
            "#",
            "# All Users",
            f"# Start date: {start:%Y%m%d}",
            f"# End date: {end:%Y%m%d}",
        ]
        lines: list[list[str]] = [header]
        for r in sorted(part, key=lambda r: (-r["sessions"], r["date"], r["traffic_source"])):
            sessions = r["sessions"] or 0
            line = [
                f"{r['traffic_source']} / {r['medium']}",
                f"{r['date']:%Y%m%d}",
                str(r["users"]),
                str(sessions),
                str(r["engaged_sessions"]),
                _plain(r["engaged_sessions"] / sessions if sessions else 0.0, 7),
                _plain(r["key_events"], 2),
            ]
            lines.append(line + ([_plain(r["revenue"])] if revenue else []))
        text = "\n".join(comments) + "\n" + _csv(lines).replace("\r\n", "\n")
        name = f"Traffic_acquisition_Session_source_medium_{year}-{month:02d}.csv"
        files.append((name, text.encode("utf-8")))
    return files


def _mailchimp(emails: pa.Table, company: _Company) -> tuple[str, bytes]:
    """Mailchimp "export all reports": one row per campaign, rates with %."""
    lines: list[list[object]] = [list(MAILCHIMP_HEADER)]
    for r in emails.to_pylist():
        sent = r["sent_at"].astimezone(dt.UTC)
        delivered, opens, clicks = r["delivered"] or 0, r["unique_opens"], r["unique_clicks"]
        bounces = r["bounces"] or 0
        lines.append(
            [
                r["campaign"],
                r["campaign"],
                f"{company.name} – clients et prospects",
                f"{MONTHS[sent.month - 1][:3]} {sent:%d, %Y %I:%M} {_am_pm(sent)}",
                WEEKDAYS[sent.weekday()],
                r["recipients"],
                r["delivered"],
                bounces - bounces // 3,
                bounces // 3,
                bounces,
                0,
                0,
                opens,
                f"{(opens or 0) / delivered:.2%}" if delivered else "0.00%",
                (opens or 0) + (opens or 0) // 2,
                clicks,
                f"{(clicks or 0) / delivered:.2%}" if delivered else "0.00%",
                (clicks or 0) + (clicks or 0) // 3,
                r["unsubscribes"],
                0,
                0,
                "",
                f"{zlib.crc32(r['campaign'].encode()):010x}",
            ]
        )
    return "mailchimp_campaigns.csv", _csv(lines).encode("utf-8")


QUESTIONS = {
    "en": (
        "How likely are you to recommend {name} to a friend or colleague?",
        "What is the main reason for your score?",
    ),
    "fr": (
        "Quelle est la probabilité que vous recommandiez {name} à un ami ou un collègue ?",
        "Quelle est la principale raison de votre note ?",
    ),
}


def _typeform(responses: pa.Table, company: _Company) -> tuple[str, bytes]:
    """Typeform responses download: ``#``, the questions, the hidden field, the metadata."""
    score_q, comment_q = QUESTIONS.get(company.locale, QUESTIONS["en"])
    questions = [score_q.format(name=company.name), comment_q]
    lines: list[list[object]] = [["#", *questions, "segment", *TYPEFORM_META]]
    rows = responses.to_pylist()
    for r in sorted(rows, key=lambda r: (r["responded_at"], r["respondent_id"])):
        key = f"{r['respondent_id']}{r['responded_at']:%Y%m%d}"
        started = r["responded_at"] - dt.timedelta(seconds=40 + zlib.crc32(key.encode()) % 140)
        lines.append(
            [
                r["respondent_id"],
                r["score"],
                r["comment"] or "",
                r["segment"] or "",
                "completed",
                _seconds(started),
                _seconds(r["responded_at"]),
                _seconds(r["responded_at"]),
                f"{zlib.crc32(key.encode(), 7):08x}",
                "",
            ]
        )
    return "typeform_nps_responses.csv", _csv(lines).encode("utf-8")


__all__ = [
    "AD_PLATFORMS",
    "CRM_SOURCES",
    "DEMO_RULES",
    "crm_source",
    "demo_rules",
    "write_exports",
]
