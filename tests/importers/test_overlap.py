"""A second export covering days an earlier one covered is flagged before it is written."""

from __future__ import annotations

from pilotage.importers import import_files, prepare
from pilotage.importers.overlap import overlaps
from pilotage.warehouse import Warehouse

HEADER = (
    "Campaign report\n"
    "September 1, 2026 - September 30, 2026\n"
    "Day,Campaign,Currency code,Cost,Impr.\n"
)


def export(days: range, campaign: str = "Brand") -> bytes:
    rows = "".join(f"2026-09-{d:02d},{campaign},EUR,10.00,100\n" for d in days)
    return (HEADER + rows).encode()


def test_overlapping_days_of_the_same_tool_are_counted_per_earlier_batch(tmp_path):
    wh = Warehouse(tmp_path)
    first = import_files([("sep-1-15.csv", export(range(1, 16)))], wh, "acme")[0]
    import_files([("other.csv", export(range(1, 31), "Shopping"))], wh, "acme")
    later = prepare(export(range(10, 31)), "sep-10-30.csv")
    found = overlaps(later, wh, "acme")
    assert [(o.table, o.import_id, o.rows, o.first, o.last) for o in found] == [
        ("spend", first.prepared.import_id, 6, "2026-09-10", "2026-09-15")
    ]


def test_the_same_file_again_or_another_tool_is_no_overlap(tmp_path):
    wh = Warehouse(tmp_path)
    import_files([("sep.csv", export(range(1, 16)))], wh, "acme")
    assert overlaps(prepare(export(range(1, 16)), "sep.csv"), wh, "acme") == []
    canonical = b"date,channel,campaign,cost,currency\n2026-09-01,Paid search,Brand,10,EUR\n"
    assert overlaps(prepare(canonical, "spend.csv"), wh, "acme") == []
