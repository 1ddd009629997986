"""HubSpot: the CRM index "Export" of contacts (→ ``leads``) and deals (→ ``deals``).

CSV (every value quoted, maybe a BOM, repeated column names), XLS/XLSX, in any export
language, with property labels as headers (``Record ID``, ``Create Date``…) or internal names
(``hs_object_id``, ``createdate``…) and enum labels or internal values (``PAID_SEARCH``).
Lifecycle dates come from the old ``Became a … Date`` columns or the newer
``Date entered "<stage> (Lifecycle Stage Pipeline)"`` ones, whose stage label is the portal's
own (``Kunde``, ``Cliente``…), read through a small per-language stage table.

Helpers shared with the other CRM importers are in ``crm.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from pilotage.importers.aliases import Aliases, Match, normalize
from pilotage.importers.base import Context, Converted, register
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems
from pilotage.importers.reader import Table
from pilotage.importers.sources.common import canonical_table, decide_currency
from pilotage.importers.sources.crm import (
    CrmImporter,
    booleans,
    check_unique,
    first_id,
    first_of,
    vocabulary,
)

SOURCES = vocabulary(
    {
        "Organic Search": (
            "ORGANIC_SEARCH",
            "Recherche naturelle",
            "Recherche organique",
            "Organische Suche",
            "Búsqueda orgánica",
        ),
        "Paid Search": ("PAID_SEARCH", "Recherche payante", "Bezahlte Suche", "Búsqueda de pago"),
        "Email Marketing": (
            "EMAIL_MARKETING",
            "E-mail marketing",
            "Marketing par e-mail",
            "E-Mail-Marketing",
            "Marketing por correo electrónico",
        ),
        "Organic Social": (
            "SOCIAL_MEDIA",
            "Social Media",
            "Réseaux sociaux",
            "Réseaux sociaux organiques",
            "Organische soziale Medien",
            "Redes sociales orgánicas",
        ),
        "Paid Social": (
            "PAID_SOCIAL",
            "Réseaux sociaux payants",
            "Campagne payante",  # the FR help page's (machine) translation; uncertain
            "Bezahlte soziale Medien",
            "Redes sociales de pago",
        ),
        "Referrals": ("REFERRALS", "Renvois", "Sites référents", "Verweise", "Referencias"),
        "AI Referrals": ("AI_REFERRALS", "Renvois IA", "Références IA"),
        "Other Campaigns": (
            "OTHER_CAMPAIGNS",
            "Autres campagnes",
            "Andere Kampagnen",
            "Otras campañas",
        ),
        "Direct Traffic": (
            "DIRECT_TRAFFIC",
            "Trafic direct",
            "Direkter Traffic",
            "Tráfico directo",
        ),
        "Offline Sources": (
            "OFFLINE",
            "Sources hors ligne",
            "Offline-Quellen",
            "Fuentes sin conexión",
        ),
    }
)
for _label in tuple(SOURCES.values()):
    SOURCES[normalize(_label)] = _label

# Which drill-down holds the utm_campaign, per HubSpot's "Understand source properties" table:
# paid search and email marketing (and other campaigns) have it in drill-down 1 (drill-down 2
# is the search term / the HubSpot email name); organic and paid social in drill-down 2
# (drill-down 1 is the network). Other sources have no campaign.
CAMPAIGN_DRILL_DOWN = {
    "Paid Search": 1,
    "Email Marketing": 1,
    "Other Campaigns": 1,
    "Organic Social": 2,
    "Paid Social": 2,
}

# Lifecycle stage labels (in the portal's language, or internal names) → leads column.
STAGES = vocabulary(
    {
        "mql_at": (
            "Marketing Qualified Lead",
            "marketingqualifiedlead",
            "MQL",
            "Lead qualifié marketing",
            "Marketing-Qualified-Lead",
            "Marketingqualifizierter Lead",
            "Lead calificado para marketing",
            "Lead cualificado para marketing",
            "Lead qualificato per il marketing",
            "Lead qualificado para marketing",
        ),
        "sql_at": (
            "Sales Qualified Lead",
            "salesqualifiedlead",
            "SQL",
            "Lead qualifié commercial",
            "Lead qualifié pour la vente",
            "Sales-Qualified-Lead",
            "Vertriebsqualifizierter Lead",
            "Lead calificado para ventas",
            "Lead cualificado para ventas",
            "Lead qualificato per le vendite",
            "Lead qualificado para vendas",
        ),
        "opportunity_at": (
            "Opportunity",
            "Opportunité",
            "Verkaufschance",
            "Opportunity (Verkaufschance)",
            "Oportunidad",
            "Opportunità",
            "Oportunidade",
        ),
        "customer_at": ("Customer", "Client", "Kunde", "Cliente", "Klant"),
        "disqualified_at": (
            "Disqualified",
            "Unqualified",
            "Disqualifié",
            "Non qualifié",
            "Disqualifiziert",
            "Descalificado",
        ),
    }
)
LIFECYCLE_FIELDS = ("mql_at", "sql_at", "opportunity_at", "customer_at", "disqualified_at")

# Date entered "Kunde (Lifecycle Stage Pipeline)" (quotes doubled in the CSV, single quotes in
# API labels). The non-English prefixes are guesses at HubSpot's translations (uncertain).
DATE_ENTERED = re.compile(
    r"""^(?:date\s+entered|date\s+d'entr[ée]e(?:\s+dans)?|datum\s+des\s+eintritts(?:\s+in)?|"""
    r"""fecha\s+de\s+entrada(?:\s+en)?)\s*["'“”«]\s*(?P<stage>.+?)\s*\((?P<pipeline>[^()]*)\)\s*"""
    r"""["'“”»]\s*$""",
    re.IGNORECASE,
)
INTERNAL_ENTERED = re.compile(
    r"^hs_(?:v2_)?date_entered_(?P<a>[a-z]+)$|^hs_lifecyclestage_(?P<b>[a-z]+)_date$"
)

