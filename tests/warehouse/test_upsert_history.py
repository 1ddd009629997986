"""Upserts by source key, undo of a batch, and reading the warehouse as it was."""

from __future__ import annotations

import datetime as dt
import time

import pyarrow as pa
import pytest

from pilotage.warehouse import Warehouse, conform, connect

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def leads(import_id: str, records: dict[str, str | None]) -> pa.Table:
    """One lead per id; the value is its channel (None: unknown)."""
    n = len(records)
    return conform(
        "leads",
        {
            "lead_id": list(records),
            "created_at": [T0] * n,
            "channel": list(records.values()),
            "campaign": [None] * n,
            "industry": [None] * n,
            "company_size": [None] * n,
            "region": [None] * n,
            "country": ["FR"] * n,
            "mql_at": [None] * n,
            "sql_at": [None] * n,
            "opportunity_at": [None] * n,
            "customer_at": [None] * n,
            "disqualified_at": [None] * n,
            "source": ["hubspot"] * n,
            "import_id": [import_id] * n,
        },
    )


def state(wh: Warehouse) -> dict[str, tuple[str | None, str]]:
    rows = wh.read("acme", "leads").to_pylist()
    return {r["lead_id"]: (r["channel"], r["import_id"]) for r in rows}


@pytest.fixture
def wh(tmp_path) -> Warehouse:
    return Warehouse(tmp_path)


def test_a_newer_export_of_a_record_replaces_the_older_row(wh):
    wh.write_batch("acme", "leads", leads("jan", {"L1": "Email", "L2": "Paid search"}), "jan")
    wh.write_batch("acme", "leads", leads("feb", {"L2": "Webinars", "L3": "Email"}), "feb")
    assert state(wh) == {
        "L1": ("Email", "jan"),
        "L2": ("Webinars", "feb"),
        "L3": ("Email", "feb"),
    }


def test_reimporting_the_same_batch_adds_no_version(wh):
    batch = leads("jan", {"L1": "Email", "L2": "Paid search"})
    wh.write_batch("acme", "leads", batch, "jan")
    version = wh.version("acme", "leads")
    assert wh.write_batch("acme", "leads", batch, "jan") is False
    assert wh.version("acme", "leads") == version


def test_a_record_dropped_from_a_reimported_batch_disappears(wh):
    wh.write_batch("acme", "leads", leads("jan", {"L1": "Email", "L2": "Paid search"}), "jan")
    wh.write_batch("acme", "leads", leads("jan", {"L1": "Email"}), "jan")
    assert state(wh) == {"L1": ("Email", "jan")}


def test_undo_gives_older_batches_their_rows_back(wh):
    wh.write_batch("acme", "leads", leads("jan", {"L1": "Email", "L2": "Paid search"}), "jan")
    wh.write_batch("acme", "leads", leads("feb", {"L2": "Webinars", "L3": "Email"}), "feb")
    before_undo = wh.version("acme", "leads")
    assert wh.undo("acme", "leads", "feb") is True
    assert wh.version("acme", "leads") == before_undo + 1  # one commit
    assert state(wh) == {"L1": ("Email", "jan"), "L2": ("Paid search", "jan")}
    assert wh.undo("acme", "leads", "feb") is False


def test_undo_does_not_resurrect_what_a_later_batch_took(wh):
    wh.write_batch("acme", "leads", leads("jan", {"L1": "Email"}), "jan")
    wh.write_batch("acme", "leads", leads("feb", {"L1": "Webinars", "L2": "Email"}), "feb")
    wh.write_batch("acme", "leads", leads("mar", {"L1": "Paid social"}), "mar")
    wh.undo("acme", "leads", "feb")
    assert state(wh) == {"L1": ("Paid social", "mar")}


def test_a_key_twice_in_one_batch_is_refused(wh):
    batch = leads("jan", {"L1": "Email"})
    with pytest.raises(ValueError, match="lead_id appears twice"):
        wh.write_batch("acme", "leads", pa.concat_tables([batch, batch]), "jan")
    assert not wh.exists("acme", "leads")


def test_undo_of_an_append_batch_removes_only_its_rows(wh):
    from tests.warehouse.test_store import spend_batch

    wh.write_batch("acme", "spend", spend_batch("a", 10), "a")
    wh.write_batch("acme", "spend", spend_batch("b", 5, seed=1, channel="Email"), "b")
    assert wh.undo("acme", "spend", "a") is True
    assert wh.batches("acme", "spend") == ["b"]
    assert wh.read("acme", "spend").num_rows == 5


def test_what_did_we_know_then(wh):
    wh.write_batch("acme", "leads", leads("jan", {"L1": "Email"}), "jan")
    time.sleep(0.05)
    between = dt.datetime.now(dt.UTC)
    time.sleep(0.05)
    wh.write_batch("acme", "leads", leads("feb", {"L1": "Webinars", "L2": "Email"}), "feb")

    then = connect(wh, "acme", as_of=between)
    assert then.execute("select lead_id, channel from leads").fetchall() == [("L1", "Email")]
    assert connect(wh, "acme", as_of=0).execute("select count(*) from leads").fetchone() == (1,)
    now = connect(wh, "acme")
    assert sorted(now.execute("select lead_id, channel from leads").fetchall()) == [
        ("L1", "Webinars"),
        ("L2", "Email"),
    ]
    # before the table existed: an empty table, not an error
    past = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    assert connect(wh, "acme", as_of=past).execute("select count(*) from leads").fetchone() == (0,)
    assert wh.batches("acme", "leads", as_of=between) == ["jan"]


def test_the_same_survey_answer_in_two_exports_counts_once(wh):
    def answers(import_id: str, rows: list[tuple[str, int]]) -> pa.Table:
        return conform(
            "survey_responses",
            {
                "responded_at": [T0] * len(rows),
                "respondent_id": [r for r, _ in rows],
                "score": [s for _, s in rows],
                "comment": [None] * len(rows),
                "segment": [None] * len(rows),
                "source": ["hubspot_contacts"] * len(rows),
                "import_id": [import_id] * len(rows),
            },
        )

    wh.write_batch("acme", "survey_responses", answers("oct", [("C1", 9), ("C2", 3)]), "oct")
    wh.write_batch("acme", "survey_responses", answers("nov", [("C1", 9), ("C3", 10)]), "nov")
    rows = wh.read("acme", "survey_responses").to_pylist()
    assert sorted((r["respondent_id"], r["import_id"]) for r in rows) == [
        ("C1", "nov"),
        ("C2", "oct"),
        ("C3", "nov"),
    ]
    wh.undo("acme", "survey_responses", "nov")
    rows = wh.read("acme", "survey_responses").to_pylist()
    assert sorted((r["respondent_id"], r["import_id"]) for r in rows) == [
        ("C1", "oct"),
        ("C2", "oct"),
    ]
