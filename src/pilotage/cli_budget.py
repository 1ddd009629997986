"""``pilotage budget``: budget allocation from a fitted marketing-mix model (optimize, curve).

No Django: the commands read a model saved by ``pilotage mmm fit --model-out``.
"""

from __future__ import annotations

import json

import click

from pilotage.cli_options import language_option

# the fitted model every budget command reads
model_option = click.option(
    "--model",
    "model_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A model saved by `pilotage mmm fit --model-out`.",
)


@click.group()
def budget() -> None:
    """Budget allocation from a fitted marketing-mix model (see docs/allocation.md)."""


@budget.command("optimize")
@model_option
@click.option("--total", required=True, type=float, help="The budget over the horizon.")
@click.option("--weeks", required=True, type=click.IntRange(1, 520), help="The horizon.")
@click.option("--min", "minimums", multiple=True, help="CHANNEL=AMOUNT over the horizon.")
@click.option("--max", "maximums", multiple=True, help="CHANNEL=AMOUNT over the horizon.")
@click.option("--max-change", type=float, help="Largest change per channel vs current (0.3 = 30%).")
@click.option(
    "--cautious",
    is_flag=True,
    help="Maximise the gain over the current split reached in 90% of the model's draws (its "
    "10% quantile, draw by draw) instead of the expected outcome.",
)
@click.option(
    "--confidence",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Only move as far as beats the current split in this share of the model's draws "
    "(0.9 = 90%).",
)
@language_option("Language of the errors and warnings (the JSON's warnings stay in English).")
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
def budget_optimize(
    model_path: str,
    total: float,
    weeks: int,
    minimums: tuple[str, ...],
    maximums: tuple[str, ...],
    max_change: float | None,
    cautious: bool,
    confidence: float | None,
    language: str,
    as_json: bool,
) -> None:
    """Split TOTAL over the model's channels for the best expected outcome over WEEKS weeks.

    JSON: {"allocation": {channel: amount over the weeks}, "expected": {"mean", "low", "high"},
    "current": {"allocation": {…}, "mean", "low", "high"}, "uplift": {"mean", "low", "high"},
    "marginal_roi": {…}, "warnings": […], "kept_current", "chance_better"} — the allocation
    sums to TOTAL to the cent; intervals are 90%; chance_better is the share of the model's
    draws in which the allocation beats the current split rescaled to TOTAL.
    """
    from pilotage.allocation import AllocationError, optimize
    from pilotage.models.mmm import MarketingMixModel, NotConvergedError

    model = MarketingMixModel.load(model_path)
    bounds = {
        "--min": _amounts(minimums, "--min", model.channels),
        "--max": _amounts(maximums, "--max", model.channels),
    }
    try:
        result = optimize(
            model,
            total,
            weeks,
            minimum=bounds["--min"],
            maximum=bounds["--max"],
            max_change=max_change,
            objective="uplift_quantile" if cautious else "mean",
            confidence=confidence,
        )
    except AllocationError as exc:
        raise click.ClickException(exc.text(language)) from exc
    except NotConvergedError as exc:
        raise click.ClickException(str(exc)) from exc
    data = result.as_dict()
    report = {
        "allocation": data["allocation"],
        "expected": data["expected"],
        "current": {"allocation": data["current"], **data["current_expected"]},
        "uplift": data["uplift"],
        "marginal_roi": data["marginal_roi"],
        "warnings": data["warnings"],
        "kept_current": data["kept_current"],
        "chance_better": data["chance_better"],
    }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'channel':<24} {'current':>14} {'recommended':>14} {'marginal ROI':>13}")
    for channel, amount in result.allocation.items():
        click.echo(
            f"{channel:<24} {result.current.get(channel, 0.0):>14,.2f} {amount:>14,.2f} "
            f"{result.marginal_roi.get(channel, float('nan')):>13.2f}"
        )
    up = result.uplift
    click.echo(
        f"expected uplift {up.mean:,.0f} (90% interval {up.low:,.0f} – {up.high:,.0f}); better "
        f"than the current split in {result.chance_better:.0%} of the model's draws"
    )
    label = "attention" if language == "fr" else "warning"
    for warning in result.warnings_in(language):
        click.echo(f"{label}: {warning}", err=True)


@budget.command("curve")
@model_option
@click.option("--weeks", required=True, type=click.IntRange(1, 520), help="The horizon.")
@click.option(
    "--shares",
    default="0.5,0.625,0.75,0.875,1,1.125,1.25,1.375,1.5",
    show_default=True,
    help="The totals to try, as shares of the current one (comma-separated).",
)
@click.option(
    "--cautious", is_flag=True, help="Split each total as `budget optimize --cautious` does."
)
@language_option("Language of the errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
def budget_curve_command(
    model_path: str, weeks: int, shares: str, cautious: bool, language: str, as_json: bool
) -> None:
    """What a bigger or smaller total would bring: the best split at each share of the current
    total over WEEKS weeks, its expected outcome and the extra outcome per extra €.

    JSON: {"current_total": …, "points": [{"share", "total", "allocation": {…},
    "expected": {"mean", "low", "high"}, "marginal": {"mean", "low", "high"} | null,
    "warnings": […], "notes": […]}, …]} —
    intervals are 90%; marginal is per extra € from the previous point, draw by draw.
    """
    from pilotage.allocation import AllocationError, budget_curve
    from pilotage.models.mmm import MarketingMixModel, NotConvergedError

    try:
        wanted = [float(x) for x in shares.split(",") if x.strip()]
    except ValueError as exc:
        raise click.BadParameter(
            f"{shares!r}: expected numbers such as 0.5,1,1.5", param_hint="--shares"
        ) from exc
    model = MarketingMixModel.load(model_path)
    objective = "uplift_quantile" if cautious else "mean"
    try:
        points = budget_curve(model, weeks, shares=wanted, objective=objective)
    except AllocationError as exc:
        raise click.ClickException(exc.text(language)) from exc
    except (NotConvergedError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    current = sum(model.current_allocation(weeks).values())
    if as_json:
        report = {"current_total": current, "points": [p.as_dict() for p in points]}
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'share':>6} {'total':>14} {'expected':>14} {'per extra €':>12} {'(90%)':>17}")
    for p in points:
        extra = p.marginal
        per = "" if extra is None else f"{extra.mean:>12.2f} {extra.low:>8.2f}–{extra.high:<8.2f}"
        click.echo(f"{p.share:>6.0%} {p.total:>14,.0f} {p.expected.mean:>14,.0f} {per}")


def _amounts(items: tuple[str, ...], option: str, channels: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for item in items:
        channel, _, amount = item.rpartition("=")
        try:
            value = float(amount)
        except ValueError:
            value = -1.0
        if channel not in channels or value < 0:
            raise click.BadParameter(
                f"{item!r}: expected CHANNEL=AMOUNT with one of {', '.join(channels)}",
                param_hint=option,
            )
        out[channel] = value
    return out
