"""Vega-Lite specs of the attribution page (same conventions as :mod:`pilotage.charts`)."""

from __future__ import annotations

from pilotage.charts import SCHEMA


def grouped_bars(
    rows: list[dict],
    *,
    group: str,
    series: str,
    value: str,
    value_title: str,
    series_title: str,
    series_order: list[str] | None = None,
) -> dict:
    """Vertical bars grouped by ``group`` (one bar per ``series`` within a group).

    ``rows`` have ``group``, ``series`` and ``value`` fields; ``series_order`` fixes the order
    and colours of the series (e.g. the models in the table's column order).
    """
    order = {"sort": series_order} if series_order else {}
    return {
        "$schema": SCHEMA,
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "width": "container",
        "height": 280,
        "encoding": {
            "x": {"field": group, "type": "nominal", "title": None, "axis": {"labelAngle": -30}},
            "xOffset": {"field": series, "type": "nominal", **order},
            "y": {"field": value, "type": "quantitative", "title": value_title},
            "color": {
                "field": series,
                "type": "nominal",
                "title": series_title,
                **({"scale": {"domain": series_order}} if series_order else {}),
            },
            "tooltip": [
                {"field": group, "type": "nominal", "title": ""},
                {"field": series, "type": "nominal", "title": series_title},
                {"field": value, "type": "quantitative", "title": value_title, "format": ",.1f"},
            ],
        },
    }