# Deal stages that close a deal, in the export languages (default pipeline labels and ids).
DEAL_STATUS = vocabulary(
    {
        "won": (
            "Closed Won",
            "closedwon",
            "Conclue gagnée",
            "Fermée gagnée",
            "Gagnée",
            "Gewonnen",
            "Geschlossen gewonnen",
            "Cerrado ganado",
            "Ganado",
            "Chiuso vinto",
            "Fechado ganho",
        ),
        "lost": (
            "Closed Lost",
            "closedlost",
            "Conclue perdue",
            "Fermée perdue",
            "Perdue",
            "Verloren",
            "Geschlossen verloren",
            "Cerrado perdido",
            "Perdido",
            "Chiuso perso",
            "Fechado perdido",
        ),
    }
)

_COMMON = {
    "record_id": (
        "Record ID",
        "ID de fiche d'informations",
        "ID de la fiche d'informations",
        "Datensatz-ID",
        "ID de registro",
        "hs_object_id",
    ),
    "created_at": (
        "Create Date",
        "Object create date/time",
        "Date de création",
        "Erstellungsdatum",
        "Fecha de creación",
        "createdate",
    ),
    "original_source": (
        "Original Traffic Source",
        "Original Source",
        "Original Source Type",
        "Source du trafic d'origine",
        "Source d'origine",
        "Type de source d'origine",
        "Ursprüngliche Quelle",
        "Ursprüngliche Traffic-Quelle",
        "Fuente original",
        "Fuente de tráfico original",
        "hs_analytics_source",
    ),
    "drill_down_1": (
        "Original Traffic Source Drill-Down 1",
        "Original Source Drill-Down 1",
        "Original Source Data 1",
        "Informations sur la source d'origine 1",
        "Données de la source d'origine 1",
        "Exploration de la source du trafic d'origine 1",  # uncertain
        "hs_analytics_source_data_1",
    ),
    "drill_down_2": (
        "Original Traffic Source Drill-Down 2",
        "Original Source Drill-Down 2",
        "Original Source Data 2",
        "Informations sur la source d'origine 2",
        "Données de la source d'origine 2",
        "Exploration de la source du trafic d'origine 2",  # uncertain
        "hs_analytics_source_data_2",
    ),
}

