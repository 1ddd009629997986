"""Whose rows a measure counts: the customer id behind each row, for the ``customer_segment``
dimension.

The saved membership (``pilotage.warehouse.segments``) uses the customer ids of
``pilotage.models.segmentation``: ``orders.customer_id``, or for B2B without orders the won
deal's ``account_id``, else its ``lead_id``. Each measure that can be split by customer segment
names a *keyer*: a function adding ``_customer``, that id, to its table.

- orders and derived customers: ``customer_id``;
- deals: ``account_id``, else ``lead_id`` (as ``orders_from_deals``);
- leads: the ``account_id`` of the lead's deals (a won deal first, then the earliest created,
  ties by ``deal_id``), else the ``lead_id`` itself — a lead that never became a customer
  matches no saved customer and reads "(none)";
- new customers: the lead (B2B) or the customer (B2C) they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
from ibis.expr.types import Table

if TYPE_CHECKING:
    from pilotage.metrics.measures import Context
    from pilotage.metrics.query import MetricQuery

CUSTOMER_SEGMENT = "customer_segment"
Keyer = Callable[[Table, "Context"], Table]


def asks_customer_segment(query: MetricQuery) -> bool:
    """Whether the query splits or filters by ``customer_segment``."""
    return CUSTOMER_SEGMENT in {*query.dimensions, *(d for d, _ in query.filters)}


def by_customer(column: str) -> Keyer:
    """Rows whose ``column`` is the customer id."""
    return lambda t, ctx: t.mutate(_customer=t[column])


def by_deal(t: Table, ctx: Context) -> Table:
    """Deals: the account, else the lead."""
    return t.mutate(_customer=ibis.coalesce(t.account_id, t.lead_id))


def by_lead(column: str) -> Keyer:
    """Rows whose ``column`` is a lead id: its deals' account, else the lead id."""

    def key(t: Table, ctx: Context) -> Table:
        accounts = lead_accounts(ctx)
        joined = t.left_join(accounts, t[column] == accounts._lead)
        return joined.mutate(_customer=ibis.coalesce(joined._account, joined[column])).drop(
            "_lead", "_account"
        )

    return key


def by_acquired(column: str) -> Keyer:
    """New customers: ``column`` is a lead id in B2B, a customer id in B2C."""
    lead, customer = by_lead(column), by_customer(column)
    return lambda t, ctx: lead(t, ctx) if ctx.source.kind == "b2b" else customer(t, ctx)


def lead_accounts(ctx: Context) -> Table:
    """``_lead`` → ``_account``: one account per lead with a deal on an account.

    A won deal comes first, then the earliest created, ties by ``deal_id``.
    """
    deals = ctx.source.table("deals")
    deals = deals.filter(deals.lead_id.notnull(), deals.account_id.notnull())
    order = ibis.window(
        group_by=deals.lead_id,
        order_by=[(deals.status != "won").cast("int8"), deals.created_at, deals.deal_id],
    )
    ranked = deals.mutate(_rank=ibis.row_number().over(order))
    first = ranked.filter(ranked._rank == 0)
    return first.select(_lead=first.lead_id, _account=first.account_id)
