"""The import pages and commands: preview before writing, all or nothing, history, undo, roles."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.urls import reverse

from pilotage.cli import main
from pilotage.web.imports.models import (
    ChannelRule,
    ImportJob,
    ImportRecord,
    ImportStatus,
    JobStatus,
)
from pilotage.web.workspaces.models import AuditEvent
from pilotage.web.workspaces.services import warehouse
from tests.importers.conftest import FIXTURES, fixture_bytes

# Transactional: the task worker closes and reopens its database connection between tasks,
# as it does in production, which a test wrapped in one transaction cannot survive.
pytestmark = pytest.mark.django_db(transaction=True)

GOOGLE = "google_ads_en_excel.csv"
BAD = b"Day,Campaign,Currency code,Cost,Impr.\n2026-09-01,A,EUR,1.50,10\n2026-09-31,B,EUR,abc,10\n"


@pytest.fixture(autouse=True)
def own_warehouse(settings, tmp_path):
    """Imports write to a warehouse of their own, not the shared demo one."""
    settings.PILOTAGE_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.PILOTAGE_HOME = tmp_path


def upload(client, slug, name, data, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = {
        "files": [SimpleUploadedFile(name, data)],
        "source": "auto",
        "timezone_name": "UTC",
        "date_order": "",
        **fields,
    }
    return client.post(reverse("import_preview", args=[slug]), payload)


def confirm(client, slug, preview_response):
    """Post the preview's confirmation form as the browser would (its hidden options too),
    then let the background worker run the queued import."""
    digests = preview_response.context["digests"]
    hidden = {k: v or "" for k, v in preview_response.context["confirm"].initial.items()}
    response = client.post(reverse("import_confirm", args=[slug]), {"digest": digests, **hidden})
    run_tasks()
    return response


def run_tasks():
    """The database task worker, until the queue is empty (what `pilotage serve` runs)."""
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


def spend_rows(slug):
    return warehouse().read(slug, "spend").num_rows


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 200), ("manager", 200), ("agency", 200), ("viewer", 403), ("outsider", 404)],
)
def test_who_may_import(client, personas, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("imports", args=[personas.workspace.slug])).status_code == status
    response = upload(client, personas.workspace.slug, GOOGLE, fixture_bytes(GOOGLE))
    assert response.status_code == status
    assert not warehouse().exists(personas.workspace.slug, "spend")


def test_an_agency_member_imports_only_where_it_belongs(client, personas):
    client.force_login(personas.agency)
    response = upload(client, personas.other.slug, GOOGLE, fixture_bytes(GOOGLE))
    assert response.status_code == 404
    assert not warehouse().exists(personas.other.slug, "spend")


def test_preview_writes_nothing_then_confirm_imports_and_history_records_it(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.manager)
    preview = upload(client, slug, GOOGLE, fixture_bytes(GOOGLE))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Google Ads campaign report" in page
    assert "utf-16-le" in page and "Total: Account" in page  # a skipped totals row, with reason
    assert '<dd class="detected-currency">EUR</dd>' in page
    assert not warehouse().exists(slug, "spend")

    done = confirm(client, slug, preview)
    assert done.status_code == 302
    job = ImportJob.objects.get()
    assert done["Location"] == reverse("import_job", args=[slug, job.pk])
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    page = client.get(done["Location"]).content.decode()
    assert 'data-status="done"' in page and "spend 3" in page
    assert spend_rows(slug) == 3
    entry = ImportRecord.objects.get(workspace=personas.workspace)
    assert (entry.status, entry.source, entry.tables, entry.created_by) == (
        ImportStatus.COMMITTED,
        "google_ads",
        {"spend": 3},
        personas.manager,
    )
    assert AuditEvent.objects.filter(workspace=personas.workspace, object_id=str(entry.pk)).exists()
    history = client.get(reverse("imports", args=[slug])).content.decode()
    assert GOOGLE in history


def test_the_same_file_twice_changes_nothing_and_undo_removes_it(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.owner)
    confirm(client, slug, upload(client, slug, GOOGLE, fixture_bytes(GOOGLE)))
    version = warehouse().version(slug, "spend")
    confirm(client, slug, upload(client, slug, "copy.csv", fixture_bytes(GOOGLE)))
    assert warehouse().version(slug, "spend") == version
    assert spend_rows(slug) == 3
    statuses = list(ImportRecord.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [ImportStatus.COMMITTED, ImportStatus.UNCHANGED]

    first = ImportRecord.objects.order_by("pk").first()
    response = client.post(reverse("import_undo", args=[slug, first.pk]))
    assert response.status_code == 302
    assert spend_rows(slug) == 0
    assert set(ImportRecord.objects.values_list("status", flat=True)) == {ImportStatus.UNDONE}


def test_a_bad_file_is_reported_line_by_line_and_nothing_is_written(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.owner)
    response = upload(client, slug, "bad.csv", BAD)
    assert response.status_code == 422
    problems = [(p["line"], p["column"], p["code"]) for p in response.context["problems"]]
    assert problems == [(3, "Day", "date"), (3, "Cost", "number")]
    assert "bad.csv" in response.content.decode()
    assert not warehouse().exists(slug, "spend")
    assert not ImportRecord.objects.exists()


def test_problems_are_reported_in_french_for_french_users(client, personas):
    client.force_login(personas.owner)
    client.cookies["django_language"] = "fr"
    response = upload(client, personas.workspace.slug, "bad.csv", BAD)
    assert "nombre attendu" in response.content.decode()


def test_agency_sees_and_undoes_only_its_own_imports(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.owner)
    confirm(client, slug, upload(client, slug, GOOGLE, fixture_bytes(GOOGLE)))
    owners = ImportRecord.objects.get()
    client.force_login(personas.agency)
    page = client.get(reverse("imports", args=[slug]))
    assert list(page.context["records"]) == []
    assert client.post(reverse("import_undo", args=[slug, owners.pk])).status_code == 404
    assert spend_rows(slug) == 3


def test_channel_rules_of_the_workspace_apply_at_import(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.owner)
    response = client.post(
        reverse("import_channels", args=[slug]),
        {
            "channel": "Brand search",
            "platform": "google_ads",
            "source": "*",
            "medium": "*",
            "campaign": "brand*",
        },
    )
    assert response.status_code == 302
    assert ChannelRule.objects.filter(workspace=personas.workspace).count() == 1
    confirm(client, slug, upload(client, slug, GOOGLE, fixture_bytes(GOOGLE)))
    rows = warehouse().read(slug, "spend").to_pylist()
    channels = {r["campaign"]: r["channel"] for r in rows}
    assert channels == {"Brand FR": "Brand search", "Total Store - Shopping": "Paid search"}


@pytest.mark.parametrize("persona", ["agency", "viewer"])
def test_only_editors_change_channel_rules(client, personas, persona):
    client.force_login(getattr(personas, persona))
    url = reverse("import_channels", args=[personas.workspace.slug])
    assert client.get(url).status_code == 403


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_import_json_dry_run_and_rejection(personas, tmp_path):
    slug = personas.workspace.slug
    path = str(FIXTURES / GOOGLE)
    dry = run("import", path, "--workspace", slug, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.output)
    assert report["dry_run"] is True
    assert [(f["source"], f["rows"], f["rows_read"]) for f in report["files"]] == [
        ("google_ads", {"spend": 3}, 3)
    ]
    assert [s["line"] for s in report["files"][0]["skipped"]] == [7, 8]
    assert not warehouse().exists(slug, "spend")

    done = json.loads(run("import", path, "--workspace", slug, "--json").output)
    assert done["files"][0]["written"] == {"spend": True}
    assert done["files"][0]["versions"] == {"spend": 0}
    again = json.loads(run("import", path, "--workspace", slug, "--json").output)
    assert again["files"][0]["changed"] is False

    bad = tmp_path / "bad.csv"
    bad.write_bytes(BAD)
    rejected = run("import", str(bad), path, "--workspace", slug, "--json")
    assert rejected.exit_code == 1
    errors = json.loads(rejected.output)["errors"]
    assert [(e["file"], e["line"], e["column"]) for e in errors] == [
        ("bad.csv", 3, "Day"),
        ("bad.csv", 3, "Cost"),
    ]
    french = run("import", str(bad), "--workspace", slug, "--language", "fr")
    assert french.exit_code == 1
    assert "bad.csv, ligne 3, colonne 'Cost'" in french.output

    undo = run("undo-import", done["files"][0]["import_id"], "--workspace", slug)
    assert undo.exit_code == 0, undo.output
    assert spend_rows(slug) == 0


def test_cli_refuses_an_unknown_source(personas):
    result = run(
        "import", str(FIXTURES / GOOGLE), "--workspace", personas.workspace.slug, "--source", "nope"
    )
    assert result.exit_code == 2
    assert "google_ads" in result.output


EVENTS = (
    b"Our events 2026\n"
    b"Event date;Event;Amount (EUR);Where\n"
    b"03/10/2026;Salon Industrie Lyon;12 500,00;Lyon\n"
    b"15/11/2026;Webinar IA;800,50;online\n"
)


def test_a_file_of_any_shape_imports_with_a_column_mapping_saved_for_next_time(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.manager)
    asked = upload(client, slug, "events.csv", EVENTS, source="generic", table="spend")
    assert asked.status_code == 200
    assert asked.templates[0].name == "imports/mapping.html"
    assert asked.context["headers"] == ["Event date", "Event", "Amount (EUR)", "Where"]
    mapping = {
        "map_date": "Event date",
        "map_campaign": "Event",
        "map_cost": "Amount (EUR)",
        "map_channel": "Event",
    }
    preview = client.post(
        reverse("import_mapping", args=[slug]),
        {
            "digest": asked.context["digests"],
            "source": "generic",
            "table": "spend",
            "timezone_name": "UTC",
            "date_order": "",
            "save_as": "Events",
            **mapping,
        },
    )
    assert preview.status_code == 200, preview.content.decode()[:500]
    confirm(client, slug, preview)
    rows = sorted(warehouse().read(slug, "spend").to_pylist(), key=lambda r: r["date"])
    assert [
        (r["date"].isoformat(), r["channel"], r["campaign"], r["cost"], r["currency"]) for r in rows
    ] == [
        ("2026-10-03", "Trade shows", "Salon Industrie Lyon", 12500.0, "EUR"),
        ("2026-11-15", "Webinars", "Webinar IA", 800.5, "EUR"),
    ]
    # next month's file goes straight to the preview with the saved mapping
    later = EVENTS.replace(b"800,50", b"900,00")
    direct = upload(client, slug, "events-dec.csv", later, source="generic", preset="Events")
    assert direct.templates[0].name == "imports/preview.html"


def test_cli_generic_import_with_a_mapping(personas, tmp_path):
    slug = personas.workspace.slug
    path = tmp_path / "events.csv"
    path.write_bytes(EVENTS)
    result = run(
        "import",
        str(path),
        "--workspace",
        slug,
        "--source",
        "generic",
        "--table",
        "spend",
        "--map",
        "date=Event date",
        "--map",
        "campaign=Event",
        "--map",
        "cost=Amount (EUR)",
        "--map",
        "channel=Event",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["files"][0]["rows"] == {"spend": 2}
    bad = run(
        "import",
        str(path),
        "--workspace",
        slug,
        "--source",
        "generic",
        "--table",
        "spend",
        "--map",
        "colour=Event",
    )
    assert bad.exit_code == 2


def test_changed_channel_rules_can_be_applied_to_past_imports(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.owner)
    confirm(client, slug, upload(client, slug, GOOGLE, fixture_bytes(GOOGLE)))
    before = {r["campaign"]: r["channel"] for r in warehouse().read(slug, "spend").to_pylist()}
    assert before["Brand FR"] == "Paid search"
    client.post(
        reverse("import_channels", args=[slug]),
        {
            "channel": "Brand search",
            "platform": "google_ads",
            "source": "*",
            "medium": "*",
            "campaign": "brand*",
        },
    )
    response = client.post(reverse("import_channels_reapply", args=[slug]))
    assert response.status_code == 302
    after = {r["campaign"]: r["channel"] for r in warehouse().read(slug, "spend").to_pylist()}
    assert after == {"Brand FR": "Brand search", "Total Store - Shopping": "Paid search"}
    assert warehouse().read(slug, "spend").num_rows == 3


def test_a_queued_import_shows_its_progress_until_the_worker_runs_it(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.owner)
    preview = upload(client, slug, GOOGLE, fixture_bytes(GOOGLE))
    hidden = {k: v or "" for k, v in preview.context["confirm"].initial.items()}
    response = client.post(
        reverse("import_confirm", args=[slug]), {"digest": preview.context["digests"], **hidden}
    )
    waiting = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert 'data-status="queued"' in waiting.content.decode()
    assert "hx-trigger" in waiting.content.decode()  # the panel keeps polling
    assert not warehouse().exists(slug, "spend")
    run_tasks()
    done = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in done and "hx-trigger" not in done
    assert spend_rows(slug) == 3


def test_uploads_gone_before_the_worker_runs_fail_the_job_without_writing(client, personas):
    from pilotage.web.imports.services import forget_uploads

    slug = personas.workspace.slug
    client.force_login(personas.owner)
    preview = upload(client, slug, GOOGLE, fixture_bytes(GOOGLE))
    hidden = {k: v or "" for k, v in preview.context["confirm"].initial.items()}
    client.post(
        reverse("import_confirm", args=[slug]), {"digest": preview.context["digests"], **hidden}
    )
    forget_uploads(personas.workspace, preview.context["digests"])
    run_tasks()
    job = ImportJob.objects.get()
    assert (job.status, job.step) == (JobStatus.FAILED, "the uploaded files have expired")
    assert not warehouse().exists(slug, "spend")


def test_another_members_job_is_not_visible_to_an_agency(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.owner)
    confirm(client, slug, upload(client, slug, GOOGLE, fixture_bytes(GOOGLE)))
    job = ImportJob.objects.get()
    client.force_login(personas.agency)
    assert client.get(reverse("import_job", args=[slug, job.pk])).status_code == 404


def test_the_worker_thread_of_pilotage_serve_runs_queued_imports(personas, settings):
    import time

    from pilotage.web.imports.services import keep_upload
    from pilotage.web.imports.tasks import run_import_job
    from pilotage.web.worker import start_in_thread

    digest = keep_upload(personas.workspace, GOOGLE, fixture_bytes(GOOGLE))
    job = ImportJob.objects.create(
        workspace=personas.workspace,
        created_by=personas.owner,
        digests=[digest],
        options={"timezone_name": "UTC", "date_order": "", "language": "en"},
    )
    run_import_job.enqueue(job.pk)
    settings.PILOTAGE_RUN_WORKER = False
    assert start_in_thread() is None
    settings.PILOTAGE_RUN_WORKER = True
    worker = start_in_thread(interval=0.05)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.05)
    finally:
        worker.running = False
        worker.thread.join(timeout=10)
    assert job.status == JobStatus.DONE
    assert spend_rows(personas.workspace.slug) == 3


def test_the_preview_warns_when_a_file_repeats_days_an_earlier_import_holds(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.owner)
    confirm(client, slug, upload(client, slug, GOOGLE, fixture_bytes(GOOGLE)))
    # the same report re-downloaded with one more day: two days overlap the first import
    text = fixture_bytes(GOOGLE).decode("utf-16")
    later = text.replace(
        "Total: Campaigns",
        "2026-09-03\tBrand FR\t111\tEUR\t1.00\t1\t1\t1%\t --\t --\r\nTotal: Campaigns",
    )
    preview = upload(
        client, slug, "later.csv", ("\ufeff" + later.lstrip("\ufeff")).encode("utf-16-le")
    )
    notes = preview.context["previews"][0]["overlaps"]
    assert [(n["rows"], n["file"], n["first"], n["last"]) for n in notes] == [
        (3, GOOGLE, "2026-09-01", "2026-09-02")
    ]
    assert "already in the warehouse from google_ads_en_excel.csv" in preview.content.decode()
