"""The canonical marketing tables (DESIGN.md §4) as Arrow schemas.

Every table carries ``source`` (the system or file it came from) and ``import_id`` (the batch
that wrote it); the workspace is implicit, one table set per workspace.
"""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
MONEY = pa.float64()  # analytics floats; the app database keeps Decimal

_LINEAGE = [
    pa.field("source", pa.string(), nullable=False),
    pa.field("import_id", pa.string(), nullable=False),
]


def _schema(*fields: pa.Field) -> pa.Schema:
    return pa.schema([*fields, *_LINEAGE])


SCHEMAS: dict[str, pa.Schema] = {
    "spend": _schema(
        pa.field("date", pa.date32(), nullable=False),
        pa.field("channel", pa.string(), nullable=False),
        pa.field("campaign", pa.string()),
        pa.field("cost", MONEY, nullable=False),
        pa.field("currency", pa.string(), nullable=False),
        pa.field("impressions", pa.int64()),
        pa.field("clicks", pa.int64()),
        pa.field("platform_conversions", pa.float64()),
        pa.field("platform_conversion_value", MONEY),
    ),
    "leads": _schema(
        pa.field("lead_id", pa.string(), nullable=False),
        pa.field("created_at", TS, nullable=False),
        pa.field("channel", pa.string()),
        pa.field("campaign", pa.string()),
        pa.field("industry", pa.string()),
        pa.field("company_size", pa.string()),
        pa.field("region", pa.string()),
        pa.field("country", pa.string()),
        pa.field("mql_at", TS),
        pa.field("sql_at", TS),
        pa.field("opportunity_at", TS),
        pa.field("customer_at", TS),
        pa.field("disqualified_at", TS),
    ),
    "deals": _schema(
        pa.field("deal_id", pa.string(), nullable=False),
        pa.field("lead_id", pa.string()),
        pa.field("account_id", pa.string()),
        pa.field("created_at", TS, nullable=False),
        pa.field("closed_at", TS),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),  # open / won / lost
        pa.field("amount", MONEY),
        pa.field("currency", pa.string(), nullable=False),
        pa.field("channel", pa.string()),
        pa.field("pipeline", pa.string()),
    ),
    "orders": _schema(
        pa.field("order_id", pa.string(), nullable=False),
        pa.field("customer_id", pa.string(), nullable=False),
        pa.field("ordered_at", TS, nullable=False),
        pa.field("revenue", MONEY, nullable=False),
        pa.field("gross_margin", MONEY),
        pa.field("currency", pa.string(), nullable=False),
        pa.field("acquisition_channel", pa.string()),
    ),
    "touchpoints": _schema(
        pa.field("journey_id", pa.string(), nullable=False),
        pa.field("occurred_at", TS, nullable=False),
        pa.field("channel", pa.string(), nullable=False),
        pa.field("campaign", pa.string()),
        pa.field("interaction", pa.string()),
        pa.field("converted", pa.bool_(), nullable=False),
        pa.field("conversion_value", MONEY),
    ),
    "web_traffic": _schema(
        pa.field("date", pa.date32(), nullable=False),
        pa.field("channel", pa.string(), nullable=False),
        pa.field("traffic_source", pa.string()),  # GA "source"; `source` is the lineage column
        pa.field("medium", pa.string()),
        pa.field("campaign", pa.string()),
        pa.field("sessions", pa.int64()),
        pa.field("users", pa.int64()),
        pa.field("engaged_sessions", pa.int64()),
        pa.field("key_events", pa.float64()),
        pa.field("revenue", MONEY),
    ),
    "email_campaigns": _schema(
        pa.field("sent_at", TS, nullable=False),
        pa.field("campaign", pa.string(), nullable=False),
        pa.field("recipients", pa.int64()),
        pa.field("delivered", pa.int64()),
        pa.field("unique_opens", pa.int64()),
        pa.field("unique_clicks", pa.int64()),
        pa.field("unsubscribes", pa.int64()),
        pa.field("bounces", pa.int64()),
    ),
    "survey_responses": _schema(
        pa.field("responded_at", TS, nullable=False),
        pa.field("respondent_id", pa.string(), nullable=False),
        pa.field("score", pa.int8(), nullable=False),
        pa.field("comment", pa.string()),
        pa.field("segment", pa.string()),
    ),
}

TABLES: tuple[str, ...] = tuple(SCHEMAS)

# Tables holding one row per source record: a newer import of the same record replaces the
# older row (upsert by key) instead of adding a second one. A survey answer is keyed by its
# respondent and time, so a newer CRM export carrying the same NPS answers does not count
# them twice.
UPSERT_KEYS: dict[str, tuple[str, ...]] = {
    "leads": ("lead_id",),
    "deals": ("deal_id",),
    "survey_responses": ("respondent_id", "responded_at"),
}


def constant(value: str, rows: int) -> pa.Array:
    """A string column holding ``value`` on every row, built without a Python list.

    >>> constant("ab", 3).to_pylist()
    ['ab', 'ab', 'ab']
    """
    import numpy as np

    encoded = value.encode()
    offsets = np.arange(rows + 1, dtype=np.int64) * len(encoded)
    return pa.Array.from_buffers(
        pa.large_string(),
        rows,
        [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(encoded * rows)],
    ).cast(pa.string())


def empty_table(name: str) -> pa.Table:
    """An empty table with the canonical schema of ``name``."""
    return SCHEMAS[name].empty_table()


def conform(name: str, data: dict[str, object] | pa.Table) -> pa.Table:
    """Cast ``data`` to the canonical schema of ``name``, column order included.

    Raises ``SchemaError`` naming the table and the column when a column is missing, unexpected,
    of a type that cannot be cast, or null where the schema forbids it.
    """
    schema = SCHEMAS.get(name)
    if schema is None:
        raise SchemaError(f"unknown table {name!r}; expected one of {', '.join(TABLES)}")
    table = data if isinstance(data, pa.Table) else pa.table(data)
    missing = [f.name for f in schema if f.name not in table.column_names]
    extra = [c for c in table.column_names if c not in schema.names]
    if missing or extra:
        raise SchemaError(
            f"table {name!r}: missing columns {missing or 'none'}, "
            f"unexpected columns {extra or 'none'}"
        )
    columns = []
    for field in schema:
        column = table.column(field.name)
        try:
            column = column.cast(field.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise SchemaError(
                f"table {name!r}, column {field.name!r}: expected {field.type}, got {column.type}"
            ) from exc
        if not field.nullable and column.null_count:
            raise SchemaError(
                f"table {name!r}, column {field.name!r}: {column.null_count} empty values, "
                "but this column is required"
            )
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


class SchemaError(ValueError):
    """Data does not fit a canonical table."""
