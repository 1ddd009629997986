"""Dynamics 365 Sales: "Export to Excel" of a leads view (→ ``leads``) or an opportunities
view (→ ``deals``).

An .xlsx whose first columns are hidden: ``(Do Not Modify) Lead`` / ``(Do Not Modify)
Opportunity`` (the record's GUID, our key), ``(Do Not Modify) Row Checksum`` and
``(Do Not Modify) Modified On``; then the view's columns under their display labels in the
user's language. Dates arrive as Excel dates, in the user's time zone; the currency is a
lookup shown by name ("Euro", "US Dollar").
"""

from __future__ import annotations

import re
from typing import Any

from pilotage.importers.aliases import Aliases, Match, normalize
from pilotage.importers.base import Context, Converted, register
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems
from pilotage.importers.reader import Table
from pilotage.importers.sources.common import canonical_table, decide_currency
from pilotage.importers.sources.crm import CrmImporter, check_unique, vocabulary

# French labels follow Dynamics 365's French UI ("Prospect", "Opportunité"); the hidden
# "(Ne pas modifier) …" names are the usual translation, not checked against a real file.
_HIDDEN = {
    "checksum": ("(Do Not Modify) Row Checksum", "(Ne pas modifier) Somme de contrôle de ligne"),
    "modified_on": ("(Do Not Modify) Modified On", "(Ne pas modifier) Modifié le"),
}
_COMMON = {
    "created_at": ("Created On", "Créé le", "Erstellt am", "Fecha de creación"),
    "topic": ("Topic", "Sujet", "Thema", "Tema"),
    "status": ("Status", "Statut", "Estado"),
    "status_reason": ("Status Reason", "Raison du statut", "Statusgrund", "Razón para el estado"),
}

LEAD_ALIASES = Aliases(
    {
        "lead_guid": ("(Do Not Modify) Lead", "(Ne pas modifier) Prospect"),
        **_HIDDEN,
        **_COMMON,
        "name": ("Name", "Nom", "Nom complet", "Full Name"),
        "lead_source": (
            "Lead Source",
            "Origine du prospect",
            "Leadquelle",
            "Origen del cliente potencial",
        ),
        "company": ("Company Name", "Nom de la société", "Firmenname", "Nombre de la compañía"),
        "industry": ("Industry", "Secteur d'activité", "Branche", "Sector"),
        "country": ("Country/Region", "Pays/région", "Land/Region", "País o región"),
        "region": ("State/Province", "État/Province", "Bundesland/Kanton", "Estado o provincia"),
        "company_size": ("No. of Employees", "Nombre d'employés", "Anzahl Mitarbeiter"),
    }
)

OPPORTUNITY_ALIASES = Aliases(
    {
        "opportunity_guid": ("(Do Not Modify) Opportunity", "(Ne pas modifier) Opportunité"),
        **_HIDDEN,
        **_COMMON,
        "potential_customer": ("Potential Customer", "Client potentiel", "Potenzieller Kunde"),
        "account": ("Account", "Compte", "Firma"),
        "contact": ("Contact", "Kontakt"),
        "pipeline_phase": ("Pipeline Phase", "Phase du pipeline", "Pipelinephase"),
        "est_close": ("Est. Close Date", "Date de clôture estimée", "Voraussichtl. Abschlussdatum"),
        "est_revenue": (
            "Est. Revenue",
            "Chiffre d'affaires estimé",
            "Gesch. Umsatz",
            "Ingresos estimados",
        ),
        "actual_revenue": ("Actual Revenue", "Chiffre d'affaires réel", "Tatsächlicher Umsatz"),
        "actual_close": (
            "Actual Close Date",
            "Date de clôture réelle",
            "Tatsächliches Abschlussdatum",
        ),
        "currency": ("Currency", "Devise", "Währung", "Divisa"),
        "lead_source": ("Lead Source", "Origine du prospect", "Leadquelle"),
    }
)

# Opportunity "Status" (state) and "Status Reason" values → open/won/lost.
OPPORTUNITY_STATUS = vocabulary(
    {
        "open": (
            "Open",
            "Ouvert",
            "Ouverte",
            "Offen",
            "Abierta",
            "In Progress",
            "En cours",
            "On Hold",
            "En attente",
        ),
        "won": ("Won", "Gagné", "Gagnée", "Gewonnen", "Ganada"),
        "lost": (
            "Lost",
            "Perdu",
            "Perdue",
            "Verloren",
            "Perdida",
            "Canceled",
            "Cancelled",
            "Annulé",
            "Annulée",
            "Out-Sold",
            "Vendu par un concurrent",
        ),
    }
)

# The currency lookup shows the currency record's name; ISO codes are accepted as they are.
CURRENCY_NAMES = vocabulary(
    {
        "EUR": ("Euro", "Euros"),
        "USD": ("US Dollar", "Dollar US", "Dollar américain", "Dollar des États-Unis", "US-Dollar"),
        "GBP": ("Pound Sterling", "British Pound", "Livre sterling", "Britisches Pfund"),
        "CHF": ("Swiss Franc", "Franc suisse", "Schweizer Franken"),
        "CAD": ("Canadian Dollar", "Dollar canadien", "Kanadischer Dollar"),
        "AUD": ("Australian Dollar", "Dollar australien"),
        "JPY": ("Japanese Yen", "Yen", "Yen japonais"),
        "SEK": ("Swedish Krona", "Couronne suédoise"),
    }
)