CONTACT_ALIASES = Aliases(
    {
        "record_id": (*_COMMON["record_id"], "Contact ID", "ID du contact", "vid"),
        "created_at": _COMMON["created_at"],
        "original_source": _COMMON["original_source"],
        "drill_down_1": _COMMON["drill_down_1"],
        "drill_down_2": _COMMON["drill_down_2"],
        "industry": ("Industry", "Secteur d'activité", "Branche", "Sector", "industry"),
        "company_size": (
            "Number of Employees",
            "Company size",
            "Nombre d'employés",
            "Taille de l'entreprise",
            "Anzahl der Mitarbeiter",
            "Número de empleados",
            "numemployees",
            "company_size",
        ),
        "region": ("State/Region", "État/Région", "Bundesland/Region", "Estado/Región", "state"),
        "country": ("Country/Region", "Pays/Région", "Land/Region", "País/Región", "country"),
        # old lifecycle labels; FR "Date de conversion en …" is from HubSpot's FR help pages
        "became_mql": (
            "Became a Marketing Qualified Lead Date",
            "Date de conversion en lead qualifié marketing",
            "hs_lifecyclestage_marketingqualifiedlead_date",
        ),
        "became_sql": (
            "Became a Sales Qualified Lead Date",
            "Date de conversion en lead qualifié commercial",
            "hs_lifecyclestage_salesqualifiedlead_date",
        ),
        "became_opportunity": (
            "Became an Opportunity Date",
            "Date de conversion en opportunité",
            "hs_lifecyclestage_opportunity_date",
        ),
        "became_customer": (
            "Became a Customer Date",
            "Date de conversion en client",
            "hs_lifecyclestage_customer_date",
        ),
        # recognised only to tell contacts from other exports
        "email": ("Email", "E-mail", "Adresse e-mail", "E-Mail", "Correo", "email"),
        "first_name": ("First Name", "Prénom", "Vorname", "Nombre", "firstname"),
        "last_name": ("Last Name", "Nom", "Nachname", "Apellidos", "lastname"),
        "job_title": ("Job Title", "Intitulé du poste", "Berufsbezeichnung", "jobtitle"),
        "lifecycle_stage": (
            "Lifecycle Stage",
            "Phase du cycle de vie",
            "Lebenszyklusphase",
            "Etapa del ciclo de vida",
            "lifecyclestage",
        ),
        "lead_status": ("Lead Status", "Statut du lead", "Lead-Status", "hs_lead_status"),
        "contact_owner": ("Contact owner", "Propriétaire du contact", "hubspot_owner_id"),
        "nps_rating": (
            "Last NPS survey rating",
            "Note de la dernière enquête NPS",  # uncertain
            "hs_feedback_last_nps_rating",
        ),
        "nps_date": (
            "Last NPS survey date",
            "Date de la dernière enquête NPS",  # uncertain
            "hs_feedback_last_survey_date",
        ),
        "nps_comment": (
            "Last NPS survey comment",
            "Commentaire de la dernière enquête NPS",  # uncertain
            "hs_feedback_last_nps_follow_up",
        ),
        # deal columns, to rule deal exports out
        "deal_stage": ("Deal Stage", "Phase de la transaction", "Deal-Phase", "dealstage"),
        "deal_name": ("Deal Name", "Nom de la transaction", "Dealname", "dealname"),
    }
)

