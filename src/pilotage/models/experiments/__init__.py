"""Test & Learn statistics: design, analysis and checks of A/B tests and pilots (no Django).

Arms are given as summary statistics (:mod:`~pilotage.models.experiments.inputs`); the
modules are:

- :mod:`~pilotage.models.experiments.design` — sample size, minimum detectable effect and
  duration;
- :mod:`~pilotage.models.experiments.frequentist` — z- and Welch tests, CUPED, ratio metrics,
  relative lift by the delta method, and :func:`analyze`;
- :mod:`~pilotage.models.experiments.corrections` — sample-ratio mismatch, Holm and
  Benjamini–Hochberg adjustments, guardrail metrics.

>>> from pilotage.models.experiments import ProportionArm, analyze, srm_check
>>> a, b = ProportionArm("A", 10_000, 400), ProportionArm("B", 10_000, 470)
>>> srm_check([a, b]).ok, analyze(a, b).significant
(True, True)
"""

from pilotage.models.experiments.bayesian import BayesianResult, GaussianPrior, bayesian_test
from pilotage.models.experiments.corrections import (
    SRM_THRESHOLD,
    GuardrailCheck,
    SrmCheck,
    adjust_p_values,
    benjamini_hochberg,
    guardrail_check,
    holm,
    srm_check,
)
from pilotage.models.experiments.design import (
    Detectable,
    Plan,
    achieved_power,
    cohens_h,
    detectable_effect_size,
    mde_mean,
    mde_proportion,
    plan_mean,
    plan_proportion,
    required_users_per_arm,
)
from pilotage.models.experiments.frequentist import (
    Cuped,
    Result,
    analyze,
    cuped_adjustment,
    cuped_ttest,
    ratio_ttest,
    relative_lift,
    two_proportion_ztest,
    welch_ttest,
)

# bayesian, sequential and geo add their exports below.
from pilotage.models.experiments.geo import (
    DiDResult,
    GeoPanel,
    SyntheticControlResult,
    difference_in_differences,
    synthetic_control,
)
from pilotage.models.experiments.inputs import Arm, MeanArm, ProportionArm, RatioArm
from pilotage.models.experiments.report import report
from pilotage.models.experiments.sequential import SequentialResult, sequential_test

__all__ = [
    "BayesianResult",
    "DiDResult",
    "GaussianPrior",
    "GeoPanel",
    "SequentialResult",
    "SyntheticControlResult",
    "bayesian_test",
    "difference_in_differences",
    "report",
    "sequential_test",
    "synthetic_control",
    "SRM_THRESHOLD",
    "Arm",
    "Cuped",
    "Detectable",
    "GuardrailCheck",
    "MeanArm",
    "Plan",
    "ProportionArm",
    "RatioArm",
    "Result",
    "SrmCheck",
    "achieved_power",
    "adjust_p_values",
    "analyze",
    "benjamini_hochberg",
    "cohens_h",
    "cuped_adjustment",
    "cuped_ttest",
    "detectable_effect_size",
    "guardrail_check",
    "holm",
    "mde_mean",
    "mde_proportion",
    "plan_mean",
    "plan_proportion",
    "ratio_ttest",
    "relative_lift",
    "required_users_per_arm",
    "srm_check",
    "two_proportion_ztest",
    "welch_ttest",
]
