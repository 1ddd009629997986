"""Canonical table schemas (DESIGN.md §4) and ``conform``, which fits data to them."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from pilotage.warehouse import SCHEMAS, TABLES, SchemaError, conform
from pilotage.warehouse.schema import empty_table

# DESIGN.md §4, key columns of each table. web_traffic's GA "source" is stored as
# `traffic_source` because `source` is the lineage column every table carries.
DESIGN_COLUMNS = {
    "spend": "date channel campaign cost currency impressions clicks platform_conversions "
    "platform_conversion_value",
    "leads": "lead_id created_at channel campaign industry company_size region country mql_at "
    "sql_at opportunity_at customer_at disqualified_at",
    "deals": "deal_id lead_id account_id created_at closed_at stage status amount currency "
    "channel pipeline",
    "orders": "order_id customer_id ordered_at revenue gross_margin currency acquisition_channel",
    "touchpoints": "journey_id occurred_at channel campaign interaction converted conversion_value",
    "web_traffic": "date channel traffic_source medium campaign sessions users engaged_sessions "
    "key_events revenue",
    "email_campaigns": "sent_at campaign recipients delivered unique_opens unique_clicks "
    "unsubscribes bounces",
    "survey_responses": "responded_at respondent_id score comment segment",
}


def spend_data(**overrides: object) -> dict[str, list]:
    """Two valid spend rows as plain Python lists, columns deliberately out of order."""
    data: dict[str, list] = {
        "import_id": ["batch-1", "batch-1"],
        "source": ["google-ads.csv", "google-ads.csv"],
        "cost": [120.5, 80],
        "channel": ["Paid search", "Paid search"],
        "date": [dt.date(2024, 3, 1), dt.date(2024, 3, 2)],
        "campaign": ["Marque", None],
        "currency": ["EUR", "EUR"],
        "impressions": [1000, None],
        "clicks": [50, None],
        "platform_conversions": [1.5, None],
        "platform_conversion_value": [None, None],
    }
    data.update(overrides)
    return data


def test_it_defines_the_eight_canonical_tables_of_the_design():
    assert set(TABLES) == set(DESIGN_COLUMNS)
    assert tuple(SCHEMAS) == TABLES


@pytest.mark.parametrize("table", sorted(DESIGN_COLUMNS))
def test_it_holds_the_design_columns_then_the_lineage_columns(table):
    schema = SCHEMAS[table]
    assert schema.names == DESIGN_COLUMNS[table].split() + ["source", "import_id"]
    for lineage in ("source", "import_id"):
        assert schema.field(lineage).type == pa.string()
        assert not schema.field(lineage).nullable


@pytest.mark.parametrize("table", sorted(DESIGN_COLUMNS))
def test_it_stores_timestamps_in_utc_microseconds_and_money_as_floats(table):
    for field in SCHEMAS[table]:
        if pa.types.is_timestamp(field.type):
            assert field.type == pa.timestamp("us", tz="UTC"), field.name
        if field.name in {"cost", "amount", "revenue", "gross_margin", "conversion_value"}:
            assert field.type == pa.float64(), field.name


@pytest.mark.parametrize("table", sorted(DESIGN_COLUMNS))
def test_it_gives_an_empty_table_with_the_canonical_schema(table):
    empty = empty_table(table)
    assert empty.num_rows == 0
    assert empty.schema.equals(SCHEMAS[table])
    assert conform(table, empty).equals(empty)


def test_it_orders_and_casts_the_columns_to_the_canonical_schema():
    table = conform("spend", spend_data())
    assert table.schema.equals(SCHEMAS["spend"])
    assert table.column("cost").to_pylist() == [120.5, 80.0]
    assert table.column("campaign").to_pylist() == ["Marque", None]
    assert table.column("date").to_pylist() == [dt.date(2024, 3, 1), dt.date(2024, 3, 2)]


def test_it_accepts_an_arrow_table_with_looser_types():
    loose = pa.table(spend_data(cost=pa.array([120, 80], pa.int32())))
    table = conform("spend", loose)
    assert table.column("cost").type == pa.float64()
    assert table.column("cost").to_pylist() == [120.0, 80.0]


def test_it_reads_naive_and_offset_timestamps_as_utc():
    paris = dt.timezone(dt.timedelta(hours=2))
    data = {
        "responded_at": [
            dt.datetime(2024, 6, 1, 12, 0),
            dt.datetime(2024, 6, 1, 14, 0, tzinfo=paris),
        ],
        "respondent_id": ["C1", "C2"],
        "score": [9, 3],
        "comment": [None, "Trop cher"],
        "segment": [None, None],
        "source": ["survey.csv"] * 2,
        "import_id": ["b"] * 2,
    }
    table = conform("survey_responses", data)
    utc_noon = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
    assert table.column("responded_at").to_pylist() == [utc_noon, utc_noon]
    assert table.column("score").type == pa.int8()


def test_it_names_the_table_and_the_column_when_a_column_is_missing():
    data = spend_data()
    del data["currency"]
    with pytest.raises(SchemaError, match=r"'spend'.*missing columns \['currency'\]"):
        conform("spend", data)


def test_it_names_an_unexpected_column():
    with pytest.raises(SchemaError, match=r"'spend'.*unexpected columns \['budget'\]"):
        conform("spend", spend_data(budget=[1, 2]))


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("cost", ["douze euros", "80"]),  # text that is not a number
        ("date", [1, 2]),  # integers cannot become dates
        ("impressions", [1.5, None]),  # a fraction would be truncated
        ("campaign", [[1], [2]]),  # lists are not text
    ],
)
def test_it_names_the_table_and_the_column_when_a_type_is_wrong(column, values):
    with pytest.raises(SchemaError, match=rf"table 'spend', column '{column}': expected "):
        conform("spend", spend_data(**{column: values}))


def test_it_names_the_column_when_a_score_does_not_fit_its_type():
    data = {
        "responded_at": [dt.datetime(2024, 6, 1, tzinfo=dt.UTC)],
        "respondent_id": ["C1"],
        "score": [300],
        "comment": [None],
        "segment": [None],
        "source": ["s"],
        "import_id": ["b"],
    }
    with pytest.raises(SchemaError, match="'survey_responses', column 'score'"):
        conform("survey_responses", data)


@pytest.mark.parametrize("column", ["date", "channel", "cost", "currency", "source", "import_id"])
def test_it_names_the_table_and_the_column_when_a_required_value_is_null(column):
    values = spend_data()[column]
    with pytest.raises(SchemaError, match=rf"table 'spend', column '{column}': 1 empty values"):
        conform("spend", spend_data(**{column: [values[0], None]}))


def test_it_accepts_nulls_in_optional_columns():
    table = conform("spend", spend_data(campaign=[None, None], clicks=[None, None]))
    assert table.column("campaign").null_count == 2


def test_it_rejects_an_unknown_table():
    with pytest.raises(SchemaError, match="unknown table 'budget'"):
        conform("budget", spend_data())


def test_it_makes_schema_errors_value_errors():
    assert issubclass(SchemaError, ValueError)
