"""Google Ads: the UI "Download" of a campaign table or a Report Editor report.

Both CSV flavours (UTF-8 comma ".csv" and UTF-16LE tab "Excel .csv"), and .xlsx: a report
title and a date-range line before the header, totals rows (``Total: Account``,
``Total : compte``, ``Gesamt: Konto``) at the bottom, ``--`` for "not reported", locale numbers.
One ``spend`` row per day × campaign; rows split by a segment (device, network) are summed,
and ``Conversion action`` segment rows (which repeat the cost) are refused.
"""

from __future__ import annotations

import datetime as dt
import re

from pilotage.importers.aliases import Aliases, Match
from pilotage.importers.base import Context, Converted, Importer, register
from pilotage.importers.problems import Problem, Problems
from pilotage.importers.reader import Table
from pilotage.importers.sources.common import daily_spend, decide_currency
from pilotage.importers.values import parse_date_range

ALIASES = Aliases(
    {
        "day": ("Day", "Jour", "Tag", "Dia", "Día", "Giorno", "Date"),
        "week": ("Week", "Semaine", "Woche", "Semana", "Settimana"),
        "month": ("Month", "Mois", "Monat", "Mês", "Mes", "Mese"),
        "campaign": ("Campaign", "Campagne", "Kampagne", "Campanha", "Campaña", "Campagna"),
        "campaign_id": ("Campaign ID", "ID de la campagne", "Kampagnen-ID", "ID da campanha"),
        "campaign_type": ("Campaign type", "Type de campagne", "Kampagnentyp", "Tipo de campanha"),
        "campaign_status": (
            "Campaign status",
            "État de la campagne",
            "Statut de la campagne",
            "Kampagnenstatus",
            "Status da campanha",
        ),
        "currency": (
            "Currency code",
            "Currency",
            "Code de la devise",
            "Devise",
            "Währungscode",
            "Código da moeda",
            "Código de moneda",
        ),
        "cost": ("Cost", "Coût", "Kosten", "Custo", "Coste", "Costo"),
        "impressions": (
            "Impr.",
            "Impressions",
            "Impressionen",
            "Impressões",
            "Impresiones",
            "Impressioni",
        ),
        "clicks": ("Clicks", "Clics", "Klicks", "Cliques", "Clic"),
        "conversions": ("Conversions", "Conversões", "Conversiones", "Conversioni"),
        "conversion_value": (
            "Conv. value",
            "Valeur de conv.",
            "Konv.-Wert",
            "Valor de conv.",
            "Valor conv.",
        ),
        "conversion_action": (
            "Conversion action",
            "Action de conversion",
            "Conversion-Aktion",
            "Ação de conversão",
        ),
        "ctr": ("CTR",),
        "avg_cpc": ("Avg. CPC", "CPC moy.", "Durchschn. CPC", "CPC méd."),
        "device": ("Device", "Appareil", "Gerät", "Dispositivo"),
        "network": ("Network", "Réseau", "Werbenetzwerk", "Rede"),
        "ad_group": ("Ad group", "Groupe d'annonces", "Anzeigengruppe", "Grupo de anúncios"),
        "search_term": ("Search term", "Terme de recherche", "Suchbegriff", "Termo de pesquisa"),
        "interactions": ("Interactions", "Interaktionen", "Interações"),
        "budget": ("Budget", "Orçamento", "Presupuesto"),
    }
)


@register
class GoogleAdsImporter(Importer):
    name = "google_ads"
    label = "Google Ads campaign report"
    tables = ("spend",)
    aliases = ALIASES
    signature = ("campaign", "cost", "impressions")
    excludes = ("search_term",)

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        period = (
            "day"
            if "day" in match
            else "week"
            if "week" in match
            else "month"
            if "month" in match
            else None
        )
        dates_from_range = None
        if period is None:
            dates_from_range = self._range(table)
            if dates_from_range is None:
                problems.add(Problem(table.name, "missing_column", expected="Day"))
                return Converted({})
        if "conversion_action" in match:
            actions = [
                c
                for c in table.column(match.columns["conversion_action"])
                if c not in (None, "", "--", " --")
            ]
            if actions:
                problems.add(
                    Problem(
                        table.name,
                        "missing_column",
                        column=match.columns["conversion_action"],
                        expected=(
                            "a report without the Conversion action segment "
                            "(it repeats the cost on every action row)"
                        ),
                    )
                )
                return Converted({})
        ex = self.extract(
            table, match, context, problems, ["cost", "conversion_value", "conversions"]
        )
        if period is not None:
            dates = ex.date(match.columns[period], required=True)
        else:
            assert dates_from_range is not None
            start, end = dates_from_range
            if start != end:
                problems.add(
                    Problem(
                        table.name,
                        "missing_column",
                        expected="Day (the report covers "
                        f"{start} to {end} without a Day column: add the Day segment)",
                    )
                )
                return Converted({})
            dates = [start] * len(table.rows)
        campaigns = ex.text(match.get("campaign"), required=True)
        cost = ex.number(match.get("cost"), nonnegative=True)
        impressions = ex.integer(match.get("impressions"))
        clicks = ex.integer(match.get("clicks"))
        conversions = ex.number(match.get("conversions"))
        value = ex.number(match.get("conversion_value"))
        currency = decide_currency(
            table,
            match,
            context,
            problems,
            ex,
            column=match.get("currency"),
            money_fields=("cost",),
        )
        if problems:
            return Converted({})
        spend = daily_spend(
            self.name,
            context,
            currency[0],
            dates,
            campaigns,
            cost,
            impressions,
            clicks,
            conversions,
            value,
        )
        channel = context.taxonomy.classify(platform=self.name)
        details = {
            "currency": currency[0],
            "channel": channel,
            "period": period or "range",
            "date_range": [str(d) for d in (self._range(table) or ())],
        }
        if period in ("week", "month"):
            details["note"] = f"one row per {period}, dated on its first day"
        return Converted({"spend": spend}, details=details)

    @staticmethod
    def _range(table: Table) -> tuple[dt.date, dt.date] | None:
        for line in table.preamble_text():
            found = parse_date_range(re.sub(r"^[^:]*:\s*", "", line) if ":" in line[:20] else line)
            if found:
                return found
        return None
