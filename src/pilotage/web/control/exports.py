"""CSV and XLSX exports of the control page's tables: the same query, the same numbers."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook

from pilotage.metrics import KPIS
from pilotage.web.control import scorecard
from pilotage.web.control.attribution_setting import model_of
from pilotage.web.workspaces.models import Workspace

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @) is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def channel_table_rows(
    workspace: Workspace, choice: str | None
) -> tuple[str, list[str], list[list]]:
    source = scorecard.source_for(workspace)
    choice, period = scorecard.period_for(source, choice)
    if period is None:
        return choice, ["channel"], []
    metrics, rows = scorecard.channel_table(source, period, model_of(workspace))
    header = ["channel", *metrics]
    return choice, header, [[_cell(row["channel"]), *(row[m] for m in metrics)] for row in rows]


def channel_table(workspace: Workspace, choice: str | None, fmt: str) -> HttpResponse:
    choice, header, rows = channel_table_rows(workspace, choice)  # a checked period choice
    name = f"{slugify(workspace.name)}-channels-{choice}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = "Channels"
        sheet.append([h if h == "channel" else KPIS[h].label for h in header])
        for row in rows:
            sheet.append(row)
        data = io.BytesIO()
        book.save(data)
        response = HttpResponse(data.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