DEAL_ALIASES = Aliases(
    {
        "record_id": _COMMON["record_id"],
        "created_at": _COMMON["created_at"],
        "original_source": _COMMON["original_source"],
        "drill_down_1": _COMMON["drill_down_1"],
        "drill_down_2": _COMMON["drill_down_2"],
        "deal_stage": (
            "Deal Stage",
            "Phase de la transaction",
            "Étape de la transaction",
            "Deal-Phase",
            "Etapa del negocio",
            "dealstage",
        ),
        "pipeline": ("Pipeline", "Pipeline de transactions", "pipeline"),
        "amount": ("Amount", "Montant", "Betrag", "Importe", "amount"),
        "amount_company": (
            "Amount in company currency",
            "Montant dans la devise de l'entreprise",
            "amount_in_home_currency",
        ),
        "currency": ("Currency", "Devise", "Währung", "Moneda", "deal_currency_code"),
        "close_date": (
            "Close Date",
            "Date de fermeture",
            "Date de clôture",
            "Abschlussdatum",
            "Fecha de cierre",
            "closedate",
        ),
        "is_won": ("Is Closed Won", "Est conclue gagnée", "hs_is_closed_won"),
        "is_closed": ("Is Deal Closed?", "Is closed", "hs_is_closed"),
        "contact_ids": (
            "Associated Contact IDs",
            "ID des contacts associés",  # uncertain
            "Associated Contact IDs (Primary)",
        ),
        "company_ids": (
            "Associated Company IDs",
            "Associated Company IDs (Primary)",
            "ID des entreprises associées",  # uncertain
        ),
        "deal_name": ("Deal Name", "Nom de la transaction", "Dealname", "dealname"),
        "deal_owner": ("Deal owner", "Propriétaire de la transaction", "hubspot_owner_id"),
        "deal_type": ("Deal Type", "Type de transaction", "dealtype"),
        "probability": ("Deal probability", "Probabilité de la transaction"),
    }
)


def source_label(raw: str | None) -> str | None:
    """An "Original Source" value as HubSpot's English label (unknown values unchanged)."""
    if raw is None:
        return None
    return SOURCES.get(normalize(raw), raw)


def traffic_channels(
    ex: Extract, match: Match, context: Context
) -> tuple[list[str | None], list[str | None]]:
    """Channel (via the taxonomy) and utm campaign of each row, from the original source.

    The rules see HubSpot's source as ``source``, drill-down 1 as ``medium`` (the social
    network, or the origin of an offline contact: IMPORT, CRM_UI…) and the utm campaign — or,
    when the source has none, drill-down 2 (the import or integration name) — as ``campaign``.
    """
    sources = [source_label(s) for s in ex.text(match.get("original_source"))]
    drill = {1: ex.text(match.get("drill_down_1")), 2: ex.text(match.get("drill_down_2"))}
    channels: list[str | None] = []
    campaigns: list[str | None] = []
    for i, source in enumerate(sources):
        which = CAMPAIGN_DRILL_DOWN.get(source or "")
        campaign = drill[which][i] if which else None
        campaigns.append(campaign)
        channels.append(
            context.taxonomy.classify(
                platform="hubspot",
                source=source,
                medium=drill[1][i],
                campaign=campaign or drill[2][i],
            )
            if source
            else None
        )
    return channels, campaigns


def stage_columns(header: Sequence[str]) -> dict[str, list[str]]:
    """``Date entered "<stage> (<pipeline>)"`` columns of known stages → leads column."""
    found: dict[str, list[str]] = {}
    for name in header:
        if re.search(r"__\d+$", name):
            continue
        m = DATE_ENTERED.match(name)
        stage = m.group("stage") if m else None
        if stage is None:
            internal = INTERNAL_ENTERED.match(name)
            stage = (internal.group("a") or internal.group("b")) if internal else None
        field = STAGES.get(normalize(stage)) if stage else None
        if field:
            found.setdefault(field, []).append(name)
    return found


