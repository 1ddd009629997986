"""A tiny hand-made B2B and B2C warehouse whose KPIs are computed by hand in the tests."""

from __future__ import annotations

import datetime as dt

from pilotage.warehouse import Warehouse
from pilotage.warehouse.schema import SCHEMAS, conform

BATCH = "fixture"


def ts(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def _rows(table: str, rows: list[dict], batch: str = BATCH):
    columns: dict[str, list] = {f.name: [] for f in SCHEMAS[table]}
    for row in rows:
        full = {name: None for name in columns} | row | {"source": "test", "import_id": batch}
        for name in columns:
            columns[name].append(full[name])
    return conform(table, columns)


def spend(day, channel, cost, currency="EUR", campaign=None):
    return {
        "date": d(day),
        "channel": channel,
        "campaign": campaign,
        "cost": cost,
        "currency": currency,
    }


def lead(lead_id, created, channel, mql=None, sql=None, opp=None, customer=None, industry="Chimie"):
    return {
        "lead_id": lead_id,
        "created_at": ts(created),
        "channel": channel,
        "industry": industry,
        "region": "Grand Est",
        "country": "FR",
        "company_size": "50-249",
        "mql_at": mql and ts(mql),
        "sql_at": sql and ts(sql),
        "opportunity_at": opp and ts(opp),
        "customer_at": customer and ts(customer),
    }


def deal(deal_id, created, closed, status, amount, channel):
    return {
        "deal_id": deal_id,
        "created_at": ts(created),
        "closed_at": closed and ts(closed),
        "stage": status,
        "status": status,
        "amount": amount,
        "currency": "EUR",
        "channel": channel,
    }


def order(order_id, customer, at, revenue, margin, channel):
    return {
        "order_id": order_id,
        "customer_id": customer,
        "ordered_at": ts(at),
        "revenue": revenue,
        "gross_margin": margin,
        "currency": "EUR",
        "acquisition_channel": channel,
    }


def b2b_warehouse(root) -> Warehouse:
    warehouse = Warehouse(root)
    tables = {
        "spend": [
            spend("2025-01-10", "Paid search", 1000.0),
            spend("2025-01-20", "Trade shows", 5000.0),
            spend("2025-02-05", "Paid search", 2000.0),
            spend("2025-02-06", "Paid search", 500.0, currency="USD"),
            spend("2024-12-31", "Paid search", 700.0),
        ],
        "leads": [
            lead(
                "L1",
                "2025-01-11",
                "Paid search",
                "2025-01-15",
                "2025-01-25",
                "2025-02-10",
                "2025-03-01",
            ),
            lead("L2", "2025-01-12", "Paid search", "2025-01-20"),
            lead("L3", "2025-01-21", "Trade shows", None, "2025-02-01"),  # skipped MQL
            lead(
                "L4",
                "2025-02-07",
                "Trade shows",
                "2025-02-08",
                "2025-02-20",
                "2025-03-05",
                "2025-03-20",
                industry="BTP",
            ),
            lead("L5", "2025-02-10", "Direct"),
        ],
        "deals": [
            deal("D1", "2025-02-10", "2025-03-01", "won", 30000.0, "Paid search"),
            deal("D2", "2025-03-05", "2025-03-20", "won", 20000.0, "Trade shows"),
            deal("D3", "2025-02-15", "2025-03-10", "lost", 10000.0, "Paid search"),
        ],
        "orders": [
            order("O1", "A1", "2025-03-01", 30000.0, 9000.0, "Paid search"),
            order("O2", "A1", "2025-04-01", 5000.0, None, "Paid search"),  # margin unknown
            order("O3", "A1", "2025-04-15", -1000.0, -300.0, "Paid search"),  # a refund
            order("O4", "A4", "2025-03-20", 20000.0, 6000.0, "Trade shows"),
            order("O5", "E1", "2025-01-05", 50000.0, 15000.0, None),  # historical account
        ],
        "web_traffic": [
            {"date": d("2025-01-10"), "channel": "Paid search", "sessions": 100},
        ],
        "survey_responses": [
            {
                "responded_at": ts("2025-03-15"),
                "respondent_id": f"R{i}",
                "score": s,
                "segment": "Client fidèle",
            }
            for i, s in enumerate([10, 9, 8, 7, 6, 0, 10])
        ],
    }
    for name, rows in tables.items():
        warehouse.write_batch("acme", name, _rows(name, rows), BATCH)
    return warehouse


def b2c_warehouse(root) -> Warehouse:
    warehouse = Warehouse(root)
    tables = {
        "spend": [
            spend("2025-01-05", "Paid social", 200.0),
            spend("2025-01-06", "Email", 100.0),
        ],
        "orders": [
            order("O1", "C1", "2025-01-10", 100.0, 30.0, "Paid social"),
            order("O2", "C1", "2025-02-10", 50.0, 15.0, "Paid social"),
            order("O3", "C2", "2025-02-01", 80.0, 24.0, "Email"),
            order("O4", "C3", "2024-12-20", 60.0, 18.0, "Paid social"),
            order("O5", "C3", "2025-01-15", 40.0, 12.0, "Paid social"),
        ],
    }
    for name, rows in tables.items():
        warehouse.write_batch("shop", name, _rows(name, rows), BATCH)
    return warehouse
