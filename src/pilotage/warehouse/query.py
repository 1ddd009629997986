"""Read the warehouse with DuckDB: one in-process connection, one view per canonical table.

Views scan the Parquet files of each table's current Delta version with ``read_parquet`` — no
DuckDB extension is needed (extensions would have to be downloaded at run time).
"""

from __future__ import annotations

import duckdb

from pilotage.warehouse.schema import SCHEMAS, empty_table
from pilotage.warehouse.store import AsOf, Warehouse


def connect(warehouse: Warehouse, workspace: str, as_of: AsOf = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection where ``spend``, ``leads``, … are the workspace's current tables.

    ``as_of`` (a Delta version number or a datetime) shows the tables as they were then:
    "what did we know on 1 October?".

    >>> import tempfile, pathlib
    >>> con = connect(Warehouse(pathlib.Path(tempfile.mkdtemp())), "acme")
    >>> con.execute("select count(*) from spend").fetchone()
    (0,)
    """
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    for table in SCHEMAS:
        files = warehouse.files(workspace, table, as_of)
        if files:
            listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{listing}])")
        else:
            con.register(f"_empty_{table}", empty_table(table))
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _empty_{table}")
    return con
