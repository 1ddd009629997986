"""Fixtures of the execution tests: the task exports under ``fixtures/``."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def export():
    """The bytes of a fixture file, by name."""

    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read
