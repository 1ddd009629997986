"""Printable documents (agency briefs, the marketing plan) rendered to PDF with Typst.

A document is a Typst template in this folder fed with one JSON object (``sys.inputs.data``):
the data is read as values, never as markup, so nothing a user typed can change the layout.
Typst is a Python package with its fonts built in: no system library, no network.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typst

HERE = Path(__file__).parent


def render_pdf(template: str, data: dict[str, Any]) -> bytes:
    """The PDF of ``<template>.typ`` filled with ``data`` (JSON-serialisable values)."""
    source = HERE / f"{template}.typ"
    if not source.is_file():
        raise ValueError(f"no document template named {template!r}")
    payload = json.dumps(data, ensure_ascii=False, default=str)
    pdf = typst.compile(str(source), root=str(HERE), format="pdf", sys_inputs={"data": payload})
    assert isinstance(pdf, bytes)
    return pdf