class DynamicsImporter(CrmImporter):
    filename = re.compile(r"dynamics|crm", re.IGNORECASE)

    @staticmethod
    def source_channel(context: Context, source: str | None) -> str | None:
        if source is None:
            return None
        return context.taxonomy.classify(platform="dynamics", source=source)


# ---------------------------------------------------------------- leads


@register
class DynamicsLeadsImporter(DynamicsImporter):
    """Leads view. Dynamics keeps no qualification or disqualification date on a lead (only
    "Modified On", which later edits move), so the lifecycle dates stay empty."""

    name = "dynamics_leads"
    label = "Dynamics 365 leads (Export to Excel)"
    tables = ("leads",)
    aliases = LEAD_ALIASES
    signature = ("lead_guid",)

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, "lead_guid", "created_at"):
            return Converted({})
        ex = self.crm_extract(table, match, context, problems, dates=[match.get("created_at")])
        ids = ex.text(match.get("lead_guid"), required=True)
        check_unique(table, match.columns["lead_guid"], ids, problems)
        sources = ex.text(match.get("lead_source"))
        columns: dict[str, list[Any]] = {
            "lead_id": ids,
            "created_at": ex.timestamp(match.get("created_at"), required=True),
            "channel": [self.source_channel(context, s) for s in sources],
            "industry": ex.text(match.get("industry")),
            "company_size": ex.text(match.get("company_size")),
            "region": ex.text(match.get("region")),
            "country": ex.text(match.get("country")),
        }
        if problems:
            return Converted({})
        details = {"channel_from": match.get("lead_source"), "timezone": context.timezone}
        return Converted({"leads": canonical_table("leads", columns)}, details=details)


# ---------------------------------------------------------------- opportunities


@register
class DynamicsOpportunitiesImporter(DynamicsImporter):
    """Opportunities view. Status (Open/Won/Lost), else Status Reason, gives the status; the
    stage is the pipeline phase, else the status reason, else the status. A won deal's amount
    is its Actual Revenue when filled, else the Est. Revenue; closed deals are dated by the
    Actual Close Date."""

    name = "dynamics_opportunities"
    label = "Dynamics 365 opportunities (Export to Excel)"
    tables = ("deals",)
    aliases = OPPORTUNITY_ALIASES
    signature = ("opportunity_guid",)

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, "opportunity_guid", "created_at"):
            return Converted({})
        stage_field = next(
            (f for f in ("pipeline_phase", "status_reason", "status") if f in match), None
        )
        if stage_field is None:
            problems.add(Problem(table.name, "missing_column", expected="Status"))
            return Converted({})
        dates = [match.get(f) for f in ("created_at", "actual_close")]
        money = ["est_revenue", "actual_revenue"]
        ex = self.crm_extract(table, match, context, problems, numeric=money, dates=dates)
        ids = ex.text(match.get("opportunity_guid"), required=True)
        check_unique(table, match.columns["opportunity_guid"], ids, problems)
        status = self._status(table, match, ex.text(match.get("status")), problems)
        reasons = ex.text(match.get("status_reason"))
        status = [s or self._of(r) or "open" for s, r in zip(status, reasons, strict=True)]
        estimated = ex.number(match.get("est_revenue"))
        actual = ex.number(match.get("actual_revenue"))
        closed = ex.timestamp(match.get("actual_close"))
        sources = ex.text(match.get("lead_source"))
        columns: dict[str, list[Any]] = {
            "deal_id": ids,
            "account_id": ex.text(match.get("account") or match.get("potential_customer")),
            "created_at": ex.timestamp(match.get("created_at"), required=True),
            "closed_at": [c if s != "open" else None for c, s in zip(closed, status, strict=True)],
            "stage": ex.text(match.get(stage_field), required=True),
            "status": status,
            "amount": [
                a if s == "won" and a is not None else e
                for a, e, s in zip(actual, estimated, status, strict=True)
            ],
            "currency": self._currency(table, match, context, problems, ex),
            "channel": [self.source_channel(context, s) for s in sources],
        }
        if problems:
            return Converted({})
        details = {
            "currency": columns["currency"][0] if columns["currency"] else None,
            "stage_from": match.get(stage_field),
            "timezone": context.timezone,
        }
        return Converted({"deals": canonical_table("deals", columns)}, details=details)

    @classmethod
    def _status(
        cls, table: Table, match: Match, values: list[str | None], problems: Problems
    ) -> list[str | None]:
        out = []
        for i, value in enumerate(values):
            status = cls._of(value)
            if value is not None and status is None:
                problems.add(
                    Problem(
                        table.name,
                        "choice",
                        line=table.lines[i],
                        column=match.get("status") or "",
                        value=value,
                        expected="Open, Won, Lost",
                    )
                )
            out.append(status)
        return out

    @staticmethod
    def _of(value: str | None) -> str | None:
        return OPPORTUNITY_STATUS.get(normalize(value)) if value else None

    @staticmethod
    def _currency(
        table: Table, match: Match, context: Context, problems: Problems, ex: Extract
    ) -> list[str | None]:
        """Currency names ("Euro") read as ISO codes, then the shared one-currency decision."""
        header = match.get("currency")
        if header is not None:
            index = table.index(header)
            for row in table.rows:
                cell = row[index] if index < len(row) else None
                if isinstance(cell, str) and cell.strip():
                    row[index] = CURRENCY_NAMES.get(normalize(cell), cell.strip())
        return decide_currency(
            table,
            match,
            context,
            problems,
            ex,
            column=header,
            money_fields=("est_revenue", "actual_revenue"),
        )
