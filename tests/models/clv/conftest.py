"""Shared references for the CLV tests: lifetimes' CDNOW data and fits, loaded at test time.

lifetimes 0.11.3 warns on import under pandas 3 (a deprecated pandas option); the modules that
use these fixtures filter that warning with :data:`LIFETIMES_WARNINGS`, locally.
"""

import numpy as np
import pytest

LIFETIMES_WARNINGS = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore:The 'mode.chained_assignment' option is deprecated"),
]


@pytest.fixture(scope="session")
def cdnow():
    """CDNOW's 2,357 customers (weeks): frequency, recency, T, monetary_value arrays."""
    from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value

    data = load_cdnow_summary_data_with_monetary_value()
    return {
        "frequency": data["frequency"].to_numpy(dtype=float),
        "recency": data["recency"].to_numpy(dtype=float),
        "T": data["T"].to_numpy(dtype=float),
        "monetary_value": data["monetary_value"].to_numpy(dtype=float),
    }


@pytest.fixture(scope="session")
def lifetimes_fits(cdnow):
    """lifetimes' BetaGeoFitter and GammaGammaFitter (penalizer 0) on CDNOW."""
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    x, tx, age, m = (cdnow[k] for k in ("frequency", "recency", "T", "monetary_value"))
    bg = BetaGeoFitter(penalizer_coef=0.0).fit(x, tx, age)
    repeat = x > 0
    gg = GammaGammaFitter(penalizer_coef=0.0).fit(x[repeat], m[repeat])
    return bg, gg


def relative(a, b):
    """Largest relative difference (absolute where the reference is below 1)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0)))
