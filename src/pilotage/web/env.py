"""Typed readers of the environment: the only way settings get their values.

Every variable read here must be listed in ``.env.example`` and ``docs/configuration.md``
(a test fails otherwise).
"""

from __future__ import annotations

import os
from pathlib import Path

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def envstr(name: str, default: str) -> str:
    """The variable, or ``default`` when it is unset or empty (as in .env.example)."""
    return os.environ.get(name) or default


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ValueError(f"{name}={value!r}: expected one of true/false, yes/no, 1/0, on/off")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in (os.environ.get(name) or default).split(",") if item.strip()]


def envpath(name: str, default: str) -> Path:
    return Path(os.environ.get(name) or default).expanduser().resolve()


def envsecret(name: str, fallback_file: Path) -> str:
    """The secret in ``name``, or one generated once and kept in ``fallback_file``."""
    value = os.environ.get(name)
    if value:
        return value
    if fallback_file.exists():
        return fallback_file.read_text().strip()
    import secrets

    fallback_file.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    fallback_file.write_text(value)
    fallback_file.chmod(0o600)
    return value
