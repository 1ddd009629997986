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


def timeline(
    bars: list[dict],
    *,
    group_title: str,
    milestones: list[dict] | None = None,
    links: list[dict] | None = None,
) -> dict:
    """A Gantt chart: one bar per action from ``start`` to ``end`` (ISO dates).

    ``bars`` have ``id``, ``action`` (the row label), ``group`` (pole, owner or channel: the
    colour and the sort), ``start``, ``end``, ``status``; ``milestones`` have ``action``, ``due``,
    ``name``; ``links`` (dependencies) have ``action`` (the dependent row), ``from`` (the
    prerequisite's end) and ``to`` (the dependent's start) and are drawn as a connector on the
    dependent's row, red when it starts before its prerequisite ends.
    """
    y = {
        "field": "action",
        "type": "nominal",
        "title": None,
        "sort": [b["action"] for b in sorted(bars, key=lambda b: (b["group"], b["start"]))],
    }
    layers: list[dict] = [
        {
            "data": {"values": bars},
            "mark": {"type": "bar", "tooltip": True, "cornerRadius": 2, "height": 14},
            "encoding": {
                "y": y,
                "x": {"field": "start", "type": "temporal", "title": None},
                "x2": {"field": "end"},
                "color": {"field": "group", "type": "nominal", "title": group_title},
                "opacity": {
                    "condition": {"test": "datum.status === 'idea'", "value": 0.45},
                    "value": 1,
                },
            },
        }
    ]
    if milestones:
        layers.append(
            {
                "data": {"values": milestones},
                "mark": {"type": "point", "shape": "diamond", "filled": True, "tooltip": True},
                "encoding": {
                    "y": y,
                    "x": {"field": "due", "type": "temporal"},
                    "color": {"value": "#222"},
                },
            }
        )
    if links:
        layers.append(
            {
                "data": {"values": links},
                "mark": {"type": "rule", "strokeDash": [3, 2], "tooltip": True},
                "encoding": {
                    "y": y,
                    "x": {"field": "from", "type": "temporal"},
                    "x2": {"field": "to"},
                    "color": {
                        "condition": {"test": "datum.late", "value": "#c0392b"},
                        "value": "#555",
                    },
                },
            }
        )
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": max(22 * len(bars), 60),
        "layer": layers,
    }


def scored_matrix(
    rows: list[dict],
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    label: str,
    color: str | None = None,
    color_title: str | None = None,
    x_domain: list[float] | None = None,
    y_domain: list[float] | None = None,
    x_mid: float | None = None,
    y_mid: float | None = None,
) -> dict:
    """Labelled points on two scored axes (PESTEL likelihood × impact, targeting matrix…),
    with dotted lines at the midpoints that split the quadrants."""
    x_enc: dict = {"field": x, "type": "quantitative", "title": x_title}
    y_enc: dict = {"field": y, "type": "quantitative", "title": y_title}
    if x_domain:
        x_enc["scale"] = {"domain": x_domain}
    if y_domain:
        y_enc["scale"] = {"domain": y_domain}
    point: dict = {
        "mark": {"type": "point", "filled": True, "size": 90, "tooltip": True},
        "encoding": {"x": x_enc, "y": y_enc},
    }
    if color:
        point["encoding"]["color"] = {"field": color, "type": "nominal", "title": color_title}
    text = {
        "mark": {"type": "text", "align": "left", "dx": 7, "dy": -7, "fontSize": 11},
        "encoding": {"x": x_enc, "y": y_enc, "text": {"field": label}},
    }
    layers: list[dict] = [{"data": {"values": rows}, **point}, {"data": {"values": rows}, **text}]
    x_mid = x_mid if x_mid is not None else (sum(x_domain) / 2 if x_domain else None)
    y_mid = y_mid if y_mid is not None else (sum(y_domain) / 2 if y_domain else None)
    if x_mid is not None:
        layers.append(
            {
                "data": {"values": [{"at": x_mid}]},
                "mark": {"type": "rule", "strokeDash": [2, 3], "color": "#999"},
                "encoding": {"x": {"field": "at", "type": "quantitative"}},
            }
        )
    if y_mid is not None:
        layers.append(
            {
                "data": {"values": [{"at": y_mid}]},
                "mark": {"type": "rule", "strokeDash": [2, 3], "color": "#999"},
                "encoding": {"y": {"field": "at", "type": "quantitative"}},
            }
        )
    return {"$schema": SCHEMA, "width": "container", "height": 360, "layer": layers}


def biplot(points: list[dict], arrows: list[dict], *, x_title: str, y_title: str) -> dict:
    """A perceptual map: brands as labelled points (``name``, ``x``, ``y``, ``kind`` brand /
    ours / ideal) and attribute loadings as lines from the origin (``name``, ``x``, ``y``)."""
    rays = [{"name": a["name"], "x": 0, "y": 0, "x2": a["x"], "y2": a["y"]} for a in arrows]
    axis_x = {"field": "x", "type": "quantitative", "title": x_title}
    axis_y = {"field": "y", "type": "quantitative", "title": y_title}
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 380,
        "layer": [
            {
                "data": {"values": rays},
                "mark": {"type": "rule", "color": "#9aa", "strokeWidth": 1.5},
                "encoding": {
                    "x": axis_x,
                    "y": axis_y,
                    "x2": {"field": "x2"},
                    "y2": {"field": "y2"},
                },
            },
            {
                "data": {"values": rays},
                "mark": {"type": "text", "color": "#677", "fontStyle": "italic", "dy": -6},
                "encoding": {
                    "x": {"field": "x2", "type": "quantitative"},
                    "y": {"field": "y2", "type": "quantitative"},
                    "text": {"field": "name"},
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "point", "filled": True, "size": 110, "tooltip": True},
                "encoding": {
                    "x": axis_x,
                    "y": axis_y,
                    "color": {"field": "kind", "type": "nominal", "title": None},
                    "shape": {"field": "kind", "type": "nominal", "title": None},
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "text", "align": "left", "dx": 8, "fontWeight": "bold"},
                "encoding": {"x": axis_x, "y": axis_y, "text": {"field": "name"}},
            },
        ],
    }
