"""Vega-Lite specs of the budget-allocation pages (same schema as ``pilotage.charts``)."""

from __future__ import annotations

from pilotage.charts import SCHEMA


def roi_intervals(rows: list[dict], *, value_title: str, break_even: float | None) -> dict:
    """ROI per channel (rows: ``channel``, ``roi``, ``low``, ``high``) as a point on its 90%
    interval bar, with a dashed rule at ``break_even`` (1 € per € for revenue) when given."""
    tooltip = [
        {"field": "channel", "type": "nominal", "title": ""},
        {"field": "roi", "type": "quantitative", "format": ".2f", "title": value_title},
        {"field": "low", "type": "quantitative", "format": ".2f", "title": "5%"},
        {"field": "high", "type": "quantitative", "format": ".2f", "title": "95%"},
    ]
    y = {"field": "channel", "type": "nominal", "title": None, "sort": "-x"}
    layers: list[dict] = [
        {
            "data": {"values": rows},
            "mark": {"type": "bar", "height": 6, "opacity": 0.45, "tooltip": True},
            "encoding": {
                "y": {**y, "sort": None},
                "x": {"field": "low", "type": "quantitative", "title": value_title},
                "x2": {"field": "high"},
                "tooltip": tooltip,
            },
        },
        {
            "data": {"values": rows},
            "mark": {"type": "point", "filled": True, "size": 70, "tooltip": True},
            "encoding": {
                "y": {**y, "sort": None},
                "x": {"field": "roi", "type": "quantitative"},
                "tooltip": tooltip,
            },
        },
    ]
    if break_even is not None:
        layers.append(
            {
                "data": {"values": [{"x": break_even}]},
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#b00"},
                "encoding": {"x": {"field": "x", "type": "quantitative"}},
            }
        )
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": {"step": 26},
        "layer": layers,
    }


def response_curves(rows: list[dict], *, spend_title: str, outcome_title: str) -> dict:
    """One small chart per channel: expected weekly outcome against weekly spend (line), its
    90% band (area) and the current weekly spend (point). Rows as ``analysis.response_curves``."""
    x = {"field": "spend", "type": "quantitative", "title": spend_title, "axis": {"format": "~s"}}
    tooltip = [
        {"field": "spend", "type": "quantitative", "format": ",.0f", "title": spend_title},
        {"field": "outcome", "type": "quantitative", "format": ",.2f", "title": outcome_title},
        {"field": "low", "type": "quantitative", "format": ",.2f", "title": "5%"},
        {"field": "high", "type": "quantitative", "format": ",.2f", "title": "95%"},
    ]
    return {
        "$schema": SCHEMA,
        "data": {"values": rows},
        "facet": {"field": "channel", "type": "nominal", "title": None},
        "columns": 3,
        "resolve": {"scale": {"x": "independent", "y": "independent"}},
        "spec": {
            "width": 230,
            "height": 150,
            "layer": [
                {
                    "mark": {"type": "area", "opacity": 0.25},
                    "encoding": {
                        "x": x,
                        "y": {"field": "low", "type": "quantitative", "title": outcome_title},
                        "y2": {"field": "high"},
                    },
                },
                {
                    "mark": {"type": "line", "tooltip": True},
                    "encoding": {
                        "x": x,
                        "y": {"field": "outcome", "type": "quantitative"},
                        "tooltip": tooltip,
                    },
                },
                {
                    "transform": [{"filter": "datum.current"}],
                    "mark": {"type": "point", "filled": True, "size": 60, "color": "#b00"},
                    "encoding": {
                        "x": x,
                        "y": {"field": "outcome", "type": "quantitative"},
                        "tooltip": tooltip,
                    },
                },
            ],
        },
    }


def contributions_over_time(
    rows: list[dict], actual: list[dict], *, outcome_title: str, actual_title: str
) -> dict:
    """The weekly outcome stacked by what drove it: the baseline at the bottom, then each
    channel (rows: ``week``, ``series``, ``order``, ``value``, ``low``, ``high``), with the
    actual outcome as a line over the stack (``actual``: ``week``, ``value``)."""
    week = {"field": "week", "type": "temporal", "title": None}
    tooltip = [
        {"field": "week", "type": "temporal", "format": "%x", "title": ""},
        {"field": "series", "type": "nominal", "title": ""},
        {"field": "value", "type": "quantitative", "format": ",.2f", "title": outcome_title},
        {"field": "low", "type": "quantitative", "format": ",.2f", "title": "5%"},
        {"field": "high", "type": "quantitative", "format": ",.2f", "title": "95%"},
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 280,
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "area", "tooltip": True, "opacity": 0.85},
                "encoding": {
                    "x": week,
                    "y": {
                        "field": "value",
                        "type": "quantitative",
                        "stack": "zero",
                        "title": outcome_title,
                    },
                    "color": {
                        "field": "series",
                        "type": "nominal",
                        "title": None,
                        "sort": {"field": "order", "op": "min"},
                    },
                    "order": {"field": "order", "type": "quantitative"},
                    "tooltip": tooltip,
                },
            },
            {
                "data": {"values": actual},
                "mark": {"type": "line", "color": "#222", "strokeWidth": 1.2, "tooltip": True},
                "encoding": {
                    "x": week,
                    "y": {"field": "value", "type": "quantitative"},
                    "tooltip": [
                        {"field": "week", "type": "temporal", "format": "%x", "title": ""},
                        {
                            "field": "value",
                            "type": "quantitative",
                            "format": ",.2f",
                            "title": actual_title,
                        },
                    ],
                },
            },
        ],
    }


def allocation_bars(rows: list[dict], *, value_title: str) -> dict:
    """Grouped bars: the amount per channel (rows: ``channel``, ``scenario``, ``amount``)."""
    return {
        "$schema": SCHEMA,
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "width": "container",
        "height": {"step": 12},
        "encoding": {
            "y": {"field": "channel", "type": "nominal", "title": None},
            "yOffset": {"field": "scenario", "sort": None},
            "x": {
                "field": "amount",
                "type": "quantitative",
                "title": value_title,
                "axis": {"format": "~s"},
            },
            "color": {"field": "scenario", "type": "nominal", "title": None, "sort": None},
            "tooltip": [
                {"field": "channel", "type": "nominal", "title": ""},
                {"field": "scenario", "type": "nominal", "title": ""},
                {"field": "amount", "type": "quantitative", "format": ",.2f", "title": value_title},
            ],
        },
    }


def budget_curve(rows: list[dict], *, total_title: str, outcome_title: str) -> dict:
    """Expected media-driven outcome of the best split against the total budget (line), its
    90% band (area), and the current total (dashed rule). Rows: ``total``, ``expected``,
    ``low``, ``high``, ``current`` (true at the current total)."""
    x = {"field": "total", "type": "quantitative", "title": total_title, "axis": {"format": "~s"}}
    tooltip = [
        {"field": "total", "type": "quantitative", "format": ",.0f", "title": total_title},
        {"field": "expected", "type": "quantitative", "format": ",.0f", "title": outcome_title},
        {"field": "low", "type": "quantitative", "format": ",.0f", "title": "5%"},
        {"field": "high", "type": "quantitative", "format": ",.0f", "title": "95%"},
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 240,
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.2},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative", "title": outcome_title},
                    "y2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "line", "point": True, "tooltip": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "expected", "type": "quantitative"},
                    "tooltip": tooltip,
                },
            },
            {
                "transform": [{"filter": "datum.current"}],
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#b00"},
                "encoding": {"x": {"field": "total", "type": "quantitative"}},
            },
        ],
    }
