"""Attribution inputs: the paths CSV reader and journeys built from the touchpoints table."""

from __future__ import annotations

import doctest
from datetime import UTC, datetime

import pyarrow as pa
import pytest

import pilotage.models.attribution as attribution_package
from pilotage.models.attribution import paths as paths_module
from pilotage.models.attribution.paths import (
    Journey,
    PathRow,
    PathsError,
    aggregate,
    journeys_from_touchpoints,
    parse_paths_csv,
    read_paths_csv,
)
from pilotage.warehouse.schema import SCHEMAS

CSV = """path,total_conversions,total_conversion_value,total_null
Paid search > Email > Direct,3,300.5,10
Email,0,0,4

Trade shows>Paid search,1,1000,0
"""


def test_it_reads_a_channel_attribution_paths_csv(tmp_path):
    file = tmp_path / "paths.csv"
    file.write_text(CSV, encoding="utf-8")
    assert read_paths_csv(file) == [
        PathRow(("Paid search", "Email", "Direct"), 3, 300.5, 10),
        PathRow(("Email",), 0, 0, 4),
        PathRow(("Trade shows", "Paid search"), 1, 1000, 0),
    ]


def test_it_reads_another_separator_and_optional_columns():
    rows = parse_paths_csv("path,total_conversions\na;b;a,2\n", separator=";")
    assert rows == [PathRow(("a", "b", "a"), 2, 0.0, 0.0)]


def test_it_names_the_file_line_and_column_of_a_bad_number():
    text = "path,total_conversions,total_conversion_value,total_null\na>b,1,10,0\na,x,0,1\n"
    with pytest.raises(PathsError, match=r"paths\.csv, line 3, column 2 \(total_conversions\)"):
        parse_paths_csv(text, "paths.csv")


def test_it_rejects_negative_counts_with_their_place():
    text = "path,total_conversions,total_null\na,1,-2\n"
    with pytest.raises(PathsError, match=r"f\.csv, line 2, column 3 \(total_null\).*≥ 0"):
        parse_paths_csv(text, "f.csv")


def test_it_names_an_empty_channel_in_a_path():
    with pytest.raises(PathsError, match=r"line 2, column 1 \(path\): empty channel"):
        parse_paths_csv("path,total_conversions\na > > b,1\n", "f.csv")


def test_it_names_the_missing_columns():
    with pytest.raises(PathsError, match=r"f\.csv, line 1: missing column\(s\) total_conversions"):
        parse_paths_csv("path,conversions\na,1\n", "f.csv")


def test_it_refuses_an_empty_file():
    with pytest.raises(PathsError, match="empty"):
        parse_paths_csv("", "f.csv")


def _touchpoints(rows: list[tuple[str, int, str, bool, float | None]]) -> pa.Table:
    schema = SCHEMAS["touchpoints"]
    columns = {
        "journey_id": [r[0] for r in rows],
        "occurred_at": [datetime(2024, 1, r[1], tzinfo=UTC) for r in rows],
        "channel": [r[2] for r in rows],
        "converted": [r[3] for r in rows],
        "conversion_value": [r[4] for r in rows],
    }
    return pa.table({name: pa.array(v, schema.field(name).type) for name, v in columns.items()})


def test_it_builds_journeys_from_touchpoints_in_time_order():
    table = _touchpoints(
        [
            ("p1", 5, "Email", True, 120.0),
            ("p2", 2, "Paid social", False, None),
            ("p1", 1, "Paid search", False, None),
            ("p1", 9, "Direct", False, None),  # after the conversion: dropped
            ("p1", 12, "Email", True, 50.0),  # a second conversion starts nothing
            ("p2", 3, "Direct", False, None),
            ("p3", 4, "Webinars", True, None),  # no value: 0
        ]
    )
    start = datetime(2024, 1, 1, tzinfo=UTC).timestamp() / 86_400
    journeys = journeys_from_touchpoints(table)
    assert [(j.channels, j.converted, j.value) for j in journeys] == [
        (("Paid search", "Email"), True, 120.0),
        (("Paid social", "Direct"), False, 0.0),
        (("Webinars",), True, 0.0),
    ]
    assert journeys[0].times == pytest.approx((start, start + 4))


def test_it_keeps_the_table_order_for_touches_at_the_same_time():
    table = _touchpoints([("p", 1, "b", False, None), ("p", 1, "a", True, 1.0)])
    assert journeys_from_touchpoints(table)[0].channels == ("b", "a")


def test_it_reports_missing_touchpoint_columns():
    with pytest.raises(PathsError, match="missing column.*converted"):
        journeys_from_touchpoints(
            pa.table({"journey_id": ["p"], "channel": ["a"]}).append_column(
                "occurred_at", pa.array([datetime(2024, 1, 1, tzinfo=UTC)])
            )
        )


def test_it_aggregates_journeys_into_path_rows():
    journeys = [Journey(("a", "b"), True, 10.0), Journey(("a", "b"), False), Journey(("b",), True)]
    assert aggregate(journeys) == [PathRow(("a", "b"), 1, 10, 1), PathRow(("b",), 1, 0, 0)]


def test_it_rejects_times_that_do_not_match_the_touches():
    with pytest.raises(ValueError, match="2 touches but 1 times"):
        Journey(("a", "b"), True, times=(0.0,))


@pytest.mark.parametrize("module", [paths_module, attribution_package])
def test_it_runs_the_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0
