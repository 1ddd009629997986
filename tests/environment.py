"""Loaded with ``-p tests.environment`` before pytest-django imports the settings.

Each test run keeps its app files (secret key, warehouse, static root) in a temporary home, and
never uses PostgreSQL unless PILOTAGE_DATABASE_URL says so.
"""

import os
import tempfile

os.environ.setdefault("PILOTAGE_HOME", tempfile.mkdtemp(prefix="pilotage-test-"))
os.environ.pop("PILOTAGE_WAREHOUSE_DIR", None)
