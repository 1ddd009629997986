"""Budget allocation: fits (rows ↔ models), the scenario's draft budget, audit trail."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotage.models.mmm import Lift, MarketingMixModel, weekly_table
from pilotage.web.imports.models import JobStatus
from pilotage.web.mmm import analysis
from pilotage.web.mmm.models import MmmFit, MmmLiftTest, MmmRoiPrior, MmmTarget
from pilotage.web.plans import services as plans
from pilotage.web.plans.models import Budget
from pilotage.web.workspaces.models import AuditAction, Workspace
from pilotage.web.workspaces.services import record, warehouse

_MODELS: OrderedDict[int, MarketingMixModel] = OrderedDict()


class ScenarioError(ValueError):
    """A scenario that cannot become a budget; the message says why, in the UI language."""


def available_targets(workspace: Workspace) -> list[str]:
    """The outcomes the workspace's data can explain: revenue when it has orders, leads when it
    has leads (a B2B company has both; its media drive leads far more visibly than revenue).
    Counted from the tables' metadata: the model page asks on every refresh."""
    store = warehouse()
    tables = {MmmTarget.REVENUE: "orders", MmmTarget.LEADS: "leads"}
    return [target for target, table in tables.items() if store.row_count(workspace.slug, table)]


def target_for(workspace: Workspace, available: list[str] | None = None) -> str:
    """The outcome the workspace's model explains: that of its latest finished fit (the one the
    model page, the planner and the lift tests show), while the data still have it; before
    any, revenue when there are orders, else leads. ``available``: ``available_targets``, when
    the caller has it already."""
    available = available_targets(workspace) if available is None else available
    latest = MmmFit.objects.filter(workspace=workspace, status="done").first()
    if latest is not None and latest.target in available:
        return latest.target
    return available[0] if available else MmmTarget.LEADS


# A fit saves its progress every few seconds; one silent this long was interrupted (the
# worker stopped or the server restarted) and would otherwise show "running" for ever.
STALE_AFTER = dt.timedelta(minutes=15)
INTERRUPTED = "interrupted: the worker stopped before the fit ended; start it again"


def expire_stale_fits(workspace: Workspace) -> int:
    """Mark as failed the queued or running fits without news for ``STALE_AFTER``."""
    now = timezone.now()
    return MmmFit.objects.filter(
        workspace=workspace,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        updated_at__lt=now - STALE_AFTER,
    ).update(status=JobStatus.FAILED, step=INTERRUPTED, finished_at=now, updated_at=now)


def latest_fit(workspace: Workspace) -> MmmFit | None:
    expire_stale_fits(workspace)
    return MmmFit.objects.filter(workspace=workspace).select_related("created_by").first()


def latest_usable_fit(workspace: Workspace) -> MmmFit | None:
    for fit in MmmFit.objects.filter(workspace=workspace, status="done"):
        return fit if fit.usable else None
    return None


def start_fit(workspace: Workspace, actor: AbstractBaseUser, target: str | None = None) -> MmmFit:
    """Queue a fit of the workspace's model of ``target`` (by default the current outcome, that
    of the latest finished fit, which the other pages follow); the task worker runs it."""
    from pilotage.web.mmm.tasks import run_fit

    if target is not None and target not in available_targets(workspace):
        raise ValueError(f"the workspace's data have no {target} to explain")
    target = target or target_for(workspace)
    fit = MmmFit.objects.create(workspace=workspace, target=target, created_by=actor)
    record(workspace, actor, AuditAction.CREATE, fit)
    run_fit.enqueue(fit.pk)
    return fit


def holidays_of(workspace: Workspace) -> frozenset[dt.date] | None:
    """The public holidays the model controls for: those of the workspace's country (and
    region), none without one."""
    if not workspace.country:
        return None
    return workspace.public_holidays(range(2000, dt.date.today().year + 2))


