"""Import pages: upload, preview (nothing written yet), confirm, history with undo, channels."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotage.importers import Rejected, importers
from pilotage.warehouse import SCHEMAS
from pilotage.web.imports import mapping, services
from pilotage.web.imports.forms import ChannelRuleForm, OptionsForm, UploadForm
from pilotage.web.imports.models import (
    ChannelRule,
    ImportJob,
    ImportRecord,
    ImportStatus,
    MappingPreset,
)
from pilotage.web.imports.tasks import run_import_job
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES, Role

IMPORT_ROLES = (Role.OWNER, Role.MANAGER, Role.AGENCY)
PREVIEW_ROWS = 10


def _history(request: HttpRequest):
    records = ImportRecord.objects.filter(workspace=request.workspace).select_related(
        "created_by", "undone_by"
    )
    if request.membership.role == Role.AGENCY:
        records = records.filter(created_by=request.user)  # an agency sees its own imports
    return records[:100]


def _options(data: dict) -> dict:
    """Library options from a cleaned ``OptionsForm``."""
    options = {
        "timezone_name": data["timezone_name"],
        "date_order": data.get("date_order") or "",
        "language": (get_language() or "en")[:2],
    }
    if data.get("source") == "generic":
        options["table"] = data.get("table") or ""
        options["mapping"] = data.get("mapping") or {}
    return options


def _hidden_options(data: dict) -> OptionsForm:
    """The options of this import, carried to the next step in hidden fields."""
    initial = {k: data.get(k) for k in ("source", "table", "timezone_name", "date_order")}
    initial["mapping"] = json.dumps(data.get("mapping") or {})
    return OptionsForm(initial=initial)


@workspace_view(*IMPORT_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "imports/index.html", _index_context(request, UploadForm()))


def _index_context(request: HttpRequest, form: UploadForm, **extra) -> dict:
    presets = MappingPreset.objects.filter(workspace=request.workspace)
    return {"form": form, "records": _history(request), "presets": presets, **extra}


@workspace_view(*IMPORT_ROLES)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Read the uploaded files and show what would be written — or every problem found.

    A file imported "with a column mapping" first goes to the mapping step, unless a saved
    mapping was chosen."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "imports/index.html", _index_context(request, form), status=400)
    data = dict(form.cleaned_data)
    files = [(f.name, f.read()) for f in data.pop("files")]
    digests = [services.keep_upload(request.workspace, name, raw) for name, raw in files]
    if data["source"] == "generic":
        preset = MappingPreset.objects.filter(
            workspace=request.workspace, name=data.get("preset") or ""
        ).first()
        if preset is not None:
            data["table"], data["mapping"] = preset.table, preset.mapping
        if not data.get("table") or not data.get("mapping"):
            return _mapping_page(request, files[0], digests, data)
    return _preview(request, files, digests, data, form)


def _preview(request, files, digests, data: dict, form: UploadForm | None = None):
    options = _options(data)
    try:
        prepared = services.prepare(request.workspace, files, source=data["source"], **options)
    except Rejected as exc:
        services.forget_uploads(request.workspace, digests)
        problems = [p.as_dict(options["language"]) for p in exc.problems]
        context = _index_context(
            request, form or UploadForm(), problems=problems, overflow=exc.overflow
        )
        return render(request, "imports/index.html", context, status=422)
    previews = []
    for item in prepared:
        tables = []
        for name, rows in item.tables.items():
            shown = rows.drop_columns(["source", "import_id"]).slice(0, PREVIEW_ROWS)
            tables.append(
                {
                    "name": name,
                    "count": rows.num_rows,
                    "columns": shown.column_names,
                    "rows": [list(r.values()) for r in shown.to_pylist()],
                }
            )
        overlaps = services.overlap_notes(request.workspace, item)
        previews.append(
            {"item": item, "summary": item.summary(), "tables": tables, "overlaps": overlaps}
        )
    return render(
        request,
        "imports/preview.html",
        {"previews": previews, "digests": digests, "confirm": _hidden_options(data)},
    )


def _mapping_page(request, file: tuple[str, bytes], digests, data: dict, status: int = 200):
    """Ask which column of the file holds each field of the chosen table."""
    table = data.get("table") or ""
    if table not in SCHEMAS:
        form = UploadForm(initial={k: v for k, v in data.items() if k != "mapping"})
        form.add_error(None, _("Choose the table that the file's rows go to."))
        services.forget_uploads(request.workspace, digests)
        return render(request, "imports/index.html", _index_context(request, form), status=400)
    headers, samples = mapping.file_columns(*file)
    fields = mapping.fields(table, headers, data.get("mapping") or {})
    context = {
        "file_name": file[0],
        "table": table,
        "fields": fields,
        "headers": headers,
        "samples": samples,
        "digests": digests,
        "options": _hidden_options(data),
    }
    return render(request, "imports/mapping.html", context, status=status)


@workspace_view(*IMPORT_ROLES)
@require_POST
def map_columns(request: HttpRequest) -> HttpResponse:
    """The mapping step's answer: preview with it (and save it under a name if asked)."""
    form = OptionsForm(request.POST)
    digests = request.POST.getlist("digest")
    files = services.kept_uploads(request.workspace, digests)
    if not form.is_valid() or not files:
        messages.error(request, _("The uploaded files have expired; please upload them again."))
        return redirect("imports", request.workspace.slug)
    data = dict(form.cleaned_data)
    data["source"] = "generic"
    table = data.get("table") or ""
    chosen = {
        f: request.POST.get(f"map_{f}", "")
        for f in (SCHEMAS[table].names if table in SCHEMAS else ())
    }
    data["mapping"] = {f: h for f, h in chosen.items() if h}
    name = (request.POST.get("save_as") or "").strip()[:80]
    if name and data["mapping"]:
        MappingPreset.objects.update_or_create(
            workspace=request.workspace,
            name=name,
            defaults={"table": table, "mapping": data["mapping"]},
        )
    return _preview(request, files, digests, data)


