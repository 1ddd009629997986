"""The KPI definitions: each defined once, with its formula, as an expression over measures.

DESIGN.md §5 is the source of truth; every KPI's ``formula`` repeats its definition in words
and is shown to users (tooltips, CLI ``--explain``, reports). A ratio whose denominator is zero
is null ("n/a"), never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import ibis
from ibis.expr.types import Table, Value

from pilotage.metrics.kpis_fr import FORMULAS as FORMULAS_FR

Unit = Literal["money", "count", "ratio", "percent", "days", "months", "score"]
Direction = Literal["higher_is_better", "lower_is_better", "neutral"]
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Kpi:
    """One KPI: how it is computed, how it reads, which way is good."""

    name: str
    label: str
    label_fr: str
    formula: str
    unit: Unit
    direction: Direction
    measures: tuple[str, ...]
    compute: Callable[[Table], Value]
    vanity: bool = False
    executive: bool = False  # on the executive scorecard
    kinds: frozenset[str] = frozenset({"b2b", "b2c"})

    @property
    def formula_fr(self) -> str:
        """The formula in French (FORMULAS_FR), the English one until it is translated."""
        return FORMULAS_FR.get(self.name, self.formula)


def _ratio(num: str, den: str, scale: float = 1.0) -> Callable[[Table], Value]:
    return lambda t: t[num] * scale / t[den].nullif(0)


def _sum(name: str) -> Callable[[Table], Value]:
    return lambda t: t[name]


def _nps(t: Table, z: float = 0.0) -> Value:
    """100·(P − D)/N ± z·100·sqrt(((P + D)/N − ((P − D)/N)²)/N)."""
    n = t.responses.nullif(0)
    share = (t.promoters - t.detractors) / n
    variance = ((t.promoters + t.detractors) / n - share * share) / n
    return 100 * share + z * 100 * variance.sqrt()


B2B = frozenset({"b2b"})
_kpis = [
    Kpi(
        "marketing_cost",
        "Marketing cost",
        "Coûts marketing",
        "Media spend (spend.cost) plus the non-media marketing costs (the action plan's "
        "invoices not already in the spend data: agency fees, stands, print), dated in the "
        "period. Payroll is not included.",
        "money",
        "neutral",
        ("marketing_cost",),
        _sum("marketing_cost"),
    ),
    Kpi(
        "new_customers",
        "New customers",
        "Nouveaux clients",
        "B2B: leads whose customer_at falls in the period. B2C: customers whose first order "
        "falls in the period and came through a channel. Split by channel or campaign under "
        "the query's attribution model: first touch (default) counts each customer in its "
        "source channel; last touch, linear, position-based and time decay split it over the "
        "touches of its journey (fractional customers).",
        "count",
        "higher_is_better",
        ("new_customers",),
        _sum("new_customers"),
        executive=True,
    ),
    Kpi(
        "cac",
        "CAC",
        "CAC",
        "Marketing cost / new customers (blended: the same under every attribution model). "
        "By channel: the channel's cost / the new customers attributed to it under the "
        "query's attribution model — first touch by default (the lead's source channel, or "
        "the first order's acquisition channel); last touch, linear, position-based (40/20/40) "
        "or time decay (half-life 7 days) split each customer over the channels of its journey.",
        "money",
        "lower_is_better",
        ("marketing_cost", "new_customers"),
        _ratio("marketing_cost", "new_customers"),
        executive=True,
    ),
    Kpi(
        "marketing_cost_fully_loaded",
        "Marketing cost, fully loaded",
        "Coûts marketing complets",
        "Marketing cost plus the marketing payroll entered for the period (monthly amounts "
        "spread evenly over each month's days).",
        "money",
        "neutral",
        ("marketing_cost", "marketing_payroll"),
        lambda t: t.marketing_cost.fill_null(0) + t.marketing_payroll.fill_null(0),
    ),
    Kpi(
        "cac_fully_loaded",
        "CAC, fully loaded",
        "CAC complet",
        "(Marketing cost + marketing payroll + sales cost) / new customers, for the whole "
        "company (payroll and sales cost have no channel). The sales cost and the payroll are "
        "the monthly amounts entered, spread evenly over each month's days.",
        "money",
        "lower_is_better",
        ("marketing_cost", "marketing_payroll", "sales_cost", "new_customers"),
        lambda t: (
            (
                t.marketing_cost.fill_null(0)
                + t.marketing_payroll.fill_null(0)
                + t.sales_cost.fill_null(0)
            )
            / t.new_customers.nullif(0)
        ),
    ),
    Kpi(
        "revenue",
        "Revenue",
        "Chiffre d'affaires",
        "Sum of orders.revenue dated in the period, all customers.",
        "money",
        "higher_is_better",
        ("revenue",),
        _sum("revenue"),
    ),
    Kpi(
        "attributed_revenue",
        "Attributed revenue",
        "Chiffre d'affaires attribué",
        "Revenue of the period's orders from customers acquired through a marketing channel, "
        "credited under the query's attribution model: first touch (default) gives it all to "
        "the acquisition channel; the other models split each customer's orders over the "
        "channels of its journey by the model's weights.",
        "money",
        "higher_is_better",
        ("attributed_revenue",),
        _sum("attributed_revenue"),
    ),
    Kpi(
        "romi",
        "ROMI",
        "ROMI",
        "(Attributed revenue − marketing cost) / marketing cost (revenue-based, as in the "
        "seed); revenue attributed under the query's attribution model, first touch by "
        "default.",
        "ratio",
        "higher_is_better",
        ("attributed_revenue", "marketing_cost"),
        lambda t: (t.attributed_revenue - t.marketing_cost) / t.marketing_cost.nullif(0),
        executive=True,
    ),
    Kpi(
        "romi_margin",
        "ROMI (margin)",
        "ROMI (marge)",
        "(Attributed gross margin − marketing cost) / marketing cost, attributed under the "
        "query's attribution model (first touch by default); the revenue stands in for orders "
        "without a known margin (see attributed_margin_missing).",
        "ratio",
        "higher_is_better",
        ("attributed_margin", "marketing_cost"),
        lambda t: (t.attributed_margin - t.marketing_cost) / t.marketing_cost.nullif(0),
    ),
    Kpi(
        "roas",
        "ROAS",
        "ROAS",
        "Attributed revenue / marketing cost, revenue attributed under the query's attribution "
        "model (first touch by default).",
        "ratio",
        "higher_is_better",
        ("attributed_revenue", "marketing_cost"),
        _ratio("attributed_revenue", "marketing_cost"),
    ),
    Kpi(
        "ltv",
        "LTV (historical)",
        "LTV (historique)",
        "Average cumulative gross margin to date per customer of the cohort acquired in the "
        "period (first order in the period, through a channel); revenue where the margin is "
        "unknown (flagged by cohort_margin_missing). By channel, the cohort's customers are "
        "credited under the query's attribution model (first touch by default).",
        "money",
        "higher_is_better",
        ("cohort_value", "cohort_customers"),
        _ratio("cohort_value", "cohort_customers"),
        executive=True,
    ),
    Kpi(
        "ltv_to_cac",
        "LTV/CAC",
        "LTV/CAC",
        "Historical LTV of the period's cohort / CAC of the same period and channel, both "
        "under the query's attribution model (first touch by default). Target ≥ 3.",
        "ratio",
        "higher_is_better",
        ("cohort_value", "cohort_customers", "marketing_cost", "new_customers"),
        lambda t: (
            (t.cohort_value / t.cohort_customers.nullif(0))
            / (t.marketing_cost / t.new_customers.nullif(0)).nullif(0)
        ),
        executive=True,
    ),
    Kpi(
        "ltv_predictive",
        "LTV (predictive, 36 months)",
        "LTV (prédictive, 36 mois)",
        "Average per customer of the cohort acquired in the period: gross margin to date (revenue "
        "where the margin is unknown) + the discounted expected value of the next 36 months "
        "(BG/NBD and Gamma-Gamma fitted on the orders up to as_of, 1% a month; n/a when the models "
        "cannot fit the orders). By channel, credited under the query's attribution model.",
        "money",
        "higher_is_better",
        ("cohort_value", "cohort_future_value", "cohort_future_missing", "cohort_customers"),
        lambda t: ibis.ifelse(
            t.cohort_future_missing > 0,
            ibis.null("float64"),
            (t.cohort_value + t.cohort_future_value) / t.cohort_customers.nullif(0),
        ),
    ),
    Kpi(
        "ltv_predictive_to_cac",
        "LTV/CAC (predictive)",
        "LTV/CAC (prédictive)",
        "Predictive LTV of the period's cohort / CAC of the same period and channel, both under "
        "the query's attribution model (first touch by default). Target ≥ 3.",
        "ratio",
        "higher_is_better",
        (
            "cohort_value",
            "cohort_future_value",
            "cohort_future_missing",
            "cohort_customers",
            "marketing_cost",
            "new_customers",
        ),
        lambda t: ibis.ifelse(
            t.cohort_future_missing > 0,
            ibis.null("float64"),
            ((t.cohort_value + t.cohort_future_value) / t.cohort_customers.nullif(0))
            / (t.marketing_cost / t.new_customers.nullif(0)).nullif(0),
        ),
    ),
    Kpi(
        "cac_payback_months",
        "CAC payback",
        "Retour sur CAC",
        "Months of gross margin per customer needed to repay CAC: CAC / (cohort margin to date "
        "/ cohort customer-months observed).",
        "months",
        "lower_is_better",
        ("cohort_value", "cohort_customer_days", "marketing_cost", "new_customers"),
        lambda t: (
            (t.marketing_cost / t.new_customers.nullif(0))
            / (t.cohort_value / (t.cohort_customer_days / 30.4375).nullif(0)).nullif(0)
        ),
    ),
    Kpi(
        "leads",
        "Leads",
        "Leads",
        "Leads created in the period.",
        "count",
        "higher_is_better",
        ("leads",),
        _sum("leads"),
        kinds=B2B,
    ),
    Kpi(
        "mqls",
        "MQLs",
        "MQL",
        "Leads that became marketing-qualified in the period.",
        "count",
        "higher_is_better",
        ("mqls",),
        _sum("mqls"),
        kinds=B2B,
    ),
    Kpi(
        "sqls",
        "SQLs",
        "SQL",
        "Leads that became sales-qualified in the period.",
        "count",
        "higher_is_better",
        ("sqls",),
        _sum("sqls"),
        kinds=B2B,
    ),
    Kpi(
        "opportunities",
        "Opportunities",
        "Opportunités",
        "Leads that became an opportunity in the period.",
        "count",
        "higher_is_better",
        ("opportunities",),
        _sum("opportunities"),
        kinds=B2B,
    ),
    Kpi(
        "visit_to_lead",
        "Visit → lead",
        "Visite → lead",
        "Leads created in the period / web sessions in the period.",
        "percent",
        "higher_is_better",
        ("leads", "sessions"),
        _ratio("leads", "sessions"),
        kinds=B2B,
    ),
    Kpi(
        "lead_to_mql",
        "Lead → MQL",
        "Lead → MQL",
        "Cohort: share of the leads created in the period that became MQL within the maturity "
        "window (only leads whose window has elapsed).",
        "percent",
        "higher_is_better",
        ("cohort_created_at", "cohort_created_at_to_mql_at"),
        _ratio("cohort_created_at_to_mql_at", "cohort_created_at"),
        kinds=B2B,
    ),
    Kpi(
        "mql_to_sql",
        "MQL → SQL",
        "MQL → SQL",
        "Cohort: share of the leads that reached MQL in the period and later reached SQL "
        "within the maturity window.",
        "percent",
        "higher_is_better",
        ("cohort_mql_at", "cohort_mql_at_to_sql_at"),
        _ratio("cohort_mql_at_to_sql_at", "cohort_mql_at"),
        executive=True,
        kinds=B2B,
    ),
    Kpi(
        "sql_to_opportunity",
        "SQL → opportunity",
        "SQL → opportunité",
        "Cohort: share of the leads that reached SQL in the period and became an opportunity "
        "within the maturity window.",
        "percent",
        "higher_is_better",
        ("cohort_sql_at", "cohort_sql_at_to_opportunity_at"),
        _ratio("cohort_sql_at_to_opportunity_at", "cohort_sql_at"),
        kinds=B2B,
    ),
    Kpi(
        "opportunity_to_won",
        "Opportunity → won",
        "Opportunité → gagnée",
        "Cohort: share of the leads that became an opportunity in the period and a customer "
        "within the maturity window.",
        "percent",
        "higher_is_better",
        ("cohort_opportunity_at", "cohort_opportunity_at_to_customer_at"),
        _ratio("cohort_opportunity_at_to_customer_at", "cohort_opportunity_at"),
        kinds=B2B,
    ),
    Kpi(
        "lead_to_customer",
        "Lead → customer",
        "Lead → client",
        "Period: new customers / leads created in the period.",
        "percent",
        "higher_is_better",
        ("new_customers", "leads"),
        _ratio("new_customers", "leads"),
        executive=True,
        kinds=B2B,
    ),
    Kpi(
        "mql_to_sql_period",
        "MQL → SQL (period)",
        "MQL → SQL (période)",
        "Period: leads that reached SQL in the period / leads that reached MQL in the period.",
        "percent",
        "higher_is_better",
        ("sqls", "mqls"),
        _ratio("sqls", "mqls"),
        kinds=B2B,
    ),
    Kpi(
        "pipeline_created",
        "Pipeline created",
        "Pipeline créé",
        "Sum of the amounts of the deals created in the period.",
        "money",
        "higher_is_better",
        ("pipeline_created",),
        _sum("pipeline_created"),
        kinds=B2B,
    ),
    Kpi(
        "win_rate",
        "Win rate",
        "Taux de gain",
        "Deals won / deals closed (won + lost), by closing date.",
        "percent",
        "higher_is_better",
        ("deals_won", "deals_lost"),
        lambda t: t.deals_won / (t.deals_won + t.deals_lost).nullif(0),
        kinds=B2B,
    ),
    Kpi(
        "average_deal",
        "Average deal",
        "Affaire moyenne",
        "Amount of the deals won in the period / their number.",
        "money",
        "higher_is_better",
        ("won_amount", "deals_won"),
        _ratio("won_amount", "deals_won"),
        kinds=B2B,
    ),
    Kpi(
        "sales_cycle_days",
        "Sales cycle",
        "Cycle de vente",
        "Average days from creation to closing of the deals won in the period.",
        "days",
        "lower_is_better",
        ("won_cycle_days", "deals_won"),
        _ratio("won_cycle_days", "deals_won"),
        kinds=B2B,
    ),
    Kpi(
        "nps",
        "NPS",
        "NPS",
        "%promoters (9–10) − %detractors (0–6), ×100, answers dated in the period.",
        "score",
        "higher_is_better",
        ("promoters", "detractors", "responses"),
        _nps,
        executive=True,
    ),
    Kpi(
        "nps_low",
        "NPS, 95% low",
        "NPS, borne basse 95 %",
        "NPS − 1.96 × 100 × sqrt(((P + D)/N − ((P − D)/N)²)/N): the lower end of the 95% "
        "interval from the variance of the +1/0/−1 scores.",
        "score",
        "higher_is_better",
        ("promoters", "detractors", "responses"),
        lambda t: _nps(t, -Z95),
    ),
    Kpi(
        "nps_high",
        "NPS, 95% high",
        "NPS, borne haute 95 %",
        "NPS + 1.96 × 100 × sqrt(((P + D)/N − ((P − D)/N)²)/N).",
        "score",
        "higher_is_better",
        ("promoters", "detractors", "responses"),
        lambda t: _nps(t, Z95),
    ),
    Kpi(
        "nps_responses",
        "NPS answers",
        "Réponses NPS",
        "Survey answers dated in the period.",
        "count",
        "neutral",
        ("responses",),
        _sum("responses"),
    ),
    Kpi(
        "impressions",
        "Impressions",
        "Impressions",
        "Ad impressions reported by platforms.",
        "count",
        "neutral",
        ("impressions",),
        _sum("impressions"),
        vanity=True,
    ),
    Kpi(
        "clicks",
        "Clicks",
        "Clics",
        "Ad clicks reported by platforms.",
        "count",
        "neutral",
        ("clicks",),
        _sum("clicks"),
        vanity=True,
    ),
    Kpi(
        "sessions",
        "Sessions",
        "Sessions",
        "Web sessions (analytics).",
        "count",
        "neutral",
        ("sessions",),
        _sum("sessions"),
        vanity=True,
    ),
]

KPIS: dict[str, Kpi] = {k.name: k for k in _kpis}
SCORECARD: tuple[str, ...] = tuple(k.name for k in _kpis if k.executive)
