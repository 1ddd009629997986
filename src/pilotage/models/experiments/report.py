"""One call from per-arm summary statistics to the report the CLI and the registry show.

``report(arms, method)`` compares every variant with the control (the first arm):
``frequentist`` (z or Welch test, fixed horizon), ``bayesian`` (GrowthBook's model) or
``sequential`` (always-valid, for pilots looked at every day). The sample-ratio check runs
first and blocks the verdict when the split is broken; with several variants, p-values are
Holm-adjusted. The shape is the CLI's documented JSON (``pilotage experiment analyze --json``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pilotage.models.experiments.bayesian import bayesian_test
from pilotage.models.experiments.corrections import holm, srm_check
from pilotage.models.experiments.frequentist import analyze
from pilotage.models.experiments.inputs import Arm
from pilotage.models.experiments.sequential import sequential_test
from pilotage.models.experiments.verdict import decide

METHODS = ("frequentist", "bayesian", "sequential")


def report(
    arms: Sequence[Arm],
    method: str = "frequentist",
    *,
    split: Sequence[float] | None = None,
    metric: str = "the metric",
    finished: bool = True,
    alpha: float = 0.05,
    expected_users: int | None = None,
) -> dict[str, Any]:
    """The comparison of every variant with ``arms[0]``, the SRM check and the verdict.

    ``expected_users`` tunes the sequential test (the planned users of both arms; default: the
    users observed so far, which suits an analysis at the planned end).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    control, variants = arms[0], list(arms[1:])
    srm = srm_check(list(arms), split)
    rows: dict[str, dict[str, Any]] = {}
    for variant in variants:
        bayes = bayesian_test(control, variant, alpha=alpha)
        row: dict[str, Any] = {
            "chance_to_win": bayes.chance_to_win,
            "risk": bayes.risk,
            "risk_control": bayes.risk_control,
        }
        if method == "bayesian":
            row |= {"lift": bayes.lift, "lift_low": bayes.lift_low, "lift_high": bayes.lift_high}
        elif method == "sequential":
            planned: int = expected_users or (control.users + variant.users)
            seq = sequential_test(control, variant, alpha=alpha, expected_users=planned)
            row |= {
                "lift": seq.lift,
                "lift_low": seq.lift_low,
                "lift_high": seq.lift_high,
                "p_value": seq.p_value,
                "decision": seq.decision.value if hasattr(seq.decision, "value") else seq.decision,
            }
        else:
            freq = analyze(control, variant, alpha=alpha)
            row |= {
                "lift": freq.lift,
                "lift_low": freq.lift_low,
                "lift_high": freq.lift_high,
                "absolute_lift": freq.absolute_lift,
                "p_value": freq.p_value,
                "test": freq.test,
            }
        rows[variant.name] = row
    if method != "bayesian" and len(rows) > 1:
        adjusted = holm([r["p_value"] for r in rows.values()])
        for row, p in zip(rows.values(), adjusted, strict=True):
            row["p_value_adjusted"] = p
    best_name = max(rows, key=lambda name: rows[name]["chance_to_win"])
    best = rows[best_name]
    # Without a p-value (Bayesian), significance is the credible interval excluding 0.
    p_best = best.get("p_value_adjusted", best.get("p_value"))
    if p_best is None:
        p_best = 0.0 if best["lift_low"] > 0 or best["lift_high"] < 0 else 1.0
    verdict = decide(
        variant=best_name,
        metric=metric,
        lift=best["lift"],
        lift_low=best["lift_low"],
        lift_high=best["lift_high"],
        p_value=p_best,
        chance_to_win=best["chance_to_win"],
        srm_ok=srm.ok,
        srm_message_en=srm.message_en,
        srm_message_fr=srm.message_fr,
        finished=finished,
        alpha=alpha,
    )
    return {
        "control": control.name,
        "method": method,
        "variants": rows,
        "srm": {
            "p_value": srm.p_value,
            "ok": srm.ok,
            "message": srm.message_en,
            "message_fr": srm.message_fr,
        },
        "verdict": verdict.code,
        "best_variant": best_name,
        "explanation": {"en": verdict.sentence_en, "fr": verdict.sentence_fr},
    }
