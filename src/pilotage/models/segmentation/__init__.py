"""Customer segmentation (no Django): RFM, features, clustering, profiles, names and rules.

- :mod:`~pilotage.models.segmentation.rfm` — recency, frequency, monetary value and their 1–5
  quintile scores, the RFM segment grid in English and French; from orders or won deals;
- :mod:`~pilotage.models.segmentation.features` — the customer table (RFM + firmographics)
  from warehouse rows, and :class:`FeatureEncoder` (log1p, standardisation, weighted one-hot);
- :mod:`~pilotage.models.segmentation.clustering` — :class:`Segmenter` (k-means or Gaussian
  mixture, k chosen by silhouette or BIC, stability across seeds);
- :mod:`~pilotage.models.segmentation.profiles` — size, revenue, margin, growth, order value,
  LTV and CAC of each segment;
- :mod:`~pilotage.models.segmentation.naming` — plain-language names in English and French;
- :mod:`~pilotage.models.segmentation.rules` — segments defined by rules written as data.

Formulas, choices and the reference checks are in docs/segmentation.md.
"""

from __future__ import annotations

from pilotage.models.segmentation.clustering import KScore, Segmenter
from pilotage.models.segmentation.features import (
    FIRMOGRAPHICS,
    CustomerFeatures,
    FeatureEncoder,
    build_customer_features,
    features_table,
)
from pilotage.models.segmentation.naming import SegmentName, suggest_names
from pilotage.models.segmentation.profiles import (
    SegmentProfile,
    SegmentProfiles,
    TopValue,
    profile_segments,
)
from pilotage.models.segmentation.rfm import (
    RFM,
    RFM_GRID,
    RFM_SEGMENTS,
    orders_from_deals,
    quintile_scores,
    rfm_from_deals,
    rfm_from_orders,
    rfm_scores,
    rfm_segment,
    segment_label,
)
from pilotage.models.segmentation.rules import (
    OTHER,
    Condition,
    Rule,
    RuleError,
    apply_rules,
    check_rules,
    parse_rules,
)

__all__ = [
    "FIRMOGRAPHICS",
    "OTHER",
    "RFM",
    "RFM_GRID",
    "RFM_SEGMENTS",
    "Condition",
    "CustomerFeatures",
    "FeatureEncoder",
    "KScore",
    "Rule",
    "RuleError",
    "SegmentName",
    "SegmentProfile",
    "SegmentProfiles",
    "Segmenter",
    "TopValue",
    "apply_rules",
    "build_customer_features",
    "check_rules",
    "features_table",
    "orders_from_deals",
    "parse_rules",
    "profile_segments",
    "quintile_scores",
    "rfm_from_deals",
    "rfm_from_orders",
    "rfm_scores",
    "rfm_segment",
    "segment_label",
    "suggest_names",
]
