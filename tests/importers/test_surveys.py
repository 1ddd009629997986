"""NPS exports: Typeform (score found by content), SurveyMonkey (two header rows), Delighted."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.importers import Context, Rejected, prepare
from tests.importers.conftest import fixture_bytes

UTC = dt.UTC


def rows(prepared) -> list[dict]:
    return [
        {k: v for k, v in r.items() if k not in ("source", "import_id")}
        for r in prepared.tables["survey_responses"].to_pylist()
    ]


def test_typeform_score_column_is_found_by_content_and_partials_without_score_skipped():
    prepared = prepare(fixture_bytes("typeform_nps.csv"), "typeform_nps.csv")
    assert prepared.importer == "typeform"
    assert rows(prepared) == [
        {
            "responded_at": dt.datetime(2025, 3, 14, 10, 2, 33, tzinfo=UTC),
            "respondent_id": "a1b2c3d4e5",
            "score": 9,
            "comment": "Fast delivery, great support",
            "segment": "Pro",
        },
        {
            "responded_at": dt.datetime(2025, 3, 14, 17, 45, 10, tzinfo=UTC),
            "respondent_id": "f6g7h8i9j0",
            "score": 3,
            "comment": "Too expensive for us",
            "segment": "Starter",
        },
        {
            # a partial response with a score: dated by its last stage
            "responded_at": dt.datetime(2025, 3, 15, 11, 1, 10, tzinfo=UTC),
            "respondent_id": "p6q7r8s9t0",
            "score": 10,
            "comment": None,
            "segment": "Pro",
        },
    ]
    assert prepared.skipped == [(4, "partial response without a score")]
    # the yes/no question (0/1) also fits 0–10; the header mentioning "recommend" wins
    assert prepared.details["score_column"] == (
        "How likely are you to recommend Acme to a colleague?"
    )
    assert prepared.details["comment_column"] == "What is the main reason for your score?"


def test_typeform_dates_are_utc_whatever_the_workspace_zone():
    name = "typeform_nps.csv"
    prepared = prepare(fixture_bytes(name), name, context=Context(timezone="Europe/Paris"))
    assert rows(prepared)[0]["responded_at"] == dt.datetime(2025, 3, 14, 10, 2, 33, tzinfo=UTC)


def test_typeform_two_unnamed_score_columns_are_refused_not_guessed():
    data = (
        b"#,Rate our support,Rate our product,Submit Date (UTC)\n"
        b"t1,7,8,2025-03-14 10:00:00\n"
        b"t2,9,3,2025-03-14 11:00:00\n"
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "tf.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.code) == ("tf.csv", "ambiguous_score_column")
    assert "Rate our support | Rate our product" in problem.message()


def test_typeform_without_a_score_column_is_refused():
    data = b"#,What do you like?,Submit Date (UTC)\nt1,Speed,2025-03-14 10:00:00\n"
    with pytest.raises(Rejected) as caught:
        prepare(data, "tf.csv")
    assert [p.code for p in caught.value.problems] == ["no_score_column"]


def test_surveymonkey_two_header_rows_are_merged():
    name = "surveymonkey_nps.csv"
    prepared = prepare(fixture_bytes(name), name)
    assert prepared.importer == "surveymonkey"
    assert rows(prepared) == [
        {
            "responded_at": dt.datetime(2025, 3, 14, 10, 2, 33, tzinfo=UTC),
            "respondent_id": "114378372911",
            "score": 10,  # "10 - Extremely likely"
            "comment": "Great support",
            "segment": None,
        },
        {
            "responded_at": dt.datetime(2025, 3, 14, 13, 20, 45, tzinfo=UTC),
            "respondent_id": "114378372912",
            "score": 7,
            "comment": None,
            "segment": None,
        },
        {
            "responded_at": dt.datetime(2025, 3, 15, 11, 32, 10, tzinfo=UTC),
            "respondent_id": "114378372914",
            "score": 0,  # "0 - Not at all likely"
            "comment": "Too slow, sorry",
            "segment": None,
        },
    ]
    assert prepared.skipped == [(5, "no score given")]
    assert prepared.details["comment_column"] == "What is the primary reason for your score?"
    assert prepared.details["date_order"] == "mdy (proven by 03/14/2025 10:02:33 AM)"


def test_surveymonkey_end_dates_are_in_the_workspace_zone():
    name = "surveymonkey_nps.csv"
    prepared = prepare(fixture_bytes(name), name, context=Context(timezone="Europe/Paris"))
    # 10:02:33 in Paris (UTC+1 in March before the switch to summer time) is 09:02:33 UTC
    assert rows(prepared)[0]["responded_at"] == dt.datetime(2025, 3, 14, 9, 2, 33, tzinfo=UTC)


def test_surveymonkey_bad_end_date_is_located():
    data = fixture_bytes("surveymonkey_nps.csv").replace(
        b"03/14/2025 01:20:45 PM", b"14th of March"
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "sm.csv")
    assert [(p.code, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("date", 4, "End Date", "14th of March")
    ]


def test_delighted_unix_timestamps_and_plan_as_segment():
    name = "delighted_responses.csv"
    prepared = prepare(fixture_bytes(name), name, context=Context(timezone="Europe/Paris"))
    assert prepared.importer == "delighted"
    assert rows(prepared) == [
        {
            "responded_at": dt.datetime(2025, 3, 14, 10, 2, 33, tzinfo=UTC),
            "respondent_id": "981234",
            "score": 9,
            "comment": "Great, fast support",
            "segment": "Enterprise",
        },
        {
            "responded_at": dt.datetime(2025, 3, 14, 11, 0, 0, tzinfo=UTC),
            "respondent_id": "981235",
            "score": 6,
            "comment": None,
            "segment": "Starter",
        },
        {
            "responded_at": dt.datetime(2025, 3, 15, 10, 3, 20, tzinfo=UTC),
            "respondent_id": "981236",
            "score": 10,
            "comment": "Love it",
            "segment": None,
        },
    ]


def test_delighted_out_of_range_score_is_located():
    data = fixture_bytes("delighted_responses.csv").replace(b"Bob,6,", b"Bob,11,")
    with pytest.raises(Rejected) as caught:
        prepare(data, "delighted.csv")
    assert [(p.file, p.code, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("delighted.csv", "score", 3, "Score", "11")
    ]
