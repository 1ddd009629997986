"""PostgreSQL is the team deployment's database: the suite's database tests run on it too.

`make test` runs ``pytest -m django_db tests/web`` a second time with PILOTAGE_DATABASE_URL set
to PILOTAGE_TEST_POSTGRES_URL. This test checks that server is really there when promised.
"""

import os

import psycopg
import pytest

URL = os.environ.get("PILOTAGE_TEST_POSTGRES_URL")


@pytest.mark.skipif(not URL, reason="PILOTAGE_TEST_POSTGRES_URL is not set: no PostgreSQL run")
def test_it_reaches_the_postgresql_server_the_database_tests_will_use():
    with psycopg.connect(URL, connect_timeout=5) as conn:
        version = conn.execute("show server_version_num").fetchone()[0]
        can_create = conn.execute(
            "select rolcreatedb or rolsuper from pg_roles where rolname = current_user"
        ).fetchone()[0]
    assert int(version) >= 130000
    assert can_create, "the test role must be allowed to create the test database"
