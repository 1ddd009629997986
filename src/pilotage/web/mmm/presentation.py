"""What the templates get: rows, plain-language diagnostics and charts. No HTTP."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from pilotage.allocation import AllocationError, optimize
from pilotage.models.mmm import MarketingMixModel
from pilotage.web.mmm import analysis, charts, services
from pilotage.web.mmm.forms import ScenarioForm
from pilotage.web.mmm.models import ROI_DISPLAY_SCALE, MmmFit, MmmTarget
from pilotage.web.mmm.services import INTERRUPTED


def units(fit: MmmFit) -> dict[str, Any]:
    return units_for(fit.target, fit.workspace.currency)


def units_for(target: str, currency: str) -> dict[str, Any]:
    """How the pages name and scale a model's figures: revenue per unit of ``currency``, or
    leads per 1,000 of it (``ROI_DISPLAY_SCALE``)."""
    if target == MmmTarget.LEADS:
        return {
            "scale": ROI_DISPLAY_SCALE[MmmTarget.LEADS],
            "roi": _("Leads per 1,000 %(currency)s spent") % {"currency": currency},
            "outcome": _("Leads"),
            "weekly": _("Leads per week"),
            "money": False,
            "break_even": None,
        }
    return {
        "scale": 1.0,
        "roi": _("Revenue per %(currency)s spent") % {"currency": currency},
        "outcome": _("Revenue"),
        "weekly": _("Revenue per week"),
        "money": True,
        "break_even": 1.0,
    }


def step_label(step: str) -> str:
    labels = {
        "starting": _("starting"),
        "reading the weekly data": _("reading the weekly data"),
        "fitting the model": _("fitting the model"),
        "computing the response curves": _("computing the response curves"),
        "computing the budget curve": _("computing the budget curve"),
        "saving": _("saving"),
        INTERRUPTED: _("interrupted: the worker stopped before the fit ended; start it again"),
    }
    return labels.get(step, step)


def fit_context(fit: MmmFit, language: str) -> dict[str, Any]:
    """The fit's results as table rows, diagnostics in plain words and two charts."""
    context: dict[str, Any] = {"step": step_label(fit.step)}
    if fit.status != "done":
        return context
    results, unit = fit.results, units(fit)
    k = unit["scale"]
    rows = [
        {
            "channel": name,
            "roi": r["roi"] * k,
            "roi_low": r["roi_low"] * k,
            "roi_high": r["roi_high"] * k,
            "mroi": r["mroi"] * k,
            "mroi_low": r["mroi_low"] * k,
            "mroi_high": r["mroi_high"] * k,
            "share": 100 * r["contribution_share"],
            "spend": r["spend"],
            "half_life": r["half_life_weeks"],
            "saturation": r["saturation_weekly_spend"],
        }
        for name, r in sorted(results["channels"].items(), key=lambda kv: -kv[1]["roi"])
    ]
    diagnostics = results["diagnostics"]
    holdout = diagnostics.get("holdout")
    context["roi_priors"] = [  # fits before expected returns existed have none
        p | {"low": p["low"] * k, "high": p["high"] * k} for p in results.get("roi_priors", [])
    ]
    # returns far outside the assumed range, in the page's units (the library's message, in
    # English, only where a saved fit lacks the figures)
    context["prior_conflicts"] = [
        {"channel": c["channel"], "message": c["message"]}
        | (
            {
                "roi": c["roi"] * k,
                "low": c["prior_low"] * k,
                "high": c["prior_high"] * k,
                "above": c["roi"] > c["prior_high"],
            }
            if {"roi", "prior_low", "prior_high"} <= set(c)
            else {}
        )
        for c in diagnostics.get("prior_conflicts", [])
    ]
    # channels the data barely informed (fits saved before 2026-12-08 have no such list)
    context["weakly_identified"] = [
        {"channel": c["channel"], "narrowing": round(100 * c["narrowing"])}
        for c in diagnostics.get("weakly_identified", [])
    ]
    context.update(
        units=unit,
        rows=rows,
        diagnostics=diagnostics,
        mape=100 * diagnostics["mape"],
        holdout_mape=100 * holdout["mape"] if holdout else None,
        summary=results["summary"].get(language, results["summary"]["en"]),
        roi_chart=charts.roi_intervals(
            [
                {
                    "channel": r["channel"],
                    "roi": r["roi"],
                    "low": r["roi_low"],
                    "high": r["roi_high"],
                }
                for r in rows
            ],
            value_title=unit["roi"],
            break_even=unit["break_even"],
        ),
    )
    if diagnostics["converged"]:
        context["curves_chart"] = charts.response_curves(
            results["curves"],
            spend_title=_("Weekly spend"),
            outcome_title=unit["weekly"],
        )
    if diagnostics["converged"] and results.get("contributions"):  # fits saved before: none
        context["contributions_chart"] = contributions_chart(results["contributions"], unit)
    return context


