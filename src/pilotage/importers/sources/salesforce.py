"""Salesforce report exports: leads (→ ``leads``), opportunities (→ ``deals``) and campaign
influence (→ ``touchpoints``).

"Details Only" CSV (every value quoted, LF rows, Windows-1252 or UTF-8) or .xlsx, in the
user's language and locale: dates ``3/15/2024``, ``15/03/2024`` or ``15.03.2024`` (one order
for the whole export, decided from the values), amounts ``10,000.00`` or ``10 000,00``,
maybe prefixed ``USD``. The footer after the first blank line (``Grand Totals (N records)``,
``Confidential Information - Do Not Distribute``, ``Copyright (c) …``) is dropped. Labels of
related objects carry a prefix (``Opportunity: Opportunity Name``), ignored when matching.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pilotage.importers.aliases import Aliases, Match, normalize
from pilotage.importers.base import Context, Converted, register
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems
from pilotage.importers.reader import SALESFORCE_FOOTER, Table
from pilotage.importers.sources.common import canonical_table, decide_currency
from pilotage.importers.sources.crm import CrmImporter, booleans, check_unique, vocabulary

# the default influence model, as Salesforce names it in the report's language
PRIMARY_MODELS = frozenset(
    normalize(name)
    for name in (
        "Primary Campaign Source",
        "Source de campagne principale",
        "Source de la campagne principale",
        "Primäre Kampagnenquelle",
    )
)


class PrefixedAliases(Aliases):
    """Aliases that also match a related-object label: ``Opportunity: Opportunity Name``."""

    def field_of(self, header: str) -> str | None:
        field = super().field_of(header)
        if field is None and ":" in header:
            field = super().field_of(header.split(":", 1)[1])
        return field

    def known(self, header: str) -> bool:
        return self.field_of(header) is not None


# One table for the three report types: a column of one type tells it from the others.
# Non-English labels are Salesforce's usual translations (Lead = "Piste" in French); the less
# certain ones are marked.
ALIASES = PrefixedAliases(
    {
        "lead_id": ("Lead ID", "ID de piste", "ID de la piste", "Lead-ID", "ID del candidato"),
        "created_at": (
            "Create Date",
            "Created Date",
            "Date de création",
            "Erstellungsdatum",
            "Fecha de creación",
        ),
        "lead_source": (
            "Lead Source",
            "Origine de la piste",
            "Lead-Quelle",
            "Origen del candidato",
        ),
        "lead_status": ("Lead Status", "Statut de la piste", "Lead-Status", "Estado del candidato"),
        "lead_owner": ("Lead Owner", "Propriétaire de la piste", "Lead-Inhaber"),
        "company": ("Company / Account", "Société / Compte", "Firma / Account", "Company"),
        "rating": ("Rating", "Classement", "Bewertung"),
        "converted": ("Converted", "Convertie", "Converti", "Konvertiert"),
        "converted_date": ("Converted Date", "Date de conversion", "Konvertierungsdatum"),
        "converted_opportunity": (
            "Converted Opportunity",
            "Opportunité convertie",
            "Konvertierte Opportunity",
        ),
        # not a standard field: accepted when an org adds one under an obvious name
        "disqualified_date": ("Disqualified Date", "Date Disqualified", "Date de disqualification"),
        "campaign": (
            "Campaign Name",
            "Nom de la campagne",
            "Kampagnenname",
            "Nombre de la campaña",
        ),
        "campaign_type": ("Campaign Type", "Type de campagne", "Kampagnentyp", "Tipo de campaña"),
        "campaign_start": (
            "Campaign Start Date",
            "Start Date",
            "Date de début de la campagne",
            "Date de début",
            "Startdatum",
        ),
        "industry": ("Industry", "Secteur d'activité", "Branche", "Sector"),
        "company_size": ("No. of Employees", "Employees", "Nombre d'employés", "Mitarbeiter"),
        "country": ("Country", "Pays", "Land", "País"),
        "region": ("State/Province", "État/Province", "Région/Province", "Bundesland/Kanton"),
        "deal_id": (
            "Opportunity ID",
            "ID de l'opportunité",
            "ID d'opportunité",
            "Opportunity-ID",
            "ID de oportunidad",
        ),
        "opportunity_name": (
            "Opportunity Name",
            "Nom de l'opportunité",
            "Opportunity-Name",
            "Nombre de la oportunidad",
        ),
        "opportunity_owner": (
            "Opportunity Owner",
            "Propriétaire de l'opportunité",
            "Opportunity-Inhaber",
        ),
        "account_id": ("Account ID", "ID du compte", "Account-ID"),
        "account_name": ("Account Name", "Nom du compte", "Account-Name", "Nombre de la cuenta"),
        "stage": ("Stage", "Étape", "Phase", "Etapa"),
        "amount": ("Amount", "Montant", "Betrag", "Importe"),
        "amount_currency": (
            "Amount Currency",
            "Devise du montant",
            "Montant Devise",
            "Betrag Währung",
            "Opportunity Currency",
            "Devise de l'opportunité",
        ),
        "amount_converted": ("Amount (converted)", "Montant (converti)", "Betrag (umgerechnet)"),
        "amount_converted_currency": (
            "Amount (converted) Currency",
            "Montant (converti) Devise",
            "Betrag (umgerechnet) Währung",
        ),
        "close_date": ("Close Date", "Date de clôture", "Schlusstermin", "Fecha de cierre"),
        "won": ("Won", "Gagnée", "Gagné", "Gewonnen", "Ganada"),
        "closed": ("Closed", "Fermée", "Fermé", "Geschlossen", "Cerrada"),
        "primary_campaign": (
            "Primary Campaign Source",
            "Source de la campagne principale",
            "Primäre Kampagnenquelle",
        ),
        "fiscal_period": ("Fiscal Period", "Période fiscale", "Geschäftsperiode"),
        "probability": ("Probability (%)", "Probabilité (%)", "Wahrscheinlichkeit (%)"),
        "record_type": ("Opportunity Record Type", "Type d'enregistrement de l'opportunité"),
        "revenue_share": ("Revenue Share", "Part du chiffre d'affaires", "Umsatzanteil"),
        "revenue_share_currency": (
            "Revenue Share Currency",
            "Devise de la part du chiffre d'affaires",
        ),
        "influence": ("Influence (%)", "Influence", "Einfluss (%)"),
        "model": (
            "Model Name",
            "Campaign Influence Model",
            "Influence Model",
            "Nom du modèle",
            "Modèle d'influence de campagne",
        ),
        # other tools' keys, to rule their exports out
        "other_tool_key": ("Record ID", "Created On", "Créé le"),
    }
)

STAGE_STATUS = vocabulary(
    {
        "won": (
            "Closed Won",
            "Fermée gagnée",
            "Fermée/Gagnée",
            "Gagnée",
            "Geschlossen und gewonnen",
            "Geschlossen/Gewonnen",
            "Cerrada ganada",
            "Chiusa vinta",
            "Fechado/Ganho",
        ),
        "lost": (
            "Closed Lost",
            "Fermée perdue",
            "Fermée/Perdue",
            "Perdue",
            "Geschlossen und verloren",
            "Geschlossen/Verloren",
            "Cerrada perdida",
            "Chiusa persa",
            "Fechado/Perdido",
        ),
    }
)

KEY_HINT = "it is the key that updates each record on the next import: add it to the report"


class SalesforceImporter(CrmImporter):
    aliases = ALIASES
    stop_at_blank = True
    footer = SALESFORCE_FOOTER
    filename = re.compile(r"^report\d{13}\.|salesforce", re.IGNORECASE)

    def require_key(self, table: Table, match: Match, problems: Problems, field: str) -> bool:
        """A ``missing_column`` problem explaining why the record id is needed."""
        if field in match:
            return True
        label = self.aliases.example(field)
        problems.add(Problem(table.name, "missing_column", expected=f"{label} ({KEY_HINT})"))
        return False


def stage_status(
    stages: Sequence[str | None], won: Sequence[bool | None], closed: Sequence[bool | None]
) -> list[str]:
    """open/won/lost from the Won and Closed checkboxes, else from the stage name."""
    out = []
    for stage, is_won, is_closed in zip(stages, won, closed, strict=True):
        if is_won:
            out.append("won")
        elif is_closed is not None:
            out.append("lost" if is_closed else "open")
        else:
            out.append(STAGE_STATUS.get(normalize(stage or ""), "open"))
    return out


def classify(context: Context, source: str | None, campaign: str | None) -> str | None:
    """The channel of a Salesforce source/campaign; None when the row names neither."""
    if not source and not campaign:
        return None
    return context.taxonomy.classify(platform="salesforce", source=source, campaign=campaign)


# ---------------------------------------------------------------- leads


@register
class SalesforceLeadsImporter(SalesforceImporter):
    """Leads report. ``Converted Date`` becomes ``opportunity_at``: converting a lead in
    Salesforce turns it into a contact with (usually) an opportunity, so the date is when the
    lead entered the pipeline; when a ``Converted Opportunity`` column shows the conversion
    created none, it stays empty. "Closed - Not Converted" has no standard date column, so
    ``disqualified_at`` is filled only from an explicit "Disqualified Date" column."""

    name = "salesforce_leads"
    label = "Salesforce leads report"
    tables = ("leads",)
    signature = ("created_at",)
    hints = (
        "lead_id",
        "lead_source",
        "lead_status",
        "lead_owner",
        "company",
        "converted",
        "converted_date",
        "rating",
    )
    min_hints = 2
    excludes = ("stage", "deal_id", "opportunity_name", "revenue_share", "other_tool_key")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        keyed = self.require_key(table, match, problems, "lead_id")
        if not self.require(table, match, problems, "created_at") or not keyed:
            return Converted({})
        dates = [match.get(f) for f in ("created_at", "converted_date", "disqualified_date")]
        ex = self.crm_extract(table, match, context, problems, dates=dates)
        ids = ex.text(match.get("lead_id"), required=True)
        check_unique(table, match.columns["lead_id"], ids, problems)
        created = ex.timestamp(match.get("created_at"), required=True)
        sources = ex.text(match.get("lead_source"))
        campaigns = ex.text(match.get("campaign"))
        converted = booleans(table, match.get("converted"), problems)
        converted_at = ex.timestamp(match.get("converted_date"))
        opportunity = ex.text(match.get("converted_opportunity"))
        has_opportunity = "converted_opportunity" in match
        columns: dict[str, list[Any]] = {
            "lead_id": ids,
            "created_at": created,
            "channel": [classify(context, s, c) for s, c in zip(sources, campaigns, strict=True)],
            "campaign": campaigns,
            "industry": ex.text(match.get("industry")),
            "company_size": ex.text(match.get("company_size")),
            "region": ex.text(match.get("region")),
            "country": ex.text(match.get("country")),
            "opportunity_at": [
                at if flag is not False and (opp or not has_opportunity) else None
                for at, flag, opp in zip(converted_at, converted, opportunity, strict=True)
            ],
            "disqualified_at": ex.timestamp(match.get("disqualified_date")),
        }
        if problems:
            return Converted({})
        details = {
            "channel_from": match.get("lead_source"),
            "opportunity_at_from": match.get("converted_date"),
            "date_orders": ex.date_orders(),
        }
        return Converted({"leads": canonical_table("leads", columns)}, details=details)


# ---------------------------------------------------------------- opportunities


@register
class SalesforceOpportunitiesImporter(SalesforceImporter):
    """Opportunities report. ``Amount`` in its ``Amount Currency`` (or ``USD 10,000.00``);
    ``Amount (converted)`` only when there is no ``Amount``. Account ID, else Account Name,
    is the account; the record type is the pipeline."""

    name = "salesforce_opportunities"
    label = "Salesforce opportunities report"
    tables = ("deals",)
    signature = ("stage",)
    hints = (
        "deal_id",
        "opportunity_name",
        "opportunity_owner",
        "account_name",
        "fiscal_period",
        "probability",
        "close_date",
        "amount",
    )
    min_hints = 2
    excludes = ("revenue_share", "influence", "model", "other_tool_key")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        keyed = self.require_key(table, match, problems, "deal_id")
        if not self.require(table, match, problems, "created_at", "stage") or not keyed:
            return Converted({})
        money, currency_field = "amount", "amount_currency"
        if "amount" not in match and "amount_converted" in match:
            money, currency_field = "amount_converted", "amount_converted_currency"
        dates = [match.get("created_at"), match.get("close_date")]
        ex = self.crm_extract(table, match, context, problems, numeric=[money], dates=dates)
        ids = ex.text(match.get("deal_id"), required=True)
        check_unique(table, match.columns["deal_id"], ids, problems)
        stages = ex.text(match.get("stage"), required=True)
        won = booleans(table, match.get("won"), problems)
        closed = booleans(table, match.get("closed"), problems)
        status = stage_status(stages, won, closed)
        close = ex.timestamp(match.get("close_date"))
        amount = ex.number(match.get(money))
        currency = decide_currency(
            table,
            match,
            context,
            problems,
            ex,
            column=match.get(currency_field),
            money_fields=(money,),
        )
        sources = ex.text(match.get("lead_source"))
        campaigns = ex.text(match.get("primary_campaign"))
        columns: dict[str, list[Any]] = {
            "deal_id": ids,
            "account_id": ex.text(match.get("account_id") or match.get("account_name")),
            "created_at": ex.timestamp(match.get("created_at"), required=True),
            "closed_at": [c if s != "open" else None for c, s in zip(close, status, strict=True)],
            "stage": stages,
            "status": status,
            "amount": amount,
            "currency": currency,
            "channel": [classify(context, s, c) for s, c in zip(sources, campaigns, strict=True)],
            "pipeline": ex.text(match.get("record_type")),
        }
        if problems:
            return Converted({})
        details = {
            "currency": currency[0] if currency else None,
            "amount_from": match.get(money),
            "status_from": "Won/Closed columns" if "won" in match else match.get("stage"),
            "date_orders": ex.date_orders(),
        }
        return Converted({"deals": canonical_table("deals", columns)}, details=details)


# ---------------------------------------------------------------- campaign influence


@register
class SalesforceCampaignInfluenceImporter(SalesforceImporter):
    """The "Campaigns with Influenced Opportunities" report: a touchpoint per opportunity ×
    campaign.

    A report lists each pair once per influence model; one model is kept (Primary Campaign
    Source if present, else the file's first) and named in the details. A touch is dated by
    the campaign's start date — when the campaign began reaching the buyer; the report holds
    no member response date — or, without one, by the opportunity's close date (the touch is
    then counted at the conversion it influenced). ``converted`` is the opportunity won; its
    revenue share is the conversion value of won opportunities only.
    """

    name = "salesforce_campaign_influence"
    label = "Salesforce campaign influence report"
    tables = ("touchpoints",)
    signature = ("campaign",)
    hints = ("revenue_share", "influence", "model")
    min_hints = 1
    excludes = ("other_tool_key",)

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        journey_field = "deal_id" if "deal_id" in match else "opportunity_name"
        if not self.require(table, match, problems, journey_field, "campaign"):
            return Converted({})
        if not ("campaign_start" in match or "close_date" in match):
            problems.add(Problem(table.name, "missing_column", expected="Campaign Start Date"))
            return Converted({})
        keep, model, skipped = self._model_rows(table, match)
        dates = [match.get("campaign_start"), match.get("close_date")]
        ex = self.crm_extract(
            table, match, context, problems, numeric=["revenue_share"], dates=dates
        )
        journeys = ex.text(match.get(journey_field), required=True)
        campaigns = ex.text(match.get("campaign"), required=True)
        occurred = self._occurred(table, match, ex, problems, keep)
        won = booleans(table, match.get("won"), problems)
        stages = ex.text(match.get("stage"))
        converted = [s == "won" for s in stage_status(stages, won, [None] * len(won))]
        share = ex.number(match.get("revenue_share"))
        types = ex.text(match.get("campaign_type"))
        pairs = [
            f"{j} / {c}" if i in keep else None
            for i, (j, c) in enumerate(zip(journeys, campaigns, strict=True))
        ]
        check_unique(table, match.columns["campaign"], pairs, problems)
        if problems:
            return Converted({})
        rows = sorted(keep)
        columns: dict[str, list[Any]] = {
            "journey_id": [journeys[i] for i in rows],
            "occurred_at": [occurred[i] for i in rows],
            "channel": [classify(context, types[i], campaigns[i]) for i in rows],
            "campaign": [campaigns[i] for i in rows],
            "interaction": ["campaign_influence"] * len(rows),
            "converted": [converted[i] for i in rows],
            "conversion_value": [share[i] if converted[i] else None for i in rows],
        }
        details = {
            "model": model,
            "journey_from": match.get(journey_field),
            "occurred_at_from": match.get("campaign_start") or match.get("close_date"),
            # touchpoints carry no currency: say which one the conversion values are in
            "conversion_value_currencies": sorted(ex.currencies_seen),
            "date_orders": ex.date_orders(),
        }
        table_out = canonical_table("touchpoints", columns)
        return Converted({"touchpoints": table_out}, skipped=skipped, details=details)

    @staticmethod
    def _model_rows(
        table: Table, match: Match
    ) -> tuple[set[int], str | None, list[tuple[int, str]]]:
        """Rows of the kept model, the model's name and the other rows as skipped lines."""
        header = match.get("model")
        if header is None:
            return set(range(len(table.rows))), None, []
        models = [str(c).strip() if c not in (None, "") else "" for c in table.column(header)]
        named = [m for m in models if m]
        primary = next((m for m in named if normalize(m) in PRIMARY_MODELS), None)
        model = primary or (named[0] if named else "")
        keep = {i for i, m in enumerate(models) if m == model}
        skipped = [
            (table.lines[i], f"influence model {models[i]!r} (kept {model!r})")
            for i in range(len(models))
            if i not in keep
        ]
        return keep, model, skipped

    @staticmethod
    def _occurred(
        table: Table, match: Match, ex: Extract, problems: Problems, keep: set[int]
    ) -> list[Any]:
        """Campaign start date, else close date; a problem for a kept row with neither."""
        start_header, close_header = match.get("campaign_start"), match.get("close_date")
        start, close = ex.timestamp(start_header), ex.timestamp(close_header)
        out = [s or c for s, c in zip(start, close, strict=True)]
        header = start_header or close_header or ""
        for i in sorted(keep):
            flagged = (i, start_header or "") in ex.flagged or (i, close_header or "") in ex.flagged
            if out[i] is None and not flagged:
                problems.add(Problem(table.name, "required", line=table.lines[i], column=header))
        return out
