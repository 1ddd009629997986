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


def funnel(rows: list[dict], *, count_title: str) -> dict:
    """Horizontal bars, one per funnel stage in ``order``; rows have ``stage``, ``count``."""
    return {
        "$schema": SCHEMA,
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "width": "container",
        "height": 40 * max(len(rows), 1),
        "encoding": {
            "y": {"field": "stage", "type": "nominal", "sort": {"field": "order"}, "title": None},
            "x": {"field": "count", "type": "quantitative", "title": count_title},
        },
    }


def monthly_line(rows: list[dict], *, value_title: str, plan: list[dict] | None = None) -> dict:
    """A monthly line (``month``, ``value``), with a dashed plan line when ``plan`` is given."""
    layers: list[dict] = [
        {
            "data": {"values": rows},
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {
                    "field": "month",
                    "type": "temporal",
                    "timeUnit": "yearmonth",
                    "title": None,
                    "axis": {"format": "%b %Y", "labelAngle": -40},
                },
                "y": {"field": "value", "type": "quantitative", "title": value_title},
            },
        }
    ]
    if plan:
        layers.append(
            {
                "data": {"values": plan},
                "mark": {"type": "line", "strokeDash": [6, 4], "color": "#888"},
                "encoding": {
                    "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth"},
                    "y": {"field": "value", "type": "quantitative"},
                },
            }
        )
    return {"$schema": SCHEMA, "width": "container", "height": 240, "layer": layers}


def waterfall(steps: list[dict], *, value_title: str) -> dict:
    """A waterfall: ``steps`` are ``{"label", "value", "kind"}`` with kind ``total`` (a bar from
    zero) or ``part`` (a bar from the running total); parts are coloured by their sign."""
    rows, running = [], 0.0
    for i, step in enumerate(steps):
        if step["kind"] == "total":
            start, end = 0.0, step["value"]
            running = step["value"]
            colour = "total"
        else:
            start, end = running, running + step["value"]
            running = end
            colour = "increase" if step["value"] >= 0 else "decrease"
        rows.append(
            {
                "order": i,
                "label": step["label"],
                "start": start,
                "end": end,
                "value": step["value"],
                "colour": colour,
            }
        )
    return {
        "$schema": SCHEMA,
        "data": {"values": rows},
        "width": "container",
        "height": 260,
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {
                "field": "label",
                "type": "nominal",
                "sort": {"field": "order"},
                "title": None,
                "axis": {"labelAngle": -25, "labelLimit": 140},
            },
            "y": {"field": "start", "type": "quantitative", "title": value_title},
            "y2": {"field": "end"},
            "color": {
                "field": "colour",
                "type": "nominal",
                "legend": None,
                "scale": {
                    "domain": ["total", "increase", "decrease"],
                    "range": ["#1d4e89", "#2e9e4f", "#b3261e"],
                },
            },
            "tooltip": [
                {"field": "label", "type": "nominal"},
                {"field": "value", "type": "quantitative", "format": ",.2f"},
            ],
        },
    }


def ratio_bars(
    rows: list[dict], *, value_title: str, threshold: float, threshold_title: str
) -> dict:
    """Horizontal bars of a ratio per ``label`` (rows: ``label``, ``series``, ``ratio``) with a
    rule at ``threshold`` (e.g. LTV/CAC against 3)."""
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": {"step": 14},
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "bar", "tooltip": True},
                "encoding": {
                    "y": {"field": "label", "type": "nominal", "title": None},
                    "yOffset": {"field": "series"},
                    "x": {
                        "field": "ratio",
                        "type": "quantitative",
                        "title": value_title,
                        "axis": {"format": ".1f"},
                    },
                    "color": {"field": "series", "type": "nominal", "title": None},
                    "tooltip": [
                        {"field": "label", "type": "nominal", "title": ""},
                        {"field": "series", "type": "nominal", "title": ""},
                        {"field": "ratio", "type": "quantitative", "format": ".2f"},
                    ],
                },
            },
            {
                "data": {"values": [{"threshold": threshold, "title": threshold_title}]},
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#b00"},
                "encoding": {
                    "x": {"field": "threshold", "type": "quantitative"},
                    "tooltip": [{"field": "title", "type": "nominal", "title": ""}],
                },
            },
        ],
    }


def histogram(bins: list[dict], *, value_title: str, count_title: str, value_format: str) -> dict:
    """Pre-binned counts (rows: ``start``, ``end``, ``count``) as adjacent bars."""
    return {
        "$schema": SCHEMA,
        "data": {"values": bins},
        "mark": {"type": "bar", "tooltip": True},
        "width": "container",
        "height": 220,
        "encoding": {
            "x": {
                "field": "start",
                "type": "quantitative",
                "bin": {"binned": True},
                "title": value_title,
                "axis": {"format": value_format},
            },
            "x2": {"field": "end"},
            "y": {"field": "count", "type": "quantitative", "title": count_title},
            "tooltip": [
                {"field": "start", "type": "quantitative", "format": value_format},
                {"field": "end", "type": "quantitative", "format": value_format},
                {"field": "count", "type": "quantitative", "title": count_title},
            ],
        },
    }
