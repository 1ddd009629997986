"""The demo's budgets: one approved baseline per plan year, actuals from the warehouse, once."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal

import pytest

from pilotage.warehouse import connect
from pilotage.web.plans.demo import plan_file
from pilotage.web.plans.models import Budget, BudgetLine, BudgetStatus, KpiTarget
from pilotage.web.workspaces.demo import load_demo
from pilotage.web.workspaces.models import AuditEvent, Workspace
from pilotage.web.workspaces.services import warehouse

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Budget, BudgetLine, KpiTarget, AuditEvent)
    }


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-home")


@pytest.fixture
def demo(settings, demo_home):
    """The demo loaded through the importers into a home of its own (the demo's files are
    imported like a customer's, which the shared test warehouse must not see)."""
    settings.PILOTAGE_HOME = demo_home
    settings.PILOTAGE_WAREHOUSE_DIR = demo_home / "warehouse"
    first = load_demo(migrate=False)
    return first


def test_it_creates_the_demo_budgets_once_with_the_simulator_plan_and_targets(demo):
    """One load (the demo goes through the importers, ≈ 10 s): budgets, lines, targets."""
    _plans_what_the_simulator_planned()
    _sets_the_demo_targets()
    industrie = Workspace.objects.get(slug="industrie-demo")
    with plan_file(industrie).open() as f:
        years = sorted({int(row["year"]) for row in csv.DictReader(f)})
    assert demo.budgets_created["industrie-demo"] == [f"Plan {y} ({y})" for y in years]
    assert list(industrie.budgets.order_by("year").values_list("year", "name", "status")) == [
        (y, f"Plan {y}", BudgetStatus.BASELINE) for y in years
    ]
    assert all(b.approved_at is not None for b in Budget.objects.all())
    _loads_the_strategy_and_action_plan(demo)
    before = _counts()
    again = load_demo(migrate=False)
    assert again.budgets_created == {"industrie-demo": [], "boutique-demo": []}
    assert _counts() == before


def _plans_what_the_simulator_planned() -> None:
    industrie = Workspace.objects.get(slug="industrie-demo")
    planned: dict[tuple[int, int, str], Decimal] = {}
    with plan_file(industrie).open() as f:
        for row in csv.DictReader(f):
            planned[(int(row["year"]), int(row["month"]), row["channel"])] = Decimal(row["planned"])
    lines = BudgetLine.objects.filter(budget__workspace=industrie).select_related("budget")
    stored = {(x.budget.year, x.month, x.channel): x.planned for x in lines if x.planned}
    assert stored == {key: value for key, value in planned.items() if value}


def test_it_takes_actual_amounts_from_the_warehouse_spend(demo):
    for slug in ("industrie-demo", "boutique-demo"):
        _actuals_match_spend(slug)


def _actuals_match_spend(slug: str) -> None:
    con = connect(warehouse(), slug)
    spend = defaultdict(dict)
    for year, month, channel, cost in con.execute(
        "SELECT extract('year' FROM date), extract('month' FROM date), channel, sum(cost) "
        "FROM spend WHERE cost > 0 GROUP BY 1, 2, 3"
    ).fetchall():
        spend[year][(month, channel)] = cost
    budgets = Budget.objects.filter(workspace__slug=slug)
    assert budgets.count() >= 3
    for budget in budgets:
        actual = {(x.month, x.channel): float(x.actual) for x in budget.lines.all() if x.actual}
        assert actual == pytest.approx(spend[budget.year], abs=0.005)
        assert spend[budget.year], budget


def _sets_the_demo_targets() -> None:
    boutique = Workspace.objects.get(slug="boutique-demo")
    targets = {
        (t.metric, t.period_start.year, t.value)
        for t in KpiTarget.objects.filter(workspace=boutique)
    }
    years = set(boutique.budgets.values_list("year", flat=True))
    assert targets == {
        (m, y, Decimal(v)) for y in years for m, v in (("nps", 40), ("ltv_to_cac", 3))
    }


def _loads_the_strategy_and_action_plan(demo):
    """Industrie Demo's 2026 plan: every objective traces to the SWOT, segments come from the
    data, actions answer QQOQCCP (but the idea), and the plan PDF holds the objectives."""
    import io

    from pypdf import PdfReader

    from pilotage.execution.qqoqccp import missing_letters
    from pilotage.web.actions import services as actions
    from pilotage.web.actions.models import Action
    from pilotage.web.strategy.models import Objective, Segment
    from pilotage.web.strategy.plan_document import plan_pdf

    assert demo.plans_created == ["industrie-demo"]
    industrie = Workspace.objects.get(slug="industrie-demo")
    objectives = Objective.objects.filter(workspace=industrie)
    assert objectives.count() == 3
    assert all(o.tows_option and o.kpi_target for o in objectives)
    segments = Segment.objects.filter(workspace=industrie)
    assert segments.count() == 3 and segments.filter(targeted=True).count() == 2
    for action in Action.objects.filter(workspace=industrie):
        complete = not missing_letters(actions.answers_of(action))
        assert complete == (action.status != "idea"), action.title
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(plan_pdf(industrie, 2026))).pages
    )
    assert all(" ".join(o.title.split()[:3]) in " ".join(text.split()) for o in objectives)
