"""The customer feature table (RFM numbers + firmographics) and its encoding for clustering.

:func:`build_customer_features` joins the RFM of the orders (or of the won deals) with the
firmographics of the leads; :class:`FeatureEncoder` turns the table into the matrix the
clustering works on:

- **numeric** columns: ``log1p`` first for the skewed ones (``frequency`` and ``monetary`` by
  default; negative totals — net refunds — count as 0), then standardised
  ``z = (x − mean) / std`` (population std; a constant column is only centred);
- **categorical** columns: one-hot encoded (an empty value is a level of its own), each
  indicator multiplied by ``w = category_distance / √2``. Two customers differing on one
  categorical column are then exactly ``category_distance`` apart (√(w² + w²)), the same as
  two customers ``category_distance`` standard deviations apart on one numeric column —
  whatever the number of levels. The default, 1, keeps one categorical column from outweighing
  a numeric one (unscaled one-hot puts every mismatch √2 standard deviations away).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from pilotage.models.segmentation._input import DayLike, Rows, as_table, days, strings
from pilotage.models.segmentation.rfm import RFM, orders_from_deals, rfm_from_orders

FIRMOGRAPHICS = ("industry", "company_size", "region", "country")
RFM_NUMERIC = ("recency_days", "frequency", "monetary")
RFM_DERIVED = ("r_score", "f_score", "m_score", "rfm_segment", "average_order_value")
MISSING = "(missing)"


@dataclass(frozen=True)
class CustomerFeatures:
    """One row per customer: numeric and categorical features, and the RFM they came from.

    ``numeric`` and ``categorical`` hold the columns a :class:`FeatureEncoder` may use
    (categorical values are ``str`` or ``None``). With ``rfm``, :meth:`column` also reads the
    scores ``r_score``, ``f_score``, ``m_score``, the key ``rfm_segment`` and
    ``average_order_value``.
    """

    customer_id: np.ndarray
    numeric: Mapping[str, np.ndarray] = field(default_factory=dict)
    categorical: Mapping[str, np.ndarray] = field(default_factory=dict)
    rfm: RFM | None = None

    def __post_init__(self) -> None:
        n = len(self.customer_id)
        for kind in (self.numeric, self.categorical):
            for name, values in kind.items():
                if len(values) != n:
                    raise ValueError(f"column {name} has {len(values)} rows, not {n}")
        both = set(self.numeric) & set(self.categorical)
        if both:
            raise ValueError(f"column(s) both numeric and categorical: {', '.join(sorted(both))}")
        if self.rfm is not None and len(self.rfm) != n:
            raise ValueError(f"rfm has {len(self.rfm)} rows, not {n}")

    @classmethod
    def from_columns(
        cls,
        customer_id: Sequence[Any] | np.ndarray,
        numeric: Mapping[str, Sequence[float] | np.ndarray] | None = None,
        categorical: Mapping[str, Sequence[Any] | np.ndarray] | None = None,
    ) -> CustomerFeatures:
        """A table from plain columns (numbers as float; categories as str, None if empty)."""
        return cls(
            np.array([str(c) for c in customer_id], dtype=object),
            {k: np.asarray(v, dtype=float) for k, v in (numeric or {}).items()},
            {
                k: np.array([None if x is None else str(x) for x in v], dtype=object)
                for k, v in (categorical or {}).items()
            },
        )

    def __len__(self) -> int:
        return len(self.customer_id)

    @property
    def as_of(self) -> dt.date | None:
        """The day the RFM was measured at (None without RFM)."""
        return None if self.rfm is None else self.rfm.as_of

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column :meth:`column` can read."""
        derived = RFM_DERIVED if self.rfm is not None else ()
        return (*self.numeric, *self.categorical, *derived)

    def is_numeric(self, name: str) -> bool:
        """Whether column ``name`` holds numbers (else categories)."""
        self.column(name)
        return name not in self.categorical and name != "rfm_segment"

    def column(self, name: str) -> np.ndarray:
        """One column by name (see the class); an unknown name raises ``KeyError``."""
        if name in self.numeric:
            return np.asarray(self.numeric[name])
        if name in self.categorical:
            return np.asarray(self.categorical[name])
        if self.rfm is not None and name in RFM_DERIVED:
            if name == "rfm_segment":
                return self.rfm.segment
            if name == "average_order_value":
                return self.rfm.average_order_value
            return np.asarray(getattr(self.rfm, name))
        raise KeyError(name)

    def rows(self) -> list[dict[str, Any]]:
        """One JSON-able dict per customer, every column of :attr:`columns`."""
        cols = {name: self.column(name).tolist() for name in self.columns}
        return [
            {"customer_id": c, **{name: cols[name][i] for name in cols}}
            for i, c in enumerate(self.customer_id.tolist())
        ]