def contributions_chart(parts: dict[str, Any], unit: dict[str, Any]) -> dict:
    """The weekly outcome stacked by its drivers: the baseline, then channels by contribution.

    The stack is the posterior mode, which adds up to the model's fit of the outcome (the
    means of skewed draws run above it); fits saved before the mode was kept stack the means.
    """
    stacked = "mode" if "mode" in parts["baseline"] else "mean"
    channels = sorted(parts["channels"].items(), key=lambda kv: -sum(kv[1][stacked]))
    series = [(pgettext("mmm chart", "Baseline"), parts["baseline"]), *channels]
    rows = [
        {
            "week": week,
            "series": name,
            "order": order,
            "value": band[stacked][i],
            "low": band["low"][i],
            "high": band["high"][i],
        }
        for order, (name, band) in enumerate(series)
        for i, week in enumerate(parts["weeks"])
    ]
    actual = [{"week": w, "value": v} for w, v in zip(parts["weeks"], parts["actual"], strict=True)]
    return charts.contributions_over_time(
        rows, actual, outcome_title=unit["weekly"], actual_title=_("Actual")
    )


def scenario_context(
    fit: MmmFit, model: MarketingMixModel, form: ScenarioForm, language: str | None = None
) -> dict[str, Any]:
    """Current, recommended and edited allocations over the horizon, with their predictions.

    The optimiser's warnings and errors are in ``language`` (the active one by default)."""
    language = language or get_language() or "en"
    context: dict[str, Any] = {"fit": fit, "form": form, "units": units(fit)}
    if not form.is_valid():
        return context
    weeks = form.cleaned_data["weeks"]
    current = {c: round(x, 2) for c, x in model.current_allocation(weeks).items()}
    total = form.cleaned_data["total"]
    total = round(sum(current.values()), 2) if total is None else float(total)
    minimum, maximum = form.per_channel("min"), form.per_channel("max")
    context.update(weeks=weeks, total=total, start=services.horizon_start(fit))
    # what the apply buttons post back, so the budget gets the recommendation the page shows
    context["settings"] = {
        key: form.cleaned_data.get(key) for key in ("max_change", "confidence", "cautious")
    }
    try:
        change = form.cleaned_data.get("max_change")
        sure = form.cleaned_data.get("confidence")
        plan = optimize(
            model,
            total,
            weeks,
            minimum=minimum,
            maximum=maximum,
            max_change=None if change is None else float(change) / 100,
            objective="uplift_quantile" if form.cleaned_data.get("cautious") else "mean",
            confidence=None if sure is None else float(sure) / 100,
        )
    except AllocationError as exc:
        context["error"] = exc.text(language)
        plan = None
    proposed = plan.allocation if plan else current
    edited = {c: round(proposed[c], 2) for c in model.channels}
    edited.update(form.per_channel("amount"))
    context["current"] = analysis.evaluate(model, current, weeks, current)
    context["recommended"] = (
        analysis.evaluate(model, plan.allocation, weeks, current) if plan else None
    )
    context["edited"] = analysis.evaluate(model, edited, weeks, current)
    context["warnings"] = plan.warnings_in(language) if plan else ()
    vague = {c["channel"] for c in fit.results["diagnostics"].get("weakly_identified", [])}
    context["rows"] = [
        {
            "i": i,
            "channel": c,
            "weakly_identified": c in vague,
            "current": current[c],
            "recommended": plan.allocation[c] if plan else None,
            "edited": edited[c],
            "min": minimum.get(c),
            "max": maximum.get(c),
        }
        for i, c in enumerate(model.channels)
    ]
    context["predictions"] = [
        ("current", context["current"], _("Current allocation")),
        ("recommended", context["recommended"], _("Recommended allocation")),
        ("edited", context["edited"], _("Your scenario")),
    ]
    names = {"current": _("Current"), "recommended": _("Recommended"), "edited": _("Edited")}
    context["allocation_chart"] = charts.allocation_bars(
        [
            {"channel": row["channel"], "scenario": names[kind], "amount": row[kind]}
            for row in context["rows"]
            for kind in names
            if row[kind] is not None
        ],
        value_title=_("Spend over the horizon"),
    )
    return context