OLD_LIFECYCLE = {
    "mql_at": "became_mql",
    "sql_at": "became_sql",
    "opportunity_at": "became_opportunity",
    "customer_at": "became_customer",
}


def lifecycle_columns(header: Sequence[str], match: Match) -> dict[str, list[str]]:
    """Each lifecycle date's columns: the newer ``Date entered`` ones first, then the old
    ``Became a … Date`` (read when the newer one is empty)."""
    entered = stage_columns(header)
    out: dict[str, list[str]] = {}
    for field in LIFECYCLE_FIELDS:
        old = match.get(OLD_LIFECYCLE.get(field, ""))
        headers = list(dict.fromkeys(h for h in (*entered.get(field, []), old) if h))
        if headers:
            out[field] = headers
    return out


# ---------------------------------------------------------------- contacts


@register
class HubSpotContactsImporter(CrmImporter):
    name = "hubspot_contacts"
    label = "HubSpot contacts export"
    tables = ("leads", "survey_responses")
    aliases = CONTACT_ALIASES
    signature = ("record_id",)
    # contact-only columns (a companies export also has a lifecycle stage and a source)
    hints = ("email", "first_name", "last_name", "job_title", "lead_status", "contact_owner")
    min_hints = 1
    excludes = ("deal_stage", "deal_name")
    filename = re.compile(r"hubspot-crm-exports-.*contact", re.IGNORECASE)

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, "record_id", "created_at"):
            return Converted({})
        lifecycle = lifecycle_columns(table.header, match)
        dates = [match.get("created_at"), match.get("nps_date")]
        dates += [h for headers in lifecycle.values() for h in headers]
        ex = self.crm_extract(table, match, context, problems, numeric=["nps_rating"], dates=dates)
        ids = ex.text(match.get("record_id"), required=True)
        check_unique(table, match.columns["record_id"], ids, problems)
        channels, campaigns = traffic_channels(ex, match, context)
        columns: dict[str, list[Any]] = {
            "lead_id": ids,
            "created_at": ex.timestamp(match.get("created_at"), required=True),
            "channel": channels,
            "campaign": campaigns,
            "industry": ex.text(match.get("industry")),
            "company_size": ex.text(match.get("company_size")),
            "region": ex.text(match.get("region")),
            "country": ex.text(match.get("country")),
        }
        for field, headers in lifecycle.items():
            columns[field] = first_of(*[ex.timestamp(h) for h in headers])
        survey, skipped = self._survey(table, match, ex, ids, problems)
        if problems:
            return Converted({})
        tables = {"leads": canonical_table("leads", columns)}
        if survey is not None:
            tables["survey_responses"] = survey
        details = {
            "channel_from": match.get("original_source"),
            "lifecycle_columns": lifecycle,
            "date_orders": ex.date_orders(),
        }
        return Converted(tables, skipped=skipped, details=details)

    @staticmethod
    def _survey(
        table: Table, match: Match, ex: Extract, ids: list[str | None], problems: Problems
    ) -> tuple[pa.Table | None, list[tuple[int, str]]]:
        """``survey_responses`` rows for contacts with a "Last NPS survey rating"."""
        header = match.get("nps_rating")
        if header is None:
            return None, []
        ratings = ex.integer(header)
        when = ex.timestamp(match.get("nps_date"))
        comments = ex.text(match.get("nps_comment"))
        rows: dict[str, list[Any]] = {
            "respondent_id": [],
            "responded_at": [],
            "score": [],
            "comment": [],
        }
        skipped: list[tuple[int, str]] = []
        for i, rating in enumerate(ratings):
            if rating is None:
                continue
            if not 0 <= rating <= 10:
                problems.add(
                    Problem(
                        table.name, "score", line=table.lines[i], column=header, value=str(rating)
                    )
                )
                continue
            if when[i] is None:
                skipped.append((table.lines[i], "NPS rating without a survey date: not imported"))
                continue
            rows["respondent_id"].append(ids[i])
            rows["responded_at"].append(when[i])
            rows["score"].append(rating)
            rows["comment"].append(comments[i])
        return canonical_table("survey_responses", rows), skipped


