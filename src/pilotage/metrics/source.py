"""Where the metrics read from: one workspace's warehouse, through Ibis on DuckDB."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import duckdb
import ibis
import pyarrow as pa
from ibis.expr.types import Table

from pilotage.metrics.query import QueryError
from pilotage.warehouse import TABLES, Warehouse, connect
from pilotage.warehouse.segments import conform_segments

NO_SEGMENTS = "no saved segments: save a segmentation on the strategy pages first"
SEGMENTS_VIEW = "customer_segments"
COSTS_VIEW = "other_marketing_costs"
# non-media marketing costs: one row per cost (an invoice of the action plan, say)
_OTHER_COSTS_FIELDS: list[pa.Field] = [
    pa.field("date", pa.date32()),
    pa.field("channel", pa.string()),
    pa.field("cost", pa.float64()),
    pa.field("currency", pa.string()),
]
OTHER_COSTS_SCHEMA = pa.schema(_OTHER_COSTS_FIELDS)
RECURRING_VIEW = "recurring_costs"
# costs beyond marketing spend, one row per day: marketing payroll ("payroll") and the sales
# cost ("sales") that the fully loaded KPIs add
_RECURRING_FIELDS: list[pa.Field] = [
    pa.field("date", pa.date32()),
    pa.field("kind", pa.string()),
    pa.field("cost", pa.float64()),
    pa.field("currency", pa.string()),
]
RECURRING_SCHEMA = pa.schema(_RECURRING_FIELDS)


@dataclass
class WarehouseSource:
    """The canonical tables of ``workspace`` as Ibis tables, plus what the cache key needs.

    ``customer_segments`` is the saved customer → segment membership (``customer_id``,
    ``segment``; see ``pilotage.warehouse.segments.read_segments``) that answers the
    ``customer_segment`` dimension; None when no segmentation was saved.

    ``recurring_costs`` are the daily marketing payroll and sales cost (``date``, ``kind``
    — ``payroll`` or ``sales`` —, ``cost``, ``currency``) of the fully loaded KPIs.

    ``other_costs`` are the non-media marketing costs (``date``, ``channel``, ``cost``,
    ``currency``: agency fees, stands, print… — the action plan's invoices) that
    ``marketing_cost`` adds to the media spend; None when there are none.
    """

    warehouse: Warehouse
    workspace: str
    currency: str | None = None  # the workspace currency: money in others is left out, and said
    customer_segments: pa.Table | None = field(default=None, repr=False)
    other_costs: pa.Table | None = field(default=None, repr=False)
    recurring_costs: pa.Table | None = field(default=None, repr=False)
    _tables: dict[str, Table] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.customer_segments is not None:
            self.customer_segments = conform_segments(self.customer_segments)
        if self.other_costs is not None:
            self.other_costs = self.other_costs.select(OTHER_COSTS_SCHEMA.names).cast(
                OTHER_COSTS_SCHEMA
            )
        if self.recurring_costs is not None:
            self.recurring_costs = self.recurring_costs.select(RECURRING_SCHEMA.names).cast(
                RECURRING_SCHEMA
            )

    @cached_property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return connect(self.warehouse, self.workspace)

    @cached_property
    def backend(self) -> ibis.BaseBackend:
        return ibis.duckdb.from_connection(self.connection)

    def table(self, name: str) -> Table:
        if name not in TABLES:
            raise KeyError(name)
        if name not in self._tables:  # reading a table's schema from DuckDB takes ~5 ms
            self._tables[name] = self.backend.table(name)
        return self._tables[name]

    def segments_table(self) -> Table:
        """The customer → segment membership as an Ibis table on this source's DuckDB backend.

        Raises :class:`QueryError` when no membership was given.
        """
        if self.customer_segments is None:
            raise QueryError(NO_SEGMENTS)
        if SEGMENTS_VIEW not in self._tables:
            self.connection.register(SEGMENTS_VIEW, self.customer_segments)
            self._tables[SEGMENTS_VIEW] = self.backend.table(SEGMENTS_VIEW)
        return self._tables[SEGMENTS_VIEW]

    def costs_table(self) -> Table:
        """Media spend and the other marketing costs as one table: ``date``, ``channel``,
        ``campaign`` (null for other costs), ``cost``, ``currency`` (the spend table itself
        when there are no other costs)."""
        if self.other_costs is None or not self.other_costs.num_rows:
            return self.table("spend")
        spend = self.table("spend").select("date", "channel", "campaign", "cost", "currency")
        if COSTS_VIEW not in self._tables:
            self.connection.register(COSTS_VIEW, self.other_costs)
            self._tables[COSTS_VIEW] = self.backend.table(COSTS_VIEW)
        other = self._tables[COSTS_VIEW]
        other = other.select(
            other.date,
            other.channel,
            campaign=ibis.null().cast("string"),
            cost=other.cost,
            currency=other.currency,
        )
        return spend.union(other)

    def recurring_table(self) -> Table:
        """The daily payroll and sales cost (an empty table when none is configured)."""
        if RECURRING_VIEW not in self._tables:
            rows = self.recurring_costs
            if rows is None:
                rows = RECURRING_SCHEMA.empty_table()
            self.connection.register(RECURRING_VIEW, rows)
            self._tables[RECURRING_VIEW] = self.backend.table(RECURRING_VIEW)
        return self._tables[RECURRING_VIEW]

    @cached_property
    def costs_fingerprint(self) -> str | None:
        """A hash of the other and recurring costs: recording one changes the cache key."""
        if self.other_costs is None and self.recurring_costs is None:
            return None
        parts = []
        for table in (self.other_costs, self.recurring_costs):
            if table is not None:
                columns = (table.column(n).to_pylist() for n in table.schema.names)
                parts.append(sorted(zip(*columns, strict=True)))
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]

    @cached_property
    def segments_fingerprint(self) -> str | None:
        """A hash of the membership (row order aside): saving new segments changes the cache key."""
        if self.customer_segments is None:
            return None
        rows = self.customer_segments.sort_by([("customer_id", "ascending")])
        pairs = zip(
            rows.column("customer_id").to_pylist(), rows.column("segment").to_pylist(), strict=True
        )
        text = "\x1e".join(f"{customer}\x1f{segment}" for customer, segment in pairs)
        digest = hashlib.sha256(text.encode())
        return digest.hexdigest()[:24]

    @cached_property
    def versions(self) -> tuple[tuple[str, int | None], ...]:
        """Current Delta version of every table: a new import changes the cache key."""
        return tuple(sorted(self.warehouse.versions(self.workspace).items()))

    def rows_in_other_currencies(self, start: dt.date, end: dt.date) -> dict[str, int]:
        """Rows of the money tables dated in ``[start, end]`` whose currency is not ours."""
        if not self.currency:
            return {}
        after = dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC) + dt.timedelta(days=1)
        bounds = {
            "date": (start, end + dt.timedelta(days=1)),
            "timestamp": (dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC), after),
        }
        counts = []
        for table, time in (("spend", "date"), ("orders", "ordered_at"), ("deals", "created_at")):
            t = self.table(table)
            low, high = bounds["date" if t[time].type().is_date() else "timestamp"]
            rows = t.filter(t.currency != self.currency, t[time] >= low, t[time] < high)
            counts.append(rows.count().name(table))
        row = ibis.memtable(pa.table({"_": [1]})).select(*counts).to_pyarrow().to_pylist()[0]
        return {table: n for table, n in row.items() if n}

    @cached_property
    def kind(self) -> str:
        """``b2b`` when the workspace tracks leads, else ``b2c`` (customers come from orders)."""
        return "b2b" if self.table("leads").count().to_pyarrow().as_py() else "b2c"

    @cached_property
    def last_day(self) -> dt.date | None:
        """The last day with spend or orders: the default ``as_of`` of cohort metrics."""
        spend = self.table("spend").date.max().to_pyarrow().as_py()
        orders = self.table("orders").ordered_at.max().to_pyarrow().as_py()
        days = [d for d in (spend, orders.date() if orders else None) if d is not None]
        return max(days) if days else None
