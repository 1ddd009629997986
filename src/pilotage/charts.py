"""Vega-Lite chart specifications: one spec for the web page and, later, the reports."""

from __future__ import annotations

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def stacked_monthly_bars(
    rows: list[dict],
    *,
    value: str,
    value_title: str,
    color_title: str,
    value_format: str,
    channels: list[str] | None = None,
) -> dict:
    """Monthly bars stacked by channel; ``rows`` have ``month`` (ISO date), ``channel``, value.

    Give every chart of a page the same ``channels`` so a channel keeps its colour across charts.
    """
    return {
        "$schema": SCHEMA,
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "width": "container",
        "height": 260,
        "encoding": {
            "x": {
                "field": "month",
                "type": "temporal",
                "timeUnit": "yearmonth",
                "title": None,
                "axis": {"format": "%b %Y", "labelAngle": -40},
            },
            "y": {
                "field": value,
                "type": "quantitative",
                "aggregate": "sum",
                "title": value_title,
                "axis": {"format": value_format},
            },
            "color": {
                "field": "channel",
                "type": "nominal",
                "title": color_title,
                **({"scale": {"domain": channels}} if channels else {}),
            },
            "tooltip": [
                {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": ""},
                {"field": "channel", "type": "nominal", "title": color_title},
                {"field": value, "type": "quantitative", "title": value_title, "format": ",.0f"},
            ],
        },
    }
