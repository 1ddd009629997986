"""Registry rows → the statistics library → what the pages show (no HTTP here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pilotage.models.experiments.design import mde_mean, mde_proportion, plan_mean, plan_proportion
from pilotage.models.experiments.inputs import MeanArm, ProportionArm
from pilotage.models.experiments.report import report
from pilotage.web.experiments.models import Decision, Experiment, MetricType, Status
from pilotage.web.experiments.services import latest_results


@dataclass(frozen=True)
class ArmRow:
    name: str
    lift: float | None
    low: float | None
    high: float | None
    p_value: float | None
    chance_to_win: float
    risk: float


@dataclass(frozen=True)
class Analysis:
    code: str
    sentence: str
    tone: str
    srm: dict
    srm_message: str
    arms: list[ArmRow]


def design(pilot: Experiment) -> dict[str, Any]:
    """The power calculation of the pilot as planned, and what its duration can detect."""
    common = {"daily_traffic": pilot.daily_traffic, "arms": pilot.arms}
    try:
        if pilot.metric_type == MetricType.PROPORTION:
            plan = plan_proportion(pilot.baseline, pilot.mde, **common)
            reach = mde_proportion(pilot.baseline, days=pilot.duration_days, **common)
        else:
            sd = pilot.baseline_sd or 0.0
            plan = plan_mean(pilot.baseline, sd, pilot.mde, **common)
            reach = mde_mean(pilot.baseline, sd, days=pilot.duration_days, **common)
    except ValueError as exc:
        return {"note": str(exc)}
    return {
        "users_per_arm": plan.users_per_arm,
        "days": plan.days,
        "mde_percent": round(pilot.mde * 100, 1),
        "power_percent": round(plan.power * 100),
        "detectable_percent": round((reach.mde_relative or 0) * 100, 1),
    }


def arms(pilot: Experiment) -> list:
    latest = latest_results(pilot)
    rows = []
    for name in pilot.arm_names:
        r = latest.get(name)
        if r is None or r.users == 0:
            return []
        if pilot.metric_type == MetricType.PROPORTION:
            rows.append(ProportionArm(name, r.users, r.conversions or 0))
        else:
            rows.append(MeanArm(name, r.users, r.total or 0.0, r.total_squares or 0.0))
    return rows


def analyze(pilot: Experiment) -> Analysis | None:
    """The sequential analysis (valid however often people look) with the Bayesian odds."""
    data = arms(pilot)
    if len(data) < 2:
        return None
    finished = pilot.status == Status.DECIDED or pilot.days_left() == 0
    planned = int(design(pilot).get("users_per_arm") or 0) * pilot.arms or None
    try:
        result = report(
            data, "sequential", metric=pilot.metric, finished=finished, expected_users=planned
        )
    except ValueError as exc:  # no conversions yet, a single user, no variance…
        why = _("Not enough data for a verdict yet: %(why)s") % {"why": exc}
        return Analysis("waiting", why, "", {"ok": True}, "", [])
    language = (get_language() or "en")[:2]
    tone = {"industrialise": "win", "cut": "loss", "blocked": "blocked"}.get(result["verdict"], "")
    return Analysis(
        code=result["verdict"],
        sentence=result["explanation"]["fr" if language == "fr" else "en"],
        tone=tone,
        srm=result["srm"],
        srm_message=result["srm"]["message_fr" if language == "fr" else "message"],
        arms=[
            ArmRow(
                name,
                r["lift"],
                r["lift_low"],
                r["lift_high"],
                r.get("p_value"),
                r["chance_to_win"],
                r["risk"],
            )
            for name, r in result["variants"].items()
        ],
    )


def arms_from(form) -> dict[str, dict]:
    """The result form's fields, per arm, as ArmResult values."""
    data, out = form.cleaned_data, {}
    for arm in form.experiment.arm_names:
        figures = {"users": data[f"users_{arm}"]}
        if form.experiment.metric_type == MetricType.PROPORTION:
            figures["conversions"] = data[f"conversions_{arm}"]
        else:
            figures["total"] = data[f"total_{arm}"]
            figures["total_squares"] = data[f"total_squares_{arm}"]
        out[arm] = figures
    return out


def figures_of(arm) -> dict:
    """An arm of the statistics library as ArmResult values."""
    if isinstance(arm, ProportionArm):
        return {"users": arm.users, "conversions": arm.conversions}
    return {"users": arm.users, "total": arm.sum, "total_squares": arm.sum_squares}


def portfolio(pilots: list[Experiment]) -> dict[str, Any]:
    today = timezone.localdate()
    running = [p for p in pilots if p.status == Status.RUNNING]
    decided = [p for p in pilots if p.status == Status.DECIDED]
    awaiting = [p for p in running if p.days_left(today) == 0]
    wins = [p for p in decided if p.decision == Decision.INDUSTRIALISE]
    return {
        "rows": [{"pilot": p, "days_left": p.days_left(today)} for p in pilots],
        "running": running,
        "awaiting": awaiting,
        "decided": decided,
        "win_rate": 100 * len(wins) / len(decided) if decided else None,
    }
