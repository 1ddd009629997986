"""The demo companies' budgets: the simulator's plan, actuals from the warehouse, a few targets."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction

from pilotage.warehouse import connect
from pilotage.web.plans.models import ZERO, Budget
from pilotage.web.plans.services import (
    CENT,
    Line,
    approve,
    create_budget,
    make_baseline,
    replace_lines,
    set_target,
)
from pilotage.web.workspaces.models import Workspace
from pilotage.web.workspaces.services import warehouse

# (metric, value): the yearly targets of every demo company (DESIGN.md §5: LTV/CAC ≥ 3).
DEMO_TARGETS = (("nps", Decimal("40")), ("ltv_to_cac", Decimal("3")))


def plan_file(workspace: Workspace) -> Path:
    """Where the simulator writes the company's plan: ``<warehouse>/<slug>/_demo/``."""
    return warehouse().root / workspace.slug / "_demo" / "budget_plan.csv"


def read_plan(path: Path, first_month: int = 1) -> dict[int, dict[tuple[int, str], Decimal]]:
    """``fiscal year → (month, channel) → planned`` from the simulator's ``budget_plan.csv``.

    The file's year and month are calendar ones; a fiscal year starting in ``first_month`` is
    labelled by the calendar year it starts in (see :meth:`Budget.month_start`).
    """
    plan: dict[int, dict[tuple[int, str], Decimal]] = defaultdict(dict)
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            year, month = int(row["year"]), int(row["month"])
            fiscal_year = year if month >= first_month else year - 1
            plan[fiscal_year][(month, row["channel"])] = Decimal(row["planned"])
    return dict(plan)


def actual_spend(slug: str) -> dict[tuple[int, int, str], Decimal]:
    """``(year, month, channel) → cost`` summed over the warehouse's ``spend`` table."""
    con = connect(warehouse(), slug)
    rows = con.execute(
        "SELECT year(date), month(date), channel, sum(cost) FROM spend GROUP BY ALL"
    ).fetchall()
    return {
        (y, m, channel): Decimal(repr(cost)).quantize(CENT, ROUND_HALF_UP)
        for y, m, channel, cost in rows
    }


def load_demo_plan(workspace: Workspace) -> list[Budget]:
    """For each year of the simulator's plan, an approved baseline "Plan <year>" and targets.

    Idempotent: a year whose "Plan <year>" exists is left as it is (users may have edited it).
    Returns the budgets created.
    """
    path = plan_file(workspace)
    if not path.exists():
        return []
    plan = read_plan(path, workspace.fiscal_year_start_month)
    missing = [
        y for y in sorted(plan) if not workspace.budgets.filter(year=y, name=f"Plan {y}").exists()
    ]
    if not missing:
        return []
    actual = actual_spend(workspace.slug)
    return [_demo_budget(workspace, year, plan[year], actual) for year in missing]


@transaction.atomic
def _demo_budget(
    workspace: Workspace,
    year: int,
    planned: dict[tuple[int, str], Decimal],
    actual: dict[tuple[int, int, str], Decimal],
) -> Budget:
    budget = create_budget(workspace, year, f"Plan {year}")
    calendar = {budget.month_start(m): m for m in range(1, 13)}
    spent = {
        (calendar[dt.date(y, m, 1)], ch): v
        for (y, m, ch), v in actual.items()
        if dt.date(y, m, 1) in calendar
    }
    cells = sorted(set(planned) | set(spent))
    lines = [
        Line(m, ch, planned=planned.get((m, ch), ZERO), actual=spent.get((m, ch), ZERO))
        for m, ch in cells
    ]
    replace_lines(budget, lines)
    approve(budget)
    make_baseline(budget)
    start = budget.month_start(workspace.fiscal_year_start_month)
    end = dt.date(start.year + 1, start.month, 1) - dt.timedelta(days=1)
    for metric, value in DEMO_TARGETS:
        set_target(workspace, metric, start, end, value)
    return budget
