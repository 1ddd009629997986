"""Meta (Facebook) Ads Manager: "Export table data" as CSV (UTF-8 with BOM) or .xlsx.

The header is on line 1, in the user's Facebook language (EN, FR, ES, PT; French headers
read as Latin-1 arrive as ``Montant dÃ©pensÃ© (EUR)`` and are repaired). The currency is the
``(EUR)`` suffix of ``Amount spent``. Only daily exports are accepted: a row whose
``Reporting starts`` differs from ``Reporting ends`` holds range totals that cannot be put on
a day, so it is refused with the way out (Breakdown → By time → Day). The summary row Meta may
append (blank entity names, whole-range totals) is dropped.

Mapping to ``spend`` (one row per day × campaign, ad-set or ad rows summed):

- ``campaign`` = Campaign name; in an ad-set or ad export without it, Ad set name / Ad name.
- ``clicks`` = Link clicks, else Clicks (all).
- ``platform_conversions`` = Purchases (or Website purchases, or Leads) when exported; else
  Results, only when every row counts the same Result indicator (else null, said in details).
- ``platform_conversion_value`` = Purchases conversion value, else Website purchases
  conversion value.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pilotage.importers.aliases import Aliases, Match, repair_mojibake
from pilotage.importers.base import Context, Converted, Importer, register
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems
from pilotage.importers.reader import Table
from pilotage.importers.sources.common import daily_spend, decide_currency
from pilotage.importers.values import text_value

ALIASES = Aliases(
    {
        "reporting_starts": (
            "Reporting starts",
            "Début des rapports",
            "Inicio del informe",
            "Início dos relatórios",
            "Início do relatório",
        ),
        "reporting_ends": (
            "Reporting ends",
            "Fin des rapports",
            "Fin del informe",
            "Término dos relatórios",
            "Fim dos relatórios",
            "Fim do relatório",
        ),
        "campaign": (
            "Campaign name",
            "Nom de la campagne",
            "Nombre de la campaña",
            "Nome da campanha",
        ),
        "ad_set": (
            "Ad set name",
            "Nom de l'ensemble de publicités",
            "Nombre del conjunto de anuncios",
            "Nome do conjunto de anúncios",
        ),
        "ad": ("Ad name", "Nom de la publicité", "Nombre del anuncio", "Nome do anúncio"),
        "campaign_id": ("Campaign ID", "Identifiant de la campagne", "ID de la campaña"),
        "ad_set_id": ("Ad set ID", "Identifiant de l'ensemble de publicités"),
        "ad_id": ("Ad ID", "Identifiant de la publicité"),
        "account": ("Account name", "Nom du compte", "Nombre de la cuenta", "Nome da conta"),
        "account_id": ("Account ID", "Identifiant du compte"),
        "delivery": (
            "Campaign delivery",
            "Ad set delivery",
            "Ad delivery",
            "Diffusion de la campagne",
            "Diffusion de l'ensemble de publicités",
            "Diffusion de la publicité",
            "Entrega de la campaña",
            "Veiculação da campanha",
        ),
        "attribution": ("Attribution setting", "Paramètre d'attribution"),
        "amount_spent": ("Amount spent", "Montant dépensé", "Importe gastado", "Valor usado"),
        "impressions": ("Impressions", "Impresiones", "Impressões"),
        "reach": ("Reach", "Couverture", "Alcance"),
        "frequency": ("Frequency", "Répétition", "Frecuencia", "Frequência"),
        "link_clicks": (
            "Link clicks",
            "Clics sur un lien",
            "Clics en el enlace",
            "Cliques no link",
        ),
        "clicks_all": ("Clicks (all)", "Clics (tous)", "Clics (todos)", "Cliques (todos)"),
        "results": ("Results", "Résultats", "Resultados"),
        "result_indicator": (
            "Result indicator",
            "Result type",
            "Indicateur de résultats",
            "Type de résultat",
            "Indicador de resultados",
            "Tipo de resultado",
        ),
        "cost_per_result": (
            "Cost per results",
            "Cost per result",
            "Coût par résultat",
            "Costo por resultado",
            "Custo por resultado",
        ),
        "purchases": ("Purchases", "Achats", "Compras"),
        "website_purchases": ("Website purchases", "Achats sur le site web"),
        "leads": ("Leads", "Prospects", "Clientes potenciales", "Cadastros"),
        "purchase_value": (
            "Purchases conversion value",
            "Valeur de conversion des achats",
            "Valor de conversión de compras",
            "Valor de conversão das compras",
        ),
        "website_purchase_value": (
            "Website purchases conversion value",
            "Valeur de conversion des achats sur le site web",
        ),
        "currency": ("Currency", "Devise", "Divisa", "Moeda"),
        "ctr": ("CTR (link click-through rate)", "CTR (all)", "CTR (taux de clics sur le lien)"),
        "cpc": ("CPC (cost per link click)", "CPC (all)", "CPC (coût par clic sur un lien)"),
        "cpm": ("CPM (cost per 1,000 impressions)", "CPM (Coût pour 1 000 impressions)"),
    }
)

NAME_FIELDS = ("campaign", "ad_set", "ad")  # the entity name, from the widest level exported
CONVERSION_FIELDS = ("purchases", "website_purchases", "leads")
VALUE_FIELDS = ("purchase_value", "website_purchase_value")


@register
class MetaAdsImporter(Importer):
    name = "meta_ads"
    label = "Meta Ads Manager export"
    tables = ("spend",)
    aliases = ALIASES
    signature = ("reporting_starts", "reporting_ends", "amount_spent")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, *self.signature):
            return Converted({})
        level = next((f for f in NAME_FIELDS if f in match), None)
        if level is None:
            problems.add(Problem(table.name, "missing_column", expected="Campaign name"))
            return Converted({})
        names = [match.columns[f] for f in NAME_FIELDS if f in match]
        table, skipped = _without_summary_rows(table, names)
        if not table.rows:
            problems.add(Problem(table.name, "no_rows"))
            return Converted({})
        numeric = ["amount_spent", "results", *CONVERSION_FIELDS, *VALUE_FIELDS]
        ex = self.extract(table, match, context, problems, numeric)
        starts = ex.date(match.columns["reporting_starts"], required=True)
        ends = ex.date(match.columns["reporting_ends"], required=True)
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if start is not None and end is not None and start != end:
                problems.add(
                    Problem(
                        table.name,
                        "not_daily",
                        line=table.lines[i],
                        column=match.columns["reporting_ends"],
                        value=f"{start} – {end}",
                        expected="Breakdown → By time → Day",
                    )
                )
        # a header read as Latin-1 means every text of the file was: repair the names too
        mojibake = any(repair_mojibake(h) != h for h in table.header)
        campaigns = [
            repair_mojibake(c) if mojibake and c else c
            for c in ex.text(match.columns[level], required=True)
        ]
        cost = ex.number(match.columns["amount_spent"], nonnegative=True)
        impressions = ex.integer(match.get("impressions"), nonnegative=True)
        clicks_field = "link_clicks" if "link_clicks" in match else "clicks_all"
        clicks = ex.integer(match.get(clicks_field), nonnegative=True)
        conversions, conversions_note = self._conversions(table, match, ex)
        value_field = next((f for f in VALUE_FIELDS if f in match), None)
        value = ex.number(match.get(value_field) if value_field else None)
        currency = decide_currency(
            table,
            match,
            context,
            problems,
            ex,
            column=match.get("currency"),
            money_fields=("amount_spent", *VALUE_FIELDS),
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
            "campaign_from": match.columns[level],
            "clicks_from": match.get(clicks_field),
            "conversions": conversions_note,
            "conversion_value_from": match.get(value_field) if value_field else None,
            "date_range": [str(dates[0]), str(dates[-1])] if dates else [],
        }
        if mojibake:
            details["mojibake_repaired"] = True
        return Converted({"spend": spend}, skipped=skipped, details=details)

    @staticmethod
    def _conversions(table: Table, match: Match, ex: Extract) -> tuple[list[float | None], str]:
        """Conversions per row and where they come from (or why there are none)."""
        n = len(table.rows)
        for field in CONVERSION_FIELDS:
            if field in match:
                return ex.number(match.columns[field]), f"from {match.columns[field]!r}"
        if "results" not in match:
            return [None] * n, "not stored: no Results column"
        results = ex.number(match.columns["results"])
        if "result_indicator" not in match:
            return [None] * n, "not stored: Results without a Result indicator column"
        indicators = ex.text(match.columns["result_indicator"])
        kinds = sorted({str(indicators[i]) for i in range(n) if results[i] is not None})
        if len(kinds) == 1 and all(
            indicators[i] is not None for i in range(n) if results[i] is not None
        ):
            return results, f"from {match.columns['results']!r} ({kinds[0]})"
        if not kinds:
            return [None] * n, "not stored: no Results"
        return [None] * n, (
            f"not stored: the Results count different things ({', '.join(kinds)}); "
            "export the Purchases or Leads column"
        )


def _without_summary_rows(table: Table, names: list[str]) -> tuple[Table, list[tuple[int, str]]]:
    """The table without the rows whose entity names are all blank (Meta's summary row)."""
    positions = [table.index(h) for h in names]
    keep, skipped = [], []
    for i, row in enumerate(table.rows):
        if all(text_value(row[p]) is None for p in positions):
            skipped.append(
                (table.lines[i], "summary row (no campaign, ad set or ad name): totals of the rows")
            )
        else:
            keep.append(i)
    rows = [table.rows[i] for i in keep]
    lines = [table.lines[i] for i in keep]
    return dataclasses.replace(table, rows=rows, lines=lines), skipped