def build_customer_features(
    orders: Rows | None = None,
    *,
    deals: Rows | None = None,
    leads: Rows | None = None,
    as_of: DayLike | None = None,
    categorical: Sequence[str] = FIRMOGRAPHICS,
    monetary: str = "total",
) -> CustomerFeatures:
    """The feature table of the warehouse's customers (pyarrow tables or lists of dicts).

    RFM comes from ``orders`` when given, else from the won ``deals``
    (:func:`~pilotage.models.segmentation.rfm.orders_from_deals`). The firmographic columns
    ``categorical`` come from ``leads``: a customer id is looked up as an ``account_id`` of
    ``deals`` first (its lead is that of the account's earliest deal with a lead, ties by
    ``deal_id``), then as a ``lead_id``; customers without a lead get empty values.
    """
    if orders is None:
        if deals is None:
            raise ValueError("give orders or deals to build customer features from")
        orders = orders_from_deals(deals)
    rfm = rfm_from_orders(orders, as_of=as_of, monetary=monetary)
    numeric = {
        "recency_days": rfm.recency_days.astype(float),
        "frequency": rfm.frequency.astype(float),
        "monetary": rfm.monetary.astype(float),
    }
    found: dict[str, np.ndarray] = {}
    if leads is not None and categorical:
        found = _firmographics(rfm.customer_id, leads, deals, categorical)
    return CustomerFeatures(rfm.customer_id, numeric, found, rfm)


def _firmographics(
    customers: np.ndarray, leads: Rows, deals: Rows | None, columns: Sequence[str]
) -> dict[str, np.ndarray]:
    table = as_table(leads, "leads", ("lead_id", *columns))
    lead_ids = strings(table, "lead_id", "leads", required=True)
    row_of = {lead: i for i, lead in enumerate(lead_ids.tolist())}
    account_lead = _account_leads(deals) if deals is not None else {}
    rows = []
    for customer in customers.tolist():
        lead = account_lead.get(customer, customer)
        rows.append(row_of.get(lead, row_of.get(customer, -1)))
    where = np.array(rows, dtype=np.int64)
    result = {}
    for column in columns:
        values = np.array(
            [*strings(table, column, "leads", required=False).tolist(), None], dtype=object
        )
        result[column] = values[where]  # index -1 is the appended None: no lead
    return result


def _account_leads(deals: Rows) -> dict[str, str]:
    """account_id → lead_id of the account's earliest deal that has a lead."""
    table = as_table(deals, "deals", ("deal_id", "created_at"))
    if "account_id" not in table.column_names or "lead_id" not in table.column_names:
        return {}
    accounts = strings(table, "account_id", "deals", required=False)
    leads = strings(table, "lead_id", "deals", required=False)
    deal_ids = strings(table, "deal_id", "deals", required=True)
    created = days(table, "created_at", "deals")
    found: dict[str, tuple[int, str, str]] = {}
    for account, lead, day, deal in zip(accounts, leads, created, deal_ids, strict=True):
        if account is None or lead is None:
            continue
        key = (int(day), str(deal), str(lead))
        if account not in found or key < found[account]:
            found[account] = key
    return {account: key[2] for account, key in found.items()}


