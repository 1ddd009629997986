"""`pilotage actions list|export|import`: the JSON shape, the exports, all-or-nothing imports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pilotage.cli import main
from pilotage.cli_actions import STATUSES, TOOLS
from pilotage.web.actions.exchange import COLUMNS, TOOL_NAMES
from pilotage.web.actions.models import Action, Status
from pilotage.web.workspaces.models import AuditAction, AuditEvent
from pilotage.web.workspaces.services import add_member, create_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[2] / "execution" / "fixtures"
PLAN_CSV = str(FIXTURES / "asana_marketing_plan.csv")
BAD_CSV = str(FIXTURES / "asana_bad_rows.csv")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_it_offers_every_status_and_tool_the_app_knows():
    assert tuple(Status.values) == STATUSES
    assert set(TOOLS) == set(TOOL_NAMES)


# list


def test_it_lists_the_actions_as_the_documented_json(personas, plan):
    plan["in_house"].depends_on.add(plan["outsourced"])
    result = run("actions", "list", "--workspace", "Industrie Demo", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["title"]: r for r in json.loads(result.output)}
    stand, newsletter = rows["Trade-show stand"], rows["Newsletter relaunch"]
    assert list(stand) == list(COLUMNS)
    assert stand["id"] == plan["outsourced"].pk
    assert (stand["owner"], stand["owner_kind"], stand["budget"]) == (
        "Agence Lumière",
        "agency",
        "45000.00",
    )
    assert (stand["start"], stand["end"]) == ("2026-01-05", "2026-03-20")
    assert stand["objective"] == "40 SQL from trade shows" and stand["missing_letters"] == []
    assert newsletter["start"] is None and newsletter["project"] is None
    assert newsletter["depends_on"] == [plan["outsourced"].pk]
    assert newsletter["missing_letters"] == ["quoi", "quand", "comment", "pourquoi"]


def test_it_gives_the_same_shape_as_the_api(client, personas, plan):
    from pilotage.web.workspaces.services import create_token

    _, raw = create_token(personas.owner, "test")
    api = client.get(
        f"/api/w/{personas.workspace.slug}/actions", headers={"Authorization": f"Bearer {raw}"}
    ).json()
    cli = json.loads(run("actions", "list", "--workspace", "industrie-demo", "--json").output)
    assert sorted(cli, key=lambda r: r["id"]) == sorted(api, key=lambda r: r["id"])


def test_it_filters_the_list_by_status(personas, plan):
    result = run("actions", "list", "--workspace", "industrie-demo", "--status", "idea", "--json")
    assert [r["title"] for r in json.loads(result.output)] == ["Newsletter relaunch"]
    refused = run("actions", "list", "--workspace", "industrie-demo", "--status", "someday")
    assert refused.exit_code == 2 and "--status" in refused.output


def test_it_lists_the_actions_as_a_table(personas, plan):
    result = run("actions", "list", "--workspace", "industrie-demo")
    assert result.exit_code == 0, result.output
    header, *lines = result.output.splitlines()
    assert header.split() == ["id", "status", "title", "owner", "start", "end", "budget", "missing"]
    newsletter = next(line for line in lines if "Newsletter relaunch" in line)
    assert "idea" in newsletter and "3000.00" in newsletter
    assert newsletter.endswith("quoi quand comment pourquoi")
    stand = next(line for line in lines if "Trade-show stand" in line)
    assert "2026-01-05" in stand and stand.endswith(" -")


def test_it_says_when_the_plan_is_empty(personas):
    result = run("actions", "list", "--workspace", "industrie-demo")
    assert result.exit_code == 0 and "No action in Industrie Demo yet." in result.output
    assert (
        json.loads(run("actions", "list", "--workspace", "industrie-demo", "--json").output) == []
    )


def test_it_refuses_an_unknown_workspace_naming_the_option(personas):
    result = run("actions", "list", "--workspace", "Nowhere")
    assert result.exit_code == 2
    assert "--workspace" in result.output and "'Nowhere'" in result.output


# export


def test_it_exports_csv_to_standard_output(personas, plan):
    result = run("actions", "export", "--workspace", "industrie-demo", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert not result.stdout.startswith("\ufeff")
    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert set(rows) == {"Trade-show stand", "Newsletter relaunch"}
    assert rows["Trade-show stand"]["budget"] == "45000.00"
    assert rows["Newsletter relaunch"]["missing_letters"] == "Quoi Quand Comment Pourquoi"


def test_it_exports_the_same_rows_to_csv_and_xlsx_files(personas, plan, tmp_path):
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"plan.{fmt}"
        result = run(
            "actions", "export", "--workspace", "industrie-demo", "--format", fmt, "--output", out
        )
        assert result.exit_code == 0, result.output
    raw = (tmp_path / "plan.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # files keep the BOM, for Excel
    titles = {r["title"] for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}
    sheet = load_workbook(tmp_path / "plan.xlsx")["Actions"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} == titles


def test_it_refuses_xlsx_without_an_output_file(personas, plan):
    result = run("actions", "export", "--workspace", "industrie-demo", "--format", "xlsx")
    assert result.exit_code == 2
    assert "--output" in result.output


# import


def _state() -> dict:
    return {
        a.external_id: (a.title, a.status, a.start, a.end, a.budget, a.owner_id)
        for a in Action.objects.all()
    }


def _import_twice() -> tuple[dict, dict, dict, int]:
    first = run("actions", "import", PLAN_CSV, "--workspace", "Industrie Demo", "--json")
    assert first.exit_code == 0, first.output
    after_first = _state()
    events = AuditEvent.objects.filter(object_type="actions.action").count()
    second = run("actions", "import", PLAN_CSV, "--workspace", "industrie-demo", "--json")
    assert second.exit_code == 0, second.output
    return json.loads(first.stdout), json.loads(second.stdout), after_first, events


def test_it_imports_an_asana_export_once(personas):
    report, again, after_first, _ = _import_twice()
    assert report["created"] == len(after_first) == 6
    assert (report["updated"], report["unchanged"], report["problems"]) == (0, 0, [])
    assert "came in as ideas" in " ".join(report["warnings"])
    assert again["created"] == 0 and again["problems"] == []
    assert _state() == after_first
    assert Action.objects.count() == 6


def test_it_changes_and_audits_nothing_when_importing_the_same_file_again(personas):
    report, again, _, events = _import_twice()
    assert (again["updated"], again["unchanged"]) == (0, report["created"])
    assert AuditEvent.objects.filter(object_type="actions.action").count() == events


def test_it_records_the_import_in_the_name_of_the_first_owner(personas):
    run("actions", "import", PLAN_CSV, "--workspace", "industrie-demo", "--tool", "asana")
    created = AuditEvent.objects.filter(object_type="actions.action", action=AuditAction.CREATE)
    assert created.exists() and {e.actor for e in created} == {personas.owner}
    load = AuditEvent.objects.get(action=AuditAction.LOAD)
    assert load.actor == personas.owner
    assert all(a.created_by == personas.owner for a in Action.objects.all())


def test_it_records_the_import_in_the_name_given_by_as(personas):
    claire = create_user("claire", "x", email="claire.dubois@example.com")
    add_member(personas.workspace, claire, "manager")
    result = run("actions", "import", PLAN_CSV, "--workspace", "industrie-demo", "--as", "claire")
    assert result.exit_code == 0, result.output
    assert {a.created_by for a in Action.objects.all()} == {claire}
    # the assignee matched by email
    assert Action.objects.get(title="Book the stand at Vivatech").owner == claire


@pytest.mark.parametrize("username", ["viewer", "agency", "outsider", "nobody"])
def test_it_refuses_an_actor_who_may_not_edit_the_plan(personas, username):
    result = run("actions", "import", PLAN_CSV, "--workspace", "industrie-demo", "--as", username)
    assert result.exit_code == 2
    assert "--as" in result.output and f"'{username}'" in result.output
    assert not Action.objects.exists()


def test_it_prints_the_counts_and_warnings_as_text(personas):
    result = run("actions", "import", PLAN_CSV, "--workspace", "industrie-demo")
    assert result.exit_code == 0, result.output
    n = Action.objects.count()
    assert result.stdout.strip() == f"asana_marketing_plan.csv: {n} created, 0 updated, 0 unchanged"
    assert result.stderr.startswith("warning: ")


def test_it_imports_nothing_from_a_file_with_bad_rows(personas):
    result = run("actions", "import", BAD_CSV, "--workspace", "industrie-demo")
    assert result.exit_code == 1
    assert result.stdout == ""
    problems = result.stderr.splitlines()
    assert problems[-1] == "Nothing was imported."
    assert len(problems) > 2
    assert all(p.startswith("asana_bad_rows.csv, line ") for p in problems[:-1])
    assert any("column" in p for p in problems[:-1])
    assert not Action.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.LOAD).exists()


def test_it_reports_problems_as_json_and_in_french(personas):
    result = run(
        "actions", "import", BAD_CSV, "--workspace", "industrie-demo", "--json", "--language", "fr"
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["created"] == 0 and report["problems"]
    assert all(", ligne " in p for p in report["problems"])
    assert not Action.objects.exists()