def budget_curve_context(fit: MmmFit, language: str | None = None) -> dict[str, Any] | None:
    """The budget curve kept with the fit (``analysis.budget_curve``) as the planner shows it:
    rows in the page's units, the chart, and the step above the current total with what the
    model says of it; ``None`` for a fit from before the curve was kept."""
    curve = fit.results.get("budget_curve")
    if not curve:
        return None
    unit = units(fit)
    language = "fr" if (language or get_language() or "en").startswith("fr") else "en"
    rows: list[dict[str, Any]] = []
    for point in curve["points"]:
        marginal = point["marginal"]
        warnings = point.get("warnings") or {}
        rows.append(
            {
                "share": point["share"],
                "total": point["total"],
                "current": abs(point["share"] - 1.0) < 1e-9,
                # the share of the current total this row adds to the one above
                "step_share": point["share"] - rows[-1]["share"] if rows else None,
                **point["expected"],
                "expected": point["expected"]["mean"],
                "marginal": None
                if marginal is None
                else {k: v * unit["scale"] for k, v in marginal.items()},
                # the optimiser's warnings at that total, in the page's language
                "warnings": warnings.get(language, []) if isinstance(warnings, dict) else [],
            }
        )
    # the step from the current total to the next one up (none if the current total is not
    # among the points, or is the last)
    at = next((i for i, r in enumerate(rows) if r["current"]), None)
    step = rows[at + 1] if at is not None and at + 1 < len(rows) else None
    verdict = None
    if step is not None and unit["break_even"] is not None:
        m = step["marginal"]
        verdict = (
            "pays"
            if m["low"] > unit["break_even"]
            else ("loses" if m["high"] < unit["break_even"] else "unsure")
        )
    chart = charts.budget_curve(
        [{k: r[k] for k in ("total", "expected", "low", "high", "current")} for r in rows],
        total_title=_("Total budget over %(weeks)s weeks") % {"weeks": curve["weeks"]},
        outcome_title=unit["outcome"],
    )
    return {"weeks": curve["weeks"], "rows": rows, "chart": chart, "step": step, "verdict": verdict}


SUGGESTIONS = 3


def lift_test_suggestions(fit: MmmFit) -> list[dict[str, Any]]:
    """The channels a lift test would teach the model most about: those spending now whose ROI
    is the least certain — first those the data barely informed (``weakly_identified``), then
    by the widest ratio of the 90% interval's ends — at most three."""
    k = units(fit)["scale"]
    vague = {c["channel"] for c in fit.results.get("diagnostics", {}).get("weakly_identified", [])}
    rows = [
        {
            "channel": name,
            "roi_low": r["roi_low"] * k,
            "roi_high": r["roi_high"] * k,
            "spread": r["roi_high"] / max(r["roi_low"], 1e-12),
            "weekly_spend": r["current_weekly_spend"],
        }
        for name, r in fit.results.get("channels", {}).items()
        if r.get("current_weekly_spend", 0) > 0
    ]
    rows.sort(key=lambda row: (row["channel"] not in vague, -row["spread"]))
    return rows[:SUGGESTIONS]
