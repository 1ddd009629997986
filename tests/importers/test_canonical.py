"""Pilotage's own format: CSV or Parquet named after the canonical columns; the bulk path and
the checked path give the same rows, and only the checked path reports problems."""

from __future__ import annotations

import datetime as dt
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pilotage.importers import Context, Rejected, prepare
from pilotage.warehouse import SCHEMAS

SPEND = (
    b"date,channel,campaign,cost,currency,impressions,clicks\n"
    b"2026-01-01,Paid search,Brand,12.5,EUR,100,5\n"
    b"2026-01-02,Email,,13,EUR,,\n"
)
TOUCH = (
    b"journey_id,occurred_at,channel,campaign,interaction,converted,conversion_value\n"
    b"J1,2026-01-01T10:00:00Z,Paid search,Brand,click,false,\n"
    b"J1,2026-01-03T09:30:00Z,Email,,open,TRUE,120.5\n"
)


def lineage_free(prepared, table):
    return [
        {k: v for k, v in r.items() if k not in ("source", "import_id")}
        for r in prepared.tables[table].to_pylist()
    ]


def test_spend_csv_is_detected_and_read():
    prepared = prepare(SPEND, "spend.csv")
    assert prepared.importer == "pilotage_spend"
    assert prepared.details["bulk"] is True
    assert lineage_free(prepared, "spend") == [
        {
            "date": dt.date(2026, 1, 1),
            "channel": "Paid search",
            "campaign": "Brand",
            "cost": 12.5,
            "currency": "EUR",
            "impressions": 100,
            "clicks": 5,
            "platform_conversions": None,
            "platform_conversion_value": None,
        },
        {
            "date": dt.date(2026, 1, 2),
            "channel": "Email",
            "campaign": None,
            "cost": 13.0,
            "currency": "EUR",
            "impressions": None,
            "clicks": None,
            "platform_conversions": None,
            "platform_conversion_value": None,
        },
    ]


@pytest.mark.parametrize("data", [SPEND, TOUCH])
def test_bulk_and_checked_paths_agree(data):
    bulk = prepare(data, "f.csv")
    # a non-UTC time zone sends the file through the checked path (these times are explicit)
    checked = prepare(data, "f.csv", context=Context(timezone="Europe/Paris"))
    assert bulk.details.get("bulk") is True and "bulk" not in checked.details
    table = next(iter(bulk.tables))
    assert lineage_free(bulk, table) == lineage_free(checked, table)


def test_touchpoints_with_booleans_and_utc_times():
    rows = lineage_free(prepare(TOUCH, "touchpoints.csv"), "touchpoints")
    assert [(r["occurred_at"], r["converted"], r["conversion_value"]) for r in rows] == [
        (dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC), False, None),
        (dt.datetime(2026, 1, 3, 9, 30, tzinfo=dt.UTC), True, 120.5),
    ]


def test_parquet_files_are_accepted():
    table = prepare(SPEND, "spend.csv").tables["spend"].drop_columns(["source", "import_id"])
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    prepared = prepare(buffer.getvalue(), "spend.parquet")
    assert (prepared.importer, prepared.kind) == ("pilotage_spend", "parquet")
    assert prepared.tables["spend"].drop_columns(["source", "import_id"]).equals(table)


def test_a_parquet_file_that_does_not_fit_is_refused_with_the_reason():
    buffer = io.BytesIO()
    pq.write_table(
        pa.table(
            {"date": [dt.date(2026, 1, 1)], "channel": [None], "cost": [1.0], "currency": ["EUR"]}
        ),
        buffer,
    )
    with pytest.raises(Rejected) as caught:
        prepare(buffer.getvalue(), "spend.parquet")
    assert caught.value.problems[0].code == "schema"
    assert "channel" in caught.value.problems[0].message()


def test_problems_in_a_canonical_file_have_lines_and_columns():
    data = (
        b"lead_id,created_at,channel,country\n"
        b"L1,2026-01-01,Email,FR\n"
        b"L2,not a date,Email,FR\n"
        b"L1,2026-01-03,Webinars,FR\n"
        b",2026-01-04,Email,FR\n"
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "leads.csv")
    assert [(p.line, p.column, p.code) for p in caught.value.problems] == [
        (3, "created_at", "date"),
        (4, "lead_id", "duplicate_key"),
        (5, "lead_id", "required"),
    ]
    assert "first on line 2" in caught.value.problems[1].message()


def test_unknown_columns_are_named():
    data = b"date,channel,cost,currency,colour\n2026-01-01,Email,1,EUR,red\n"
    with pytest.raises(Rejected) as caught:
        prepare(data, "spend.csv")
    assert [(p.column, p.code) for p in caught.value.problems] == [("colour", "unexpected_column")]


def test_every_canonical_table_has_an_importer():
    from pilotage.importers import importers

    assert {f"pilotage_{t}" for t in SCHEMAS} <= set(importers())