class FeatureEncoder:
    """Numeric standardisation (after log1p) and weighted one-hot (see the module).

    ``numeric`` / ``categorical``: the columns to use (default: all of the table's).
    Learned: ``numeric_columns_``, ``categorical_columns_``, ``levels_`` (per categorical
    column, sorted, ``None`` last), ``mean_`` and ``scale_`` (of the log1p'd numeric columns),
    ``category_weight_`` (w) and ``feature_names_`` (``"industry=Retail"`` for indicators).
    """

    def __init__(
        self,
        *,
        numeric: Sequence[str] | None = None,
        categorical: Sequence[str] | None = None,
        log_columns: Sequence[str] = ("frequency", "monetary"),
        category_distance: float = 1.0,
    ) -> None:
        self.numeric = numeric
        self.categorical = categorical
        self.log_columns = log_columns
        self.category_distance = category_distance

    def fit(self, features: CustomerFeatures) -> FeatureEncoder:
        """Learn the columns, their means and scales, and the categorical levels."""
        if not self.category_distance >= 0:
            raise ValueError("category_distance must be a number ≥ 0")
        numeric = list(features.numeric if self.numeric is None else self.numeric)
        categorical = list(features.categorical if self.categorical is None else self.categorical)
        for name in numeric:
            if name not in features.numeric:
                raise ValueError(f"{name!r} is not a numeric column of the customer table")
        for name in categorical:
            if name not in features.categorical:
                raise ValueError(f"{name!r} is not a categorical column of the customer table")
        if not numeric and not categorical:
            raise ValueError("no feature to encode: give numeric or categorical columns")
        if len(features) < 1:
            raise ValueError("the customer table is empty")
        self.numeric_columns_ = tuple(numeric)
        self.categorical_columns_ = tuple(categorical)
        block = self._numeric_block(features)
        self.mean_ = block.mean(axis=0)
        scale = block.std(axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        self.levels_ = {
            name: tuple(
                sorted({v for v in features.categorical[name].tolist() if v is not None})
                + ([None] if any(v is None for v in features.categorical[name].tolist()) else [])
            )
            for name in categorical
        }
        self.category_weight_ = float(self.category_distance) / np.sqrt(2.0)
        self.feature_names_ = [*numeric] + [
            f"{name}={MISSING if level is None else level}"
            for name in categorical
            for level in self.levels_[name]
        ]
        return self

    def transform(self, features: CustomerFeatures) -> np.ndarray:
        """The encoded matrix (customers × :attr:`feature_names_`); unseen levels are all-zero."""
        if not hasattr(self, "feature_names_"):
            raise ValueError("this FeatureEncoder is not fitted yet: call fit first")
        parts = [(self._numeric_block(features) - self.mean_) / self.scale_]
        for name in self.categorical_columns_:
            if name not in features.categorical:
                raise ValueError(f"{name!r} is not a categorical column of the customer table")
            values = features.categorical[name].tolist()
            levels = self.levels_[name]
            onehot = np.array([[v == level for level in levels] for v in values], dtype=float)
            parts.append(onehot.reshape(len(values), len(levels)) * self.category_weight_)
        return np.hstack(parts)

    def fit_transform(self, features: CustomerFeatures) -> np.ndarray:
        """:meth:`fit` then :meth:`transform`."""
        return self.fit(features).transform(features)

    def to_original(self, row: np.ndarray) -> dict[str, float]:
        """A point of the encoded space (a cluster centre) in the table's units.

        Numeric columns go back through the standardisation and ``expm1``; an indicator
        ``"industry=Retail"`` becomes the share of that level (the centre's coordinate / w).
        """
        row = np.asarray(row, dtype=float)
        k = len(self.numeric_columns_)
        values = row[:k] * self.scale_ + self.mean_
        result = {}
        for name, value in zip(self.numeric_columns_, values.tolist(), strict=True):
            result[name] = float(np.expm1(value)) if name in self.log_columns else float(value)
        weight = self.category_weight_ if self.category_weight_ > 0 else 1.0
        for name, value in zip(self.feature_names_[k:], row[k:].tolist(), strict=True):
            result[name] = float(value) / weight
        return result

    def _numeric_block(self, features: CustomerFeatures) -> np.ndarray:
        columns = []
        for name in self.numeric_columns_:
            if name not in features.numeric:
                raise ValueError(f"{name!r} is not a numeric column of the customer table")
            values = np.asarray(features.numeric[name], dtype=float)
            if not np.all(np.isfinite(values)):
                raise ValueError(f"numeric column {name!r} has a missing or infinite value")
            if name in self.log_columns:
                values = np.log1p(np.maximum(values, 0.0))
            columns.append(values)
        return np.column_stack(columns) if columns else np.zeros((len(features), 0))


def features_table(features: CustomerFeatures) -> pa.Table:
    """The feature table as Arrow (customer_id, then every column of ``features.columns``)."""
    data: dict[str, Any] = {"customer_id": pa.array(features.customer_id.tolist(), pa.string())}
    for name in features.columns:
        values = features.column(name).tolist()
        data[name] = pa.array(values, pa.float64() if features.is_numeric(name) else pa.string())
    return pa.table(data)
