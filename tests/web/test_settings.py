"""Settings come only from documented environment variables."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from pilotage.web import env

ROOT = Path(__file__).resolve().parents[2]


def _variables_read_by_code() -> set[str]:
    names = set()
    for path in [*ROOT.joinpath("src").rglob("*.py"), ROOT / "Makefile", ROOT / ".ci" / "run"]:
        names |= set(re.findall(r"\b(PILOTAGE_[A-Z_]+)\b", path.read_text(encoding="utf-8")))
    return names


def test_it_reads_at_least_the_core_variables():
    assert {
        "PILOTAGE_HOME",
        "PILOTAGE_DATABASE_URL",
        "PILOTAGE_SECRET_KEY",
    } <= _variables_read_by_code()


@pytest.mark.parametrize("doc", [".env.example", "docs/configuration.md"])
def test_it_documents_every_variable_the_code_reads(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    undocumented = sorted(n for n in _variables_read_by_code() if n not in text)
    assert not undocumented, f"{doc} does not document {undocumented}"


def test_it_refuses_a_boolean_it_cannot_read(monkeypatch):
    monkeypatch.setenv("PILOTAGE_DEBUG", "maybe")
    with pytest.raises(ValueError, match="PILOTAGE_DEBUG='maybe'"):
        env.envbool("PILOTAGE_DEBUG", False)


@pytest.mark.parametrize(("raw", "expected"), [("yes", True), ("0", False), ("On", True)])
def test_it_reads_booleans_in_several_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("PILOTAGE_DEBUG", raw)
    assert env.envbool("PILOTAGE_DEBUG", not expected) is expected


def test_it_keeps_a_generated_secret_key_between_starts(tmp_path, monkeypatch):
    monkeypatch.delenv("PILOTAGE_SECRET_KEY", raising=False)
    first = env.envsecret("PILOTAGE_SECRET_KEY", tmp_path / "secret_key")
    assert len(first) > 40
    assert env.envsecret("PILOTAGE_SECRET_KEY", tmp_path / "secret_key") == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_it_puts_the_app_files_under_pilotage_home():
    assert settings.PILOTAGE_WAREHOUSE_DIR == settings.PILOTAGE_HOME / "warehouse"


@pytest.mark.django_db
def test_it_runs_sqlite_in_wal_mode(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the app database of this run is not SQLite")
    db = tmp_path / "app.sqlite3"
    code = (
        "import django, os; from django.db import connection\n"
        "django.setup(); cur = connection.cursor()\n"
        "print(cur.execute('PRAGMA journal_mode').fetchone()[0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "DJANGO_SETTINGS_MODULE": "pilotage.web.settings",
            "PILOTAGE_HOME": str(tmp_path),
            "PILOTAGE_DATABASE_URL": f"sqlite:///{db}",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "wal"


def test_it_passes_the_deployment_checks_when_secure(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env={
            "PILOTAGE_HOME": str(tmp_path),
            "PILOTAGE_SECURE": "true",
            "PILOTAGE_SECRET_KEY": "x" * 60 + "-not-a-real-secret-but-long-and-varied-0123456789",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