# ---------------------------------------------------------------- deals


@register
class HubSpotDealsImporter(CrmImporter):
    name = "hubspot_deals"
    label = "HubSpot deals export"
    tables = ("deals",)
    aliases = DEAL_ALIASES
    signature = ("record_id", "deal_stage")
    hints = ("deal_name", "pipeline", "amount", "deal_owner", "close_date", "created_at")
    min_hints = 1
    filename = re.compile(r"hubspot-crm-exports-.*deal", re.IGNORECASE)

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, "record_id", "created_at", "deal_stage"):
            return Converted({})
        entered = _closing_columns(table.header)
        dates = [match.get("created_at"), match.get("close_date"), *entered.values()]
        money = "amount" if "amount" in match else "amount_company"
        ex = self.crm_extract(table, match, context, problems, numeric=[money], dates=dates)
        ids = ex.text(match.get("record_id"), required=True)
        check_unique(table, match.columns["record_id"], ids, problems)
        stages = ex.text(match.get("deal_stage"), required=True)
        status = self._status(table, match, stages, problems)
        close = ex.timestamp(match.get("close_date"))
        won_at = ex.timestamp(entered.get("won"))
        lost_at = ex.timestamp(entered.get("lost"))
        closed_at = [
            (close[i] or won_at[i])
            if s == "won"
            else (close[i] or lost_at[i])
            if s == "lost"
            else None
            for i, s in enumerate(status)
        ]
        amount = ex.number(match.get(money))
        currency_column = match.get("currency") if money == "amount" else None
        currency = decide_currency(
            table, match, context, problems, ex, column=currency_column, money_fields=(money,)
        )
        channels, _ = traffic_channels(ex, match, context)
        columns: dict[str, list[Any]] = {
            "deal_id": ids,
            "lead_id": [first_id(v) for v in ex.text(match.get("contact_ids"))],
            "account_id": [first_id(v) for v in ex.text(match.get("company_ids"))],
            "created_at": ex.timestamp(match.get("created_at"), required=True),
            "closed_at": closed_at,
            "stage": stages,
            "status": status,
            "amount": amount,
            "currency": currency,
            "channel": channels,
            "pipeline": ex.text(match.get("pipeline")),
        }
        if problems:
            return Converted({})
        details = {
            "currency": currency[0] if currency else None,
            "amount_from": match.get(money),
            "channel_from": match.get("original_source"),
            "date_orders": ex.date_orders(),
        }
        return Converted({"deals": canonical_table("deals", columns)}, details=details)

    @staticmethod
    def _status(
        table: Table, match: Match, stages: list[str | None], problems: Problems
    ) -> list[str]:
        """won/lost from the stage label (any language), else from the "Is Closed Won" and
        "Is closed" columns when exported; anything else is open."""
        is_won = booleans(table, match.get("is_won"), problems)
        is_closed = booleans(table, match.get("is_closed"), problems)
        out = []
        for i, stage in enumerate(stages):
            status = DEAL_STATUS.get(normalize(stage or ""))
            if status is None and is_won[i] is not None:
                status = "won" if is_won[i] else "lost" if is_closed[i] else None
            out.append(status or "open")
        return out


def _closing_columns(header: Sequence[str]) -> dict[str, str]:
    """``Date entered "Closed Won (Sales Pipeline)"``-style columns: {"won"/"lost": header}."""
    found: dict[str, str] = {}
    for name in header:
        m = DATE_ENTERED.match(name)
        status = DEAL_STATUS.get(normalize(m.group("stage"))) if m else None
        if status and status not in found:
            found[status] = name
    return found
