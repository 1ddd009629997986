"""The ``pilotage`` command. Django is imported lazily, inside the commands that need it."""

from __future__ import annotations

import json
import os
import sys

import click

from pilotage import __version__
from pilotage.cli_actions import actions
from pilotage.cli_budget import budget
from pilotage.cli_options import language_option

ROLES = ("owner", "manager", "agency", "viewer")


def _django() -> None:
    """Configure Django for the commands that use the app database or serve the web app."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilotage.web.settings")
    import django

    django.setup()


def _workspace(ref: str):
    from pilotage.web.workspaces.services import NotFound, find_workspace

    try:
        return find_workspace(ref)
    except NotFound as exc:
        raise click.BadParameter(str(exc), param_hint="--workspace") from exc


@click.group()
@click.version_option(__version__, prog_name="pilotage")
def main() -> None:
    """Pilotage: the marketing-management cockpit.

    Settings come from environment variables (see docs/configuration.md); by default the app
    keeps its data under ./var.
    """


main.add_command(actions)
main.add_command(budget)


@main.command()
@click.option("--seed", default=42, show_default=True, help="Simulator seed.")
@click.option("--serve/--no-serve", default=True, help="Serve the web app after loading.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(seed: int, serve: bool, host: str, port: int) -> None:
    """Load the demo companies (idempotent), then serve the web app."""
    _django()
    from pilotage.web.workspaces.demo import DEMO_PASSWORD, DEMO_USERS, load_demo

    click.echo("Loading the demo companies…")
    result = load_demo(seed)
    for workspace in result.workspaces:
        tables = result.tables_written[workspace.slug]
        status = f"wrote {', '.join(tables)}" if tables else "already loaded"
        click.echo(f"  {workspace.name} ({workspace.slug}): {status}")
    click.echo(f"Demo logins (password: {DEMO_PASSWORD}):")
    for username, roles in DEMO_USERS.items():
        click.echo(f"  {username:<13} " + ", ".join(f"{r} of {s}" for s, r in roles.items()))
    if serve:
        _serve(host, port, migrate=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--migrate/--no-migrate", default=True, help="Apply database migrations first.")
def serve(host: str, port: int, migrate: bool) -> None:
    """Serve the web app (waitress, a production WSGI server)."""
    _django()
    _serve(host, port, migrate=migrate)


def _serve(host: str, port: int, *, migrate: bool) -> None:
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    from pilotage.web.worker import start_in_thread
    from pilotage.web.wsgi import application

    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if start_in_thread() is not None:
        click.echo("Background tasks run in this process (PILOTAGE_RUN_WORKER=false to stop).")
    click.echo(f"Pilotage is running on http://{host}:{port}/  (Ctrl+C to stop)")
    waitress_serve(application, host=host, port=port, threads=8, ident="pilotage")


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. ``pilotage manage check --deploy``."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pilotage manage", *args])


@main.command()
@click.option("--workspace", "workspace_ref", help="Workspace name or slug.")
@click.option(
    "--metric", "metrics", required=True, help="Comma-separated KPI names, e.g. cac,romi."
)
@click.option("--by", "dimensions", default="", help="Comma-separated dimensions, e.g. channel.")
@click.option("--grain", type=click.Choice(["week", "month", "quarter", "year"]))
@click.option("--from", "start", help="First day or month: 2025-01 or 2025-01-15.")
@click.option("--to", "end", help="Last day or month: 2025-12 or 2025-12-31.")
@click.option("--compare", type=click.Choice(["previous_period", "last_year", "plan"]))
@click.option("--filter", "filters", multiple=True, help="DIMENSION=VALUE[,VALUE…], repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
@click.option("--explain", is_flag=True, help="Print each KPI's definition first.")
def kpi(
    workspace_ref: str | None,
    metrics: str,
    dimensions: str,
    grain: str | None,
    start: str | None,
    end: str | None,
    compare: str | None,
    filters: tuple[str, ...],
    as_json: bool,
    explain: bool,
) -> None:
    """Compute KPIs for a workspace; `pilotage kpi --metric list` lists the KPIs.

    JSON shape: {"query", "as_of", "keys", "metrics": {name: {label, formula, unit, direction,
    vanity}}, "rows": [{key…, metric…, metric__compare, metric__change}], "notes"}.
    """
    from pilotage.metrics import KPIS, MetricQuery, QueryError, run

    if metrics == "list":
        for name, k in KPIS.items():
            click.echo(f"{name:<22} {k.label}{' (vanity)' if k.vanity else ''}: {k.formula}")
        return
    for value, option in ((workspace_ref, "--workspace"), (start, "--from"), (end, "--to")):
        if not value:
            raise click.UsageError(f"{option} is required")
    assert workspace_ref and start and end
    _django()
    from pilotage.web.control.scorecard import source_for
    from pilotage.web.plans.services import plan_lookup

    ws = _workspace(workspace_ref)
    try:
        query = MetricQuery(
            tuple(m.strip() for m in metrics.split(",") if m.strip()),
            _day(start, first=True),
            _day(end, first=False),
            tuple(d.strip() for d in dimensions.split(",") if d.strip()),
            grain,  # type: ignore[arg-type]
            compare,  # type: ignore[arg-type]
            tuple(_filter(f) for f in filters),
        )
        plan = plan_lookup(ws) if compare == "plan" else None
        result = run(query, source_for(ws), plan=plan)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    if explain:
        for k in result.definitions.values():
            click.echo(f"{k.name}: {k.formula}")
        click.echo("")
    columns = [
        *result.keys,
        *(c for c in (result.rows[0] if result.rows else {}) if c not in result.keys),
    ]
    click.echo("\t".join(columns))
    for row in result.rows:
        click.echo("\t".join(_cell(row.get(c)) for c in columns))
    for note in result.notes:
        click.echo(f"note: {note}", err=True)


def _day(text: str, *, first: bool):
    import calendar
    import datetime as dt

    try:
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            day = 1 if first else calendar.monthrange(year, month)[1]
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r}: expected YYYY-MM or YYYY-MM-DD") from exc


def _filter(text: str) -> tuple[str, tuple[str, ...]]:
    name, sep, values = text.partition("=")
    if not sep or not values:
        raise click.BadParameter(
            f"{text!r}: expected DIMENSION=VALUE[,VALUE…]", param_hint="--filter"
        )
    return name.strip(), tuple(v.strip() for v in values.split(","))


def _cell(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


@main.group()
def workspace() -> None:
    """List and create workspaces (one per company)."""


@workspace.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def workspace_list(as_json: bool) -> None:
    """List every workspace with its members' count.

    JSON shape: ``[{"name", "slug", "currency", "locale", "country", "region",
    "fiscal_year_start_month", "members"}]``.
    """
    _django()
    from django.db.models import Count

    from pilotage.web.workspaces.models import Workspace

    rows = [
        {
            "name": w.name,
            "slug": w.slug,
            "currency": w.currency,
            "locale": w.locale,
            "country": w.country,
            "region": w.region,
            "fiscal_year_start_month": w.fiscal_year_start_month,
            "members": w.members,
        }
        for w in Workspace.objects.annotate(members=Count("memberships")).order_by("name")
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No workspace yet: create one with `pilotage workspace create NAME`.")
    for row in rows:
        click.echo(
            f"{row['slug']:<24} {row['name']:<30} {row['currency']}  {row['members']} members"
        )


@workspace.command("create")
@click.argument("name")
@click.option("--slug", help="Short name used in URLs (default: derived from NAME).")
@click.option("--currency", default="EUR", show_default=True, help="ISO 4217 code.")
@click.option("--locale", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--fiscal-year-start", type=click.IntRange(1, 12), default=1, show_default=True)
@click.option(
    "--country",
    help="Two-letter ISO 3166 code of the public holidays (FR, BE, CH, CA, GB, US…); "
    "'' for none. Default: FR with --locale fr, none otherwise.",
)
@click.option("--region", default="", help="The region's code where its holidays differ (QC…).")
@click.option("--owner", help="Username of the workspace's owner.")
def workspace_create(
    name: str,
    slug: str | None,
    currency: str,
    locale: str,
    fiscal_year_start: int,
    country: str | None,
    region: str,
    owner: str | None,
) -> None:
    """Create a workspace for company NAME."""
    _django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from pilotage.web.workspaces.services import create_workspace

    owner_user = None
    if owner:
        owner_user = get_user_model().objects.filter(username=owner).first()
        if owner_user is None:
            raise click.BadParameter(f"no user named {owner!r}", param_hint="--owner")
    try:
        ws = create_workspace(
            name,
            slug=slug,
            currency=currency,
            locale=locale,
            fiscal_year_start_month=fiscal_year_start,
            country=country,
            region=region,
            owner=owner_user,
        )
    except ValidationError as exc:
        raise click.ClickException(_messages(exc)) from exc
    click.echo(f"Created workspace {ws.name} ({ws.slug}).")


@main.group()
def user() -> None:
    """Create users."""


@user.command("create")
@click.argument("username")
@click.option("--email", default="")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--workspace", "workspace_ref", help="Workspace name or slug to join.")
@click.option("--role", type=click.Choice(ROLES), default="manager", show_default=True)
@click.option("--superuser", is_flag=True, help="Give access to the admin site.")
def user_create(
    username: str, email: str, password: str, workspace_ref: str | None, role: str, superuser: bool
) -> None:
    """Create user USERNAME, optionally as a member of a workspace."""
    _django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from pilotage.web.workspaces.services import add_member, create_user

    ws = _workspace(workspace_ref) if workspace_ref else None
    try:
        # With the would-be user, so the "too similar to the username" rule applies too.
        validate_password(password, user=get_user_model()(username=username, email=email))
    except ValidationError as exc:
        raise click.BadParameter(_messages(exc), param_hint="--password") from exc
    with transaction.atomic():
        try:
            new_user = create_user(username, password, email=email)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        if superuser:
            new_user.is_staff = new_user.is_superuser = True
            new_user.save()
        if ws is not None:
            add_member(ws, new_user, role)
    joined = f", {role} of {ws.name}" if ws else ""
    click.echo(f"Created user {username}{joined}.")


@main.group()
def experiment() -> None:
    """Test & Learn statistics: plan a pilot, analyse its results."""


@experiment.command("analyze")
@click.option(
    "--csv",
    "csv_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Per-arm summary statistics, the control first.",
)
@click.option(
    "--metric-type",
    type=click.Choice(["proportion", "mean", "ratio"]),
    default="proportion",
    show_default=True,
)
@click.option(
    "--method",
    type=click.Choice(["frequentist", "bayesian", "sequential"]),
    default="frequentist",
    show_default=True,
)
@click.option("--alpha", default=0.05, show_default=True, type=click.FloatRange(0.0001, 0.5))
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
def experiment_analyze(
    csv_path: str, metric_type: str, method: str, alpha: float, as_json: bool
) -> None:
    """Compare every arm of a CSV with its first row (the control).

    Columns: arm,users,conversions (proportion); arm,users,sum,sum_squares[,pre_sum,
    pre_sum_squares,sum_products] (mean, CUPED with the pre-period columns); arm,users,
    numerator_sum,numerator_sum_squares,denominator_sum,denominator_sum_squares,sum_products
    (ratio). JSON: {"control", "variants": {arm: {"lift", "lift_low", "lift_high", "p_value",
    "chance_to_win", "risk", …}}, "srm": {"p_value", "ok", …}, "verdict", "explanation"}.
    """
    from pathlib import Path

    from pilotage.models.experiments.report import report
    from pilotage.models.experiments.summary_csv import SummaryError, read_arms

    try:
        arms = read_arms(Path(csv_path), metric_type)
        result = report(arms, method, alpha=alpha)
    except (SummaryError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for name, row in result["variants"].items():
        interval = f"[{_cell(row['lift_low'])}, {_cell(row['lift_high'])}]"
        extra = f"p={_cell(row['p_value'])}" if "p_value" in row else ""
        click.echo(
            f"{name} vs {result['control']}: lift {_cell(row['lift'])} {interval} {extra} "
            f"chance to win {_cell(row['chance_to_win'])}"
        )
    click.echo(f"SRM: {result['srm']['message']}")
    click.echo(result["explanation"]["en"])


@experiment.command("plan")
@click.option("--baseline", required=True, type=float, help="Control rate (0.04) or mean.")
@click.option("--mde", required=True, type=float, help="Relative lift to detect (0.1 = +10%).")
@click.option("--daily-traffic", required=True, type=float, help="Units per day, all arms.")
@click.option("--arms", default=2, show_default=True, type=click.IntRange(2, 10))
@click.option("--power", default=0.8, show_default=True, type=click.FloatRange(0.5, 0.99))
@click.option("--alpha", default=0.05, show_default=True, type=click.FloatRange(0.0001, 0.5))
@click.option("--sd", type=float, help="Standard deviation, for a mean metric.")
@click.option("--json", "as_json", is_flag=True, help='Print {"users_per_arm", "days", …}.')
def experiment_plan(
    baseline: float,
    mde: float,
    daily_traffic: float,
    arms: int,
    power: float,
    alpha: float,
    sd: float | None,
    as_json: bool,
) -> None:
    """Users per arm and days a pilot needs to detect a lift (normal approximation)."""
    from pilotage.models.experiments.design import plan_mean, plan_proportion

    try:
        if sd is None:
            plan = plan_proportion(
                baseline, mde, daily_traffic=daily_traffic, arms=arms, power=power, alpha=alpha
            )
        else:
            plan = plan_mean(
                baseline, sd, mde, daily_traffic=daily_traffic, arms=arms, power=power, alpha=alpha
            )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    result = {
        "users_per_arm": plan.users_per_arm,
        "users_per_arm_exact": plan.users_per_arm_exact,
        "total_users": plan.total_users,
        "days": plan.days,
        "effect_size": plan.effect_size,
        "target": plan.target,
    }
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(f"{plan.users_per_arm} users per arm, {plan.days} days at this traffic.")


@main.command()
@click.option(
    "--paths-csv",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Columns path (a > b > c), total_conversions, total_conversion_value, total_null.",
)
@click.option("--separator", default=">", show_default=True, help="Between channels in a path.")
@click.option(
    "--model",
    required=True,
    type=click.Choice(
        [
            "markov",
            "shapley",
            "first_touch",
            "last_touch",
            "last_non_direct",
            "linear",
            "time_decay",
            "position_based",
            "w_shaped",
        ]
    ),
)
@click.option(
    "--order", default=1, show_default=True, type=click.IntRange(1, 3), help="Markov chain order."
)
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
def attribution(paths_csv: str, separator: str, model: str, order: int, as_json: bool) -> None:
    """Credit conversions to channels from a paths table.

    JSON: {"channels": {channel: {"conversions", "value", "share"}}, "removal_effects": {…}
    (Markov only), "model", "total_conversions", "total_value"}.
    """
    from pathlib import Path

    from pilotage.models.attribution import attribute_paths
    from pilotage.models.attribution.paths import PathsError

    try:
        result = attribute_paths(Path(paths_csv), model, order=order, separator=separator)
    except (PathsError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for name, credit in sorted(result["channels"].items(), key=lambda kv: -kv[1]["conversions"]):
        click.echo(f"{name:<24} {credit['conversions']:>12.2f} {credit['share']:>8.1%}")


@main.group()
def clv() -> None:
    """Customer lifetime value: BG/NBD repeat buying and Gamma-Gamma spend (see docs/clv.md)."""


@clv.command("fit")
@click.option(
    "--transactions-csv",
    type=click.Path(exists=True, dir_okay=False),
    help="One row per purchase: customer, date (ISO, UTC) and value columns.",
)
@click.option("--customer-column", help="With --transactions-csv: the customer id column.")
@click.option("--date-column", help="With --transactions-csv: the purchase date column.")
@click.option("--value-column", help="With --transactions-csv: the purchase value column.")
@click.option(
    "--freq",
    type=click.Choice(["W", "D"]),
    default="W",
    show_default=True,
    help="Period of the summary: weeks or days.",
)
@click.option(
    "--summary-csv",
    type=click.Path(exists=True, dir_okay=False),
    help="Columns customer_id,frequency,recency,T,monetary_value (times in --freq periods).",
)
@click.option("--horizon-months", default=36, show_default=True, type=click.IntRange(1, 600))
@click.option(
    "--discount-rate",
    default=0.01,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Monthly discount rate.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
def clv_fit(
    transactions_csv: str | None,
    customer_column: str | None,
    date_column: str | None,
    value_column: str | None,
    freq: str,
    summary_csv: str | None,
    horizon_months: int,
    discount_rate: float,
    as_json: bool,
) -> None:
    """Fit BG/NBD + Gamma-Gamma on transactions or a customer summary, and value customers.

    JSON: {"bgnbd": {"r", "alpha", "a", "b", "loglik", "confidence_intervals"},
    "gamma_gamma": {"p", "q", "v", "loglik", "confidence_intervals"}, "customers":
    [{"customer_id", "expected_purchases", "probability_alive", "expected_average_value",
    "clv"}]} — expected purchases over the horizon, CLV discounted monthly.
    """
    from pilotage.models.clv import ConvergenceError, fit_clv
    from pilotage.models.clv.csv_input import (
        CsvInputError,
        read_summary_csv,
        read_transactions_csv,
    )

    if bool(transactions_csv) == bool(summary_csv):
        raise click.UsageError("give either --transactions-csv or --summary-csv")
    try:
        if transactions_csv:
            columns = {
                "--customer-column": customer_column,
                "--date-column": date_column,
                "--value-column": value_column,
            }
            missing = [name for name, value in columns.items() if not value]
            if missing:
                raise click.UsageError(f"--transactions-csv needs {', '.join(missing)}")
            assert customer_column and date_column and value_column
            summary = read_transactions_csv(
                transactions_csv, customer_column, date_column, value_column, freq=freq
            )
        else:
            assert summary_csv
            summary = read_summary_csv(summary_csv, freq=freq)
        result = fit_clv(summary, horizon_months, discount_rate, freq)
    except (CsvInputError, ConvergenceError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    bg, gg = result["bgnbd"], result["gamma_gamma"]
    click.echo(
        f"BG/NBD: r={bg['r']:.4g} alpha={bg['alpha']:.4g} a={bg['a']:.4g} b={bg['b']:.4g} "
        f"(log-likelihood {bg['loglik']:.1f})"
    )
    click.echo(f"Gamma-Gamma: p={gg['p']:.4g} q={gg['q']:.4g} v={gg['v']:.4g}")
    customers = sorted(result["customers"], key=lambda c: -c["clv"])
    click.echo(f"{'customer':<16} {'purchases':>10} {'P(alive)':>9} {'avg value':>10} {'CLV':>10}")
    for c in customers[:20]:
        click.echo(
            f"{c['customer_id']:<16} {c['expected_purchases']:>10.2f} "
            f"{c['probability_alive']:>9.2f} {c['expected_average_value']:>10.2f} "
            f"{c['clv']:>10.2f}"
        )
    if len(customers) > 20:
        total = sum(c["clv"] for c in customers)
        click.echo(f"… {len(customers) - 20} more customers; total CLV {total:,.2f}")


@main.group()
def mmm() -> None:
    """Marketing-mix model: ROI and marginal ROI per channel (see docs/mmm.md)."""


@mmm.command("fit")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Wide weekly CSV: a date column, the target and one spend column per channel.",
)
@click.option("--date-column", help="With --csv: the week's date column (ISO, 7 days apart).")
@click.option("--target-column", help="With --csv: the outcome column (revenue, leads…).")
@click.option("--channels", help="With --csv: comma-separated spend columns, one per channel.")
@click.option(
    "--workspace",
    "workspace_ref",
    help="Instead of --csv: build the weekly table from this workspace's warehouse.",
)
@click.option(
    "--target",
    type=click.Choice(["revenue", "customers", "leads"]),
    default="revenue",
    show_default=True,
    help="With --workspace: the weekly outcome.",
)
@click.option("--controls", default="", help="Comma-separated control columns (optional).")
@click.option(
    "--model-out", type=click.Path(dir_okay=False), help="Save the fitted model (JSON) here."
)
@click.option(
    "--roi-prior",
    "roi_priors",
    multiple=True,
    help='What you expect a channel to return, as its 90% range: "CHANNEL=LOW:HIGH" (e.g. '
    '"Trade shows=0.5:3"; repeat the option). Others start from 0.2–8.',
)
@click.option(
    "--adstock",
    "adstocks",
    multiple=True,
    help="Carry-over form: geometric (default) or delayed, for every channel, or "
    "CHANNEL=FORM (repeat the option).",
)
@click.option(
    "--saturation",
    "saturations",
    multiple=True,
    help="Saturation form: michaelis_menten (default; a Hill curve of shape 1, concave), hill "
    "(free shape, may be S-shaped) or logistic, for every channel, or CHANNEL=FORM (repeat "
    "the option).",
)
@click.option(
    "--contributions-out",
    type=click.Path(dir_okay=False),
    help="Write the weekly contributions here (CSV: week, actual, baseline and each channel, "
    "each with its 90% interval).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
def mmm_fit(
    csv_path: str | None,
    date_column: str | None,
    target_column: str | None,
    channels: str | None,
    workspace_ref: str | None,
    target: str,
    controls: str,
    model_out: str | None,
    roi_priors: tuple[str, ...],
    adstocks: tuple[str, ...],
    saturations: tuple[str, ...],
    contributions_out: str | None,
    as_json: bool,
) -> None:
    """Fit the weekly marketing-mix model on a CSV and print ROI per channel.

    JSON: {"channels": {name: {"roi", "roi_low", "roi_high", "mroi", "mroi_low", "mroi_high",
    "contribution_share", …}}, "diagnostics": {"r2", "mape", "durbin_watson", "holdout",
    "converged", "convergence_reasons", …}} — intervals are 90%.
    """
    from pilotage.models.mmm import (
        CsvInputError,
        MarketingMixModel,
        read_weekly_csv,
        result_json,
        weekly_table,
        write_contributions_csv,
    )
    from pilotage.models.mmm.components import DEFAULT_ADSTOCK, DEFAULT_SATURATION

    if bool(csv_path) == bool(workspace_ref):
        raise click.UsageError("give either --csv (with its columns) or --workspace")
    speech: dict[str, str] = {}  # the summary's currency and outcome, when the workspace says
    extra = [c.strip() for c in controls.split(",") if c.strip()]
    try:
        if workspace_ref:
            _django()
            from pilotage.web.mmm.services import holidays_of
            from pilotage.web.workspaces.services import warehouse

            chosen = _workspace(workspace_ref)
            # as the web's fit: the weekday public holidays of the company's country a control
            table = weekly_table(warehouse(), chosen.slug, target, holidays=holidays_of(chosen))
            speech = {"currency": chosen.currency, "outcome": target}
        else:
            for value, option in (
                (date_column, "--date-column"),
                (target_column, "--target-column"),
                (channels, "--channels"),
            ):
                if not value:
                    raise click.UsageError(f"{option} is required with --csv")
            assert csv_path and date_column and target_column and channels
            names = [c.strip() for c in channels.split(",") if c.strip()]
            table = read_weekly_csv(csv_path, date_column, target_column, names, extra)
        names = list(table["spend"])
        model = MarketingMixModel(
            adstock=_forms(adstocks, "--adstock", DEFAULT_ADSTOCK, names),
            saturation=_forms(saturations, "--saturation", DEFAULT_SATURATION, names),
            roi_priors=_roi_priors(roi_priors, names),
        ).fit(table["spend"], table["y"], dates=table["dates"], controls=table["controls"])
    except (CsvInputError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if model_out:
        model.save(model_out)
    if contributions_out:
        write_contributions_csv(model.contributions(), contributions_out)
    result = result_json(model)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(model.summary_text(**speech))


def _forms(
    values: tuple[str, ...], option: str, default: str, channels: list[str]
) -> str | dict[str, str]:
    """``--saturation logistic`` (every channel) or ``--saturation a=logistic`` (repeated)."""
    if not values:
        return default
    if len(values) == 1 and "=" not in values[0]:
        return values[0].strip()
    chosen = {}
    for value in values:
        channel, sep, form = value.partition("=")
        if not sep:
            raise click.UsageError(f"{option} {value!r}: give one form, or CHANNEL=FORM each time")
        if channel.strip() not in channels:
            raise click.UsageError(
                f"{option} {value!r}: no channel {channel.strip()!r} "
                f"(the channels are {', '.join(channels)})"
            )
        chosen[channel.strip()] = form.strip()
    return chosen


def _roi_priors(values: tuple[str, ...], channels: list[str]) -> dict[str, tuple[float, float]]:
    """``--roi-prior "Trade shows=0.5:3"`` (repeated) → ``{"Trade shows": (0.5, 3.0)}``."""
    priors = {}
    for value in values:
        channel, _, interval = value.rpartition("=")
        low, colon, high = interval.partition(":")
        try:
            bounds = (float(low), float(high)) if colon else None
        except ValueError:
            bounds = None
        if not channel or bounds is None:
            raise click.UsageError(
                f'--roi-prior {value!r}: write "CHANNEL=LOW:HIGH", e.g. "tv=0.5:3"'
            )
        if channel.strip() not in channels:
            raise click.UsageError(
                f"--roi-prior {value!r}: no channel {channel.strip()!r} "
                f"(the channels are {', '.join(channels)})"
            )
        if not 0 < bounds[0] < bounds[1]:
            raise click.UsageError(f"--roi-prior {value!r}: the range needs 0 < LOW < HIGH")
        priors[channel.strip()] = bounds
    return priors


@main.group()
def token() -> None:
    """API tokens (for `Authorization: Bearer <token>` on /api/)."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
