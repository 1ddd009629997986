"""What the workspace home and the portfolio show: warehouse figures → template context."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pilotage import charts
from pilotage.metrics import overview
from pilotage.warehouse import connect
from pilotage.web.workspaces.models import Membership, Workspace
from pilotage.web.workspaces.services import warehouse

LAST_12 = "last12"


@dataclass(frozen=True)
class PortfolioCard:
    membership: Membership
    headline: overview.Headline | None


def portfolio_card(membership: Membership) -> PortfolioCard:
    con = connect(warehouse(), membership.workspace.slug)
    return PortfolioCard(membership, overview.headline(con))


def _period(con, choice: str | None) -> tuple[str, overview.Period | None]:
    end = overview.last_data_day(con)
    if end is None:
        return LAST_12, None
    if choice and re.fullmatch(r"\d{4}", choice) and int(choice) in overview.data_years(con):
        return choice, overview.Period.year(int(choice))
    return LAST_12, overview.Period.last_12_months(end)


def panel(workspace: Workspace, membership: Membership, choice: str | None) -> dict:
    """Context of the home page's charts for the chosen period (last 12 months or a year)."""
    con = connect(warehouse(), workspace.slug)
    choice, period = _period(con, choice)
    context: dict = {
        "period_choice": choice,
        "period": period,
        "years": overview.data_years(con),
        "charts": [],
    }
    if period is None:
        return context
    palette = overview.channels(con)
    if membership.sees_financials:
        rows = overview.spend_by_channel_month(con, period)
        title = _("Marketing spend (%(currency)s)") % {"currency": workspace.currency}
        spec = charts.stacked_monthly_bars(
            rows,
            value="cost",
            value_title=title,
            color_title=_("Channel"),
            value_format="~s",
            channels=palette,
        )
        context["charts"].append({"id": "spend", "title": _("Spend by channel"), "spec": spec})
    unit = overview.demand_unit(con)
    label = _("Leads") if unit == "leads" else _("New customers")
    rows = overview.demand_by_month(con, period)
    spec = charts.stacked_monthly_bars(
        rows,
        value="count",
        value_title=label,
        color_title=_("Channel"),
        value_format=",d",
        channels=palette,
    )
    title = _("Leads by month") if unit == "leads" else _("New customers by month")
    context["charts"].append({"id": "demand", "title": title, "spec": spec})
    return context
