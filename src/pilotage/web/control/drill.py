"""The rows behind a figure of the control page: spend lines and new customers of a channel."""

from __future__ import annotations

from typing import Any

from pilotage.web.control.scorecard import period_for, source_for
from pilotage.web.workspaces.models import Workspace

LIMIT = 500


def rows(workspace: Workspace, choice: str | None, channel: str | None) -> dict[str, Any]:
    source = source_for(workspace)
    choice, period = period_for(source, choice)
    context: dict[str, Any] = {"channel": channel, "period": period, "period_choice": choice}
    if period is None or not channel:
        return context
    spend = source.table("spend")
    spend = spend.filter(
        spend.channel == channel,
        spend.date >= period.start,
        spend.date <= period.end,
        spend.currency == workspace.currency,
    )
    context["spend_total"] = spend.cost.sum().to_pyarrow().as_py() or 0.0
    context["spend_count"] = spend.count().to_pyarrow().as_py()
    context["spend_rows"] = (
        spend.order_by("date")
        .limit(LIMIT)
        .select("date", "campaign", "cost")
        .to_pyarrow()
        .to_pylist()
    )
    if source.kind == "b2b":
        leads = source.table("leads")
        won = leads.filter(
            leads.channel == channel,
            leads.customer_at.date() >= period.start,
            leads.customer_at.date() <= period.end,
        )
        context["customer_rows"] = (
            won.order_by("customer_at")
            .limit(LIMIT)
            .select("lead_id", "created_at", "customer_at", "industry", "region")
            .to_pyarrow()
            .to_pylist()
        )
    context["limit"] = LIMIT
    return context