def token_create(username: str, name: str) -> None:
    """Create an API token for USERNAME and print it (it is shown only once)."""
    _django()
    from django.contrib.auth import get_user_model

    from pilotage.web.workspaces.services import create_token

    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise click.BadParameter(f"no user named {username!r}", param_hint="USERNAME")
    _, raw = create_token(found, name)
    click.echo(raw)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--workspace", "workspace_ref", required=True, help="Workspace name or slug.")
@click.option("--source", default="auto", show_default=True, help="Importer name, or auto.")
@click.option("--dry-run", is_flag=True, help="Read and check only; write nothing.")
@click.option(
    "--timezone",
    "timezone_name",
    default="UTC",
    show_default=True,
    help="Time zone of times that carry none.",
)
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy"]),
    help="Day/month order for files where it is ambiguous.",
)
@language_option("Language of the problem report.")
@click.option("--table", help="With --source generic: the canonical table the rows go to.")
@click.option(
    "--map",
    "mappings",
    multiple=True,
    help="With --source generic: FIELD=HEADER, repeatable (which column holds each field).",
)
@click.option("--preset", help="With --source generic: a column mapping saved in the web app.")
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
def import_command(
    paths: tuple[str, ...],
    workspace_ref: str,
    source: str,
    dry_run: bool,
    timezone_name: str,
    date_order: str | None,
    language: str,
    table: str | None,
    mappings: tuple[str, ...],
    preset: str | None,
    as_json: bool,
) -> None:
    """Import export files (CSV, TSV, XLSX, Parquet) into a workspace, all or nothing.

    Every file is checked before anything is written; a rejected file writes nothing and the
    command exits with status 1. JSON shape: {"dry_run", "files": [{file, source, label,
    import_id, encoding, delimiter, header_line, rows_read, rows: {table: n}, skipped: [{line,
    reason}], details, written: {table: bool}, versions: {table: n}}], "errors": [{file, line,
    column, value, expected, code, message}]}.
    """
    from pilotage.importers import Rejected, importers
    from pilotage.importers.run import read_inputs

    if source != "auto" and source not in importers():
        names = ", ".join(sorted(importers()))
        raise click.BadParameter(
            f"{source!r}; expected auto or one of {names}", param_hint="--source"
        )
    _django()
    from pilotage.web.imports import services

    ws = _workspace(workspace_ref)
    files = read_inputs(paths)
    options: dict = {
        "timezone_name": timezone_name,
        "date_order": date_order or "",
        "language": language,
    }
    if source == "generic":
        options.update(_generic_mapping(ws, table, mappings, preset))
    try:
        if dry_run:
            summaries = [
                p.summary() | {"overlaps": services.overlap_notes(ws, p)}
                for p in services.prepare(ws, files, source=source, **options)
            ]
        else:
            records = services.run_import(ws, files, None, source=source, **options)
            summaries = [_record_summary(r) for r in records]
    except Rejected as exc:
        errors = [p.as_dict(language) for p in exc.problems]
        if as_json:
            click.echo(
                json.dumps(
                    {"dry_run": dry_run, "files": [], "errors": errors},
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for line in exc.render(language):
                click.echo(line, err=True)
            click.echo(
                "Nothing was imported." if language == "en" else "Rien n'a été importé.", err=True
            )
        sys.exit(1)
    if as_json:
        click.echo(
            json.dumps(
                {"dry_run": dry_run, "files": summaries, "errors": []},
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return
    for item in summaries:
        rows = ", ".join(f"{t} {n}" for t, n in item["rows"].items())
        state = "checked" if dry_run else ("imported" if item.get("changed") else "unchanged")
        click.echo(
            f"{item['file']}: {item['label']} → {rows} ({state}; "
            f"{len(item['skipped'])} rows skipped)"
        )
        for note in item.get("overlaps") or item["details"].get("overlaps", []):
            click.echo(
                f"  warning: {note['rows']} {note['table']} rows ({note['first']} to "
                f"{note['last']}) are already imported from {note['file']}; both count",
                err=True,
            )


def _generic_mapping(ws, table: str | None, mappings: tuple[str, ...], preset: str | None) -> dict:
    from pilotage.warehouse import SCHEMAS
    from pilotage.web.imports.models import MappingPreset

    if preset:
        saved = MappingPreset.objects.filter(workspace=ws, name=preset).first()
        if saved is None:
            raise click.BadParameter(f"no saved mapping named {preset!r}", param_hint="--preset")
        return {"table": saved.table, "mapping": dict(saved.mapping)}
    if table not in SCHEMAS:
        raise click.BadParameter(f"expected one of {', '.join(SCHEMAS)}", param_hint="--table")
    mapping = {}
    for item in mappings:
        field, _, header = item.partition("=")
        if not header or field.strip() not in SCHEMAS[table].names:
            raise click.BadParameter(
                f"{item!r}: expected FIELD=HEADER with a field of {table}", param_hint="--map"
            )
        mapping[field.strip()] = header.strip()
    return {"table": table, "mapping": mapping}


def _record_summary(entry) -> dict:
    return {
        "file": entry.file_name,
        "source": entry.source,
        "label": entry.source_label,
        "import_id": entry.import_id,
        "sha256": entry.sha256,
        "rows_read": entry.rows_read,
        "rows": entry.tables,
        "skipped": entry.skipped,
        "details": entry.details,
        "versions": entry.versions,
        "written": {t: entry.status == "committed" for t in entry.tables},
        "changed": entry.status == "committed",
    }


@main.command("undo-import")
@click.argument("import_id")
@click.option("--workspace", "workspace_ref", required=True, help="Workspace name or slug.")
def undo_import(import_id: str, workspace_ref: str) -> None:
    """Remove an imported file's rows (by the import id that `pilotage import` printed)."""
    _django()
    from pilotage.web.imports.models import ImportRecord
    from pilotage.web.imports.services import undo_import as undo

    ws = _workspace(workspace_ref)
    entry = ImportRecord.objects.filter(workspace=ws, import_id=import_id).first()
    if entry is None:
        raise click.BadParameter(f"no import {import_id!r} in {ws.slug}", param_hint="IMPORT_ID")
    removed = undo(entry, None)
    click.echo(", ".join(f"{t}: {'removed' if r else 'not present'}" for t, r in removed.items()))


def _messages(exc) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
