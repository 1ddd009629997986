"""The warehouse: canonical marketing tables as Delta Lake tables, read with DuckDB."""

from pilotage.warehouse.query import connect
from pilotage.warehouse.schema import SCHEMAS, TABLES, SchemaError, conform
from pilotage.warehouse.store import Warehouse

__all__ = ["SCHEMAS", "TABLES", "SchemaError", "Warehouse", "conform", "connect"]