def lift_tests_of(workspace: Workspace, target: str) -> tuple[list[Lift], list[Lift]]:
    """The workspace's lift tests as the model's calibration: those entered in ``target``'s
    outcome (or before outcomes were recorded), and those entered in another outcome, which a
    fit of ``target`` cannot use."""
    usable: list[Lift] = []
    other: list[Lift] = []
    for t in MmmLiftTest.objects.filter(workspace=workspace):
        lift = Lift(
            channel=t.channel,
            delta_spend=float(t.extra_spend),
            delta_outcome=float(t.extra_outcome),
            standard_error=float(t.standard_error),
            weeks=t.weeks,
        )
        (usable if t.outcome in ("", target) else other).append(lift)
    return usable, other


def spend_channels(workspace: Workspace) -> list[str]:
    """The channels with spend in the workspace's warehouse (empty when it has no spend)."""
    from pilotage.warehouse import connect

    con = connect(warehouse(), workspace.slug)  # a workspace without data has empty tables
    rows = con.execute("SELECT DISTINCT channel FROM spend ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0]]


def add_lift_test(workspace: Workspace, actor: AbstractBaseUser, **fields) -> MmmLiftTest:
    """Save a lift test, in the outcome the workspace's model explains now."""
    fields.setdefault("outcome", target_for(workspace))
    test = MmmLiftTest.objects.create(workspace=workspace, created_by=actor, **fields)
    record(workspace, actor, AuditAction.CREATE, test)
    return test


def delete_lift_test(test: MmmLiftTest, actor: AbstractBaseUser) -> None:
    record(test.workspace, actor, AuditAction.DELETE, test)
    test.delete()


def roi_priors_of(workspace: Workspace, target: str) -> dict[str, tuple[float, float]]:
    """The workspace's expected returns entered in ``target``'s outcome, channel → 90% interval
    in the model's units (outcome per unit of currency)."""
    priors = MmmRoiPrior.objects.filter(workspace=workspace, outcome=target)
    return {p.channel: p.interval() for p in priors}


def add_roi_prior(workspace: Workspace, actor: AbstractBaseUser, **fields) -> MmmRoiPrior:
    """Save a channel's expected return in the outcome the workspace's model explains now,
    replacing the one it had (audited as a change)."""
    outcome = fields.pop("outcome", None) or target_for(workspace)
    prior = MmmRoiPrior.objects.filter(
        workspace=workspace, channel=fields["channel"], outcome=outcome
    ).first()
    if prior is None:
        prior = MmmRoiPrior.objects.create(
            workspace=workspace, outcome=outcome, created_by=actor, **fields
        )
        record(workspace, actor, AuditAction.CREATE, prior)
        return prior
    changes = {
        k: [_plain(getattr(prior, k)), _plain(v)]
        for k, v in fields.items()
        if getattr(prior, k) != v
    }
    for key, value in fields.items():
        setattr(prior, key, value)
    prior.created_by, prior.created_at = actor, timezone.now()
    prior.save()
    record(workspace, actor, AuditAction.UPDATE, prior, changes)
    return prior


def _plain(value: object) -> str:
    """``0.5`` for ``Decimal("0.5000")``, as the audit trail shows it."""
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def delete_roi_prior(prior: MmmRoiPrior, actor: AbstractBaseUser) -> None:
    record(prior.workspace, actor, AuditAction.DELETE, prior)
    prior.delete()


def fit_model(
    workspace: Workspace,
    target: str,
    progress: Callable[[float, str], None],
    lift_tests: Sequence[Lift] = (),
    other_outcome: Sequence[Lift] = (),
    roi_priors: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[dict, dict]:
    """Fit the model on the workspace's weekly table, calibrated by ``lift_tests`` and with the
    expected returns ``roi_priors`` (channel → 90% interval of its ROI) on channels the table
    has; returns (model JSON, results JSON). The results list every test with ``used`` and,
    when not used, ``skipped``: ``"no_spend"`` (the channel has no spend in the data) or
    ``"other_outcome"`` (``other_outcome``: entered in another outcome than ``target``); and
    every expected return with ``used``."""
    progress(0.05, "reading the weekly data")
    table = weekly_table(warehouse(), workspace.slug, target, holidays=holidays_of(workspace))
    used = [t for t in lift_tests if t.channel in table["spend"]]
    priors = {c: v for c, v in (roi_priors or {}).items() if c in table["spend"]}
    progress(0.15, "fitting the model")
    model = MarketingMixModel(lift_tests=used, roi_priors=priors).fit(
        table["spend"], table["y"], dates=table["dates"], controls=table["controls"]
    )
    progress(0.8, "computing the response curves")
    results = analysis.fit_results(
        model, table["dates"][-1], currency=workspace.currency, outcome=target
    )
    results["lift_tests"] = [
        vars(t) | {"used": t in used, "skipped": "" if t in used else "no_spend"}
        for t in lift_tests
    ] + [vars(t) | {"used": False, "skipped": "other_outcome"} for t in other_outcome]
    # what the fit counted as days off (the setting may change before the next fit)
    results["holidays"] = {"country": workspace.country, "region": workspace.region}
    if results["diagnostics"]["converged"]:
        progress(0.88, "computing the budget curve")
        results["budget_curve"] = analysis.budget_curve(model)
    results["roi_priors"] = [
        {"channel": c, "low": low, "high": high, "used": c in priors}
        for c, (low, high) in (roi_priors or {}).items()
    ]
    progress(0.95, "saving")
    return _dump(model), results


def _dump(model: MarketingMixModel) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json"
        model.save(path)
        return json.loads(path.read_text(encoding="utf-8"))


def load_model(fit: MmmFit) -> MarketingMixModel:
    """The fit's saved model, rebuilt once per process and kept for the next requests."""
    if fit.pk not in _MODELS:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.json"
            path.write_text(json.dumps(fit.model), encoding="utf-8")
            _MODELS[fit.pk] = MarketingMixModel.load(path)
        while len(_MODELS) > 4:
            _MODELS.popitem(last=False)
    _MODELS.move_to_end(fit.pk)
    return _MODELS[fit.pk]


def horizon_start(fit: MmmFit) -> dt.date:
    """The Monday after the last week of data: the scenario starts there."""
    return dt.date.fromisoformat(fit.results["last_week"]) + dt.timedelta(days=7)


def fiscal_year(workspace: Workspace, day: dt.date) -> int:
    """The fiscal year containing ``day``, labelled by the calendar year it starts in."""
    return day.year if day.month >= workspace.fiscal_year_start_month else day.year - 1


@transaction.atomic
def apply_scenario(
    fit: MmmFit,
    allocation: Mapping[str, float],
    weeks: int,
    kind: str,
    *,
    actor: AbstractBaseUser | None,
) -> Budget:
    """A new draft budget for the fiscal year of the horizon's start whose planned lines spread
    each channel's amount over the horizon's months (see :func:`analysis.monthly_amounts`)."""
    workspace = fit.workspace
    start = horizon_start(fit)
    end = start + dt.timedelta(days=7 * weeks - 1)
    year = fiscal_year(workspace, start)
    first = workspace.fiscal_year_start_month
    if fiscal_year(workspace, end) != year:
        raise ScenarioError(
            _(
                "The horizon runs past the end of fiscal year %(year)s: shorten it so that it "
                "ends by %(end)s, or plan the next year separately."
            )
            % {"year": year, "end": dt.date(year + 1, first, 1) - dt.timedelta(days=1)}
        )
    days = analysis.horizon_days(start, weeks)
    lines = []
    for channel, value in allocation.items():
        cents = Decimal(str(round(float(value), 2)))
        if cents <= 0:
            continue
        for (_year, month), planned in analysis.monthly_amounts(cents, days).items():
            if planned:
                lines.append(plans.Line(month=month, channel=channel, planned=planned))
    label = _("recommended") if kind == "recommended" else _("edited")
    base = _("Scenario %(date)s (%(kind)s)") % {"date": start.isoformat(), "kind": label}
    name, n = base, 2
    while Budget.objects.filter(workspace=workspace, year=year, name=name).exists():
        name, n = f"{base} {n}", n + 1
    budget = plans.create_budget(workspace, year, name[:60], actor=actor)
    plans.replace_lines(budget, lines, actor=actor)
    record(
        workspace,
        actor,
        AuditAction.CREATE,
        budget,
        {"scenario": ["", f"MMM fit {fit.pk}, {kind}, {weeks} weeks from {start.isoformat()}"]},
    )
    return budget
