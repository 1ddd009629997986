"""The customer summary equals lifetimes' ``summary_data_from_transaction_data``."""

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.models.clv import from_columns, summarize, summarize_orders
from tests.models.clv.conftest import LIFETIMES_WARNINGS

pytestmark = LIFETIMES_WARNINGS


def _compare(summary, reference):
    assert summary.customer_id.tolist() == reference.index.tolist()
    for column in ("frequency", "recency", "T", "monetary_value"):
        if column in reference:
            np.testing.assert_allclose(
                getattr(summary, column), reference[column].to_numpy(), rtol=1e-12, atol=1e-9
            )


@pytest.mark.parametrize("freq", ["D", "W"])
def test_it_matches_lifetimes_on_its_example_transactions(freq):
    from lifetimes.datasets import load_transaction_data
    from lifetimes.utils import summary_data_from_transaction_data

    data = load_transaction_data()
    reference = summary_data_from_transaction_data(data, "id", "date", freq=freq)
    summary = summarize(data["id"].to_numpy(), data["date"].to_numpy(), freq=freq)
    _compare(summary, reference)


@pytest.mark.parametrize(("freq", "end"), [("D", None), ("W", None), ("W", "1997-09-30")])
def test_it_matches_lifetimes_on_cdnow_master(freq, end):
    import pandas as pd
    from lifetimes.datasets import load_dataset
    from lifetimes.utils import summary_data_from_transaction_data

    data = load_dataset("CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str, "date": str})
    data["date"] = pd.to_datetime(data["date"], format="%Y%m%d")
    reference = summary_data_from_transaction_data(
        data, "customer_id", "date", "dollar_value", observation_period_end=end, freq=freq
    )
    summary = summarize(
        data["customer_id"].to_numpy(),
        data["date"].to_numpy(),
        data["dollar_value"].to_numpy(),
        freq=freq,
        observation_end=end,
    )
    assert len(summary) == 23_570
    _compare(summary, reference)


def test_it_counts_purchases_of_one_period_once_and_sums_their_values():
    s = summarize(
        ["a", "a", "a", "a"],
        ["2024-01-01", "2024-01-07", "2024-01-08", "2024-01-09"],  # Mon, Sun | Mon, Tue
        [10.0, 5.0, 30.0, 2.0],
        freq="W",
        observation_end="2024-01-31",
    )
    assert (s.frequency[0], s.recency[0], s.T[0], s.monetary_value[0]) == (1, 1, 4, 32.0)


def test_it_reads_a_canonical_orders_table_in_utc():
    orders = pa.table(
        {
            "customer_id": ["a", "a", "b"],
            "ordered_at": pa.array(
                [
                    dt.datetime(2024, 1, 1, 23, 30, tzinfo=dt.UTC),
                    dt.datetime(2024, 1, 3, 0, 10, tzinfo=dt.UTC),
                    dt.datetime(2024, 1, 2, tzinfo=dt.UTC),
                ],
                pa.timestamp("us", tz="UTC"),
            ),
            "revenue": [10.0, 20.0, 5.0],
            "gross_margin": [4.0, None, 2.0],
            "currency": ["EUR"] * 3,
        }
    )
    s = summarize_orders(orders, freq="D", observation_end="2024-01-10")
    assert s.frequency.tolist() == [1.0, 0.0] and s.recency.tolist() == [2.0, 0.0]
    assert s.T.tolist() == [9.0, 8.0] and s.monetary_value.tolist() == [20.0, 0.0]
    with pytest.raises(ValueError, match="gross_margin has empty values"):
        summarize_orders(orders, value_column="gross_margin")


def test_it_names_the_bad_row_of_ready_made_columns():
    with pytest.raises(ValueError, match=r"customer b \(row 2\).*0 when frequency is 0"):
        from_columns(["a", "b"], [1, 0], [3, 2], [5, 5], [10, 0])


_DAYS = st.integers(0, 400)


@settings(max_examples=60, deadline=None)
@given(
    purchases=st.lists(
        st.tuples(st.integers(0, 6), _DAYS, st.floats(0.01, 1e4)), min_size=1, max_size=60
    ),
    freq=st.sampled_from(["D", "W"]),
    extra=st.integers(0, 30),
)
def test_it_keeps_the_summary_invariants(purchases, freq, extra):
    ids = [f"c{c}" for c, _, _ in purchases]
    dates = np.datetime64("2024-01-01") + np.array([d for _, d, _ in purchases])
    values = [v for _, _, v in purchases]
    end = dates.max() + np.timedelta64(extra, "D")
    s = summarize(ids, dates, values, freq=freq, observation_end=end)
    assert np.all(s.frequency >= 0) and np.all(s.frequency == np.round(s.frequency))
    assert np.all((s.recency >= 0) & (s.recency <= s.T))
    assert np.array_equal(s.monetary_value == 0, s.frequency == 0)
    assert np.all(s.recency[s.frequency == 0] == 0)
    assert len(s) == len(set(ids))