@workspace_view(*IMPORT_ROLES)
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    form = OptionsForm(request.POST)
    digests = request.POST.getlist("digest")
    files = services.kept_uploads(request.workspace, digests)
    if not form.is_valid() or not files or len(files) != len(digests):
        messages.error(request, _("The uploaded files have expired; please upload them again."))
        return redirect("imports", request.workspace.slug)
    data = form.cleaned_data
    options = _options(data)
    job = ImportJob.objects.create(
        workspace=request.workspace,
        created_by=request.user,
        digests=digests,
        source=data["source"],
        options=options,
    )
    run_import_job.enqueue(job.pk)
    return redirect("import_job", request.workspace.slug, job.pk)


@workspace_view(*IMPORT_ROLES)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import's progress; the page refreshes its panel until the import ends."""
    found = ImportJob.objects.filter(workspace=request.workspace, pk=pk).first()
    if found is None or (
        request.membership.role == Role.AGENCY and found.created_by_id != request.user.pk
    ):
        raise Http404("No such import")
    template = "imports/_job.html" if request.htmx else "imports/job.html"
    return render(request, template, {"job": found, "records": list(found.records.all())})


@workspace_view(*IMPORT_ROLES)
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _history_entry(request, pk)
    if entry.status == ImportStatus.UNDONE:
        messages.info(request, _("This import was already undone."))
    else:
        services.undo_import(entry, request.user)
        messages.success(request, _("Import of %(file)s undone.") % {"file": entry.file_name})
    return redirect("imports", request.workspace.slug)


def _history_entry(request: HttpRequest, pk: int) -> ImportRecord:
    entry = ImportRecord.objects.filter(workspace=request.workspace, pk=pk).first()
    if entry is None:
        raise Http404("No such import")
    if request.membership.role == Role.AGENCY and entry.created_by_id != request.user.pk:
        raise Http404("No such import")
    return entry


@workspace_view(*EDITOR_ROLES)
def channels(request: HttpRequest) -> HttpResponse:
    """The workspace's channel rules (tried first) and the built-in ones."""
    form = ChannelRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.workspace = request.workspace
        last = ChannelRule.objects.filter(workspace=request.workspace).order_by("-position").first()
        rule.position = (last.position + 1) if last else 0
        rule.save()
        services.record(request.workspace, request.user, "create", rule)
        return redirect("import_channels", request.workspace.slug)
    taxonomy = services.taxonomy(request.workspace)
    context = {
        "form": form,
        "rules": ChannelRule.objects.filter(workspace=request.workspace),
        "defaults": [r.as_dict() for r in services.DEFAULT_RULES],
        "channels": taxonomy.channels,
        "importers": sorted(importers().values(), key=lambda i: i.label),
    }
    return render(request, "imports/channels.html", context, status=400 if form.errors else 200)


@workspace_view(*EDITOR_ROLES)
@require_POST
def channels_reapply(request: HttpRequest) -> HttpResponse:
    """Re-map the channels of every imported file with today's rules."""
    counts = services.reapply_channels(request.workspace, request.user)
    messages.success(
        request,
        _("Channel rules applied again to %(files)s imported files (%(changed)s changed).")
        % counts,
    )
    if counts["missing"]:
        messages.info(
            request,
            _("%(missing)s imports have no archived file and kept their channels.") % counts,
        )
    return redirect("import_channels", request.workspace.slug)


@workspace_view(*EDITOR_ROLES)
@require_POST
def channel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = ChannelRule.objects.filter(workspace=request.workspace, pk=pk).first()
    if rule is None:
        raise Http404("No such rule")
    services.record(request.workspace, request.user, "delete", rule)
    rule.delete()
    return redirect("import_channels", request.workspace.slug)
