"""Import pages: upload, preview (nothing written yet), confirm, history with undo, channels."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotage.importers import Rejected, importers
from pilotage.web.imports import services
from pilotage.web.imports.forms import ChannelRuleForm, OptionsForm, UploadForm
from pilotage.web.imports.models import ChannelRule, ImportRecord, ImportStatus
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


def _options(form: OptionsForm) -> dict[str, str]:
    return {
        "timezone_name": form.cleaned_data["timezone_name"],
        "date_order": form.cleaned_data["date_order"] or "",
        "language": (get_language() or "en")[:2],
    }


@workspace_view(*IMPORT_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "imports/index.html",
        {"form": UploadForm(), "records": _history(request), "can_undo": True},
    )


@workspace_view(*IMPORT_ROLES)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Read the uploaded files and show what would be written — or every problem found."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {"form": form, "records": _history(request)}
        return render(request, "imports/index.html", context, status=400)
    files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
    digests = [services.keep_upload(request.workspace, name, data) for name, data in files]
    options = _options(form)
    language = options["language"]
    try:
        prepared = services.prepare(
            request.workspace, files, source=form.cleaned_data["source"], **options
        )
    except Rejected as exc:
        services.forget_uploads(request.workspace, digests)
        problems = [p.as_dict(language) for p in exc.problems]
        context = {
            "form": form,
            "problems": problems,
            "overflow": exc.overflow,
            "records": _history(request),
        }
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
        previews.append({"item": item, "summary": item.summary(), "tables": tables})
    confirm = OptionsForm(initial={**form.cleaned_data, "files": None})
    return render(
        request,
        "imports/preview.html",
        {"previews": previews, "digests": digests, "confirm": confirm},
    )


@workspace_view(*IMPORT_ROLES)
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    form = OptionsForm(request.POST)
    digests = request.POST.getlist("digest")
    files = services.kept_uploads(request.workspace, digests)
    if not form.is_valid() or not files or len(files) != len(digests):
        messages.error(request, _("The uploaded files have expired; please upload them again."))
        return redirect("imports", request.workspace.slug)
    try:
        records = services.run_import(
            request.workspace,
            files,
            request.user,
            source=form.cleaned_data["source"],
            **_options(form),
        )
    except Rejected as exc:
        for problem in exc.problems[:20]:
            messages.error(request, problem.render((get_language() or "en")[:2]))
        return redirect("imports", request.workspace.slug)
    services.forget_uploads(request.workspace, digests)
    for entry in records:
        if entry.status == ImportStatus.UNCHANGED:
            messages.info(
                request,
                _("%(file)s was already imported: nothing changed.") % {"file": entry.file_name},
            )
        else:
            messages.success(
                request,
                _("%(file)s imported: %(rows)s rows.")
                % {"file": entry.file_name, "rows": entry.rows_written},
            )
    return redirect("imports", request.workspace.slug)


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
def channel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = ChannelRule.objects.filter(workspace=request.workspace, pk=pk).first()
    if rule is None:
        raise Http404("No such rule")
    services.record(request.workspace, request.user, "delete", rule)
    rule.delete()
    return redirect("import_channels", request.workspace.slug)
