"""Imports for the web app and the CLI: the library's all-or-nothing import, plus the record
of who imported what (the history the user can undo) and the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from pilotage.importers import Context, Prepared, Taxonomy, commit, prepare_all
from pilotage.importers.taxonomy import DEFAULT_CHANNELS, DEFAULT_RULES
from pilotage.web.imports.models import ChannelRule, ImportRecord, ImportStatus
from pilotage.web.workspaces.models import AuditAction, Workspace
from pilotage.web.workspaces.services import record, warehouse

__all__ = ["DEFAULT_RULES", "record"]

_SHA = re.compile(r"^[0-9a-f]{64}$")


def taxonomy(workspace: Workspace) -> Taxonomy:
    rules = [r.as_rule() for r in ChannelRule.objects.filter(workspace=workspace)]
    own = [r["channel"] for r in rules if r["channel"] not in DEFAULT_CHANNELS]
    return Taxonomy.from_data([*DEFAULT_CHANNELS, *dict.fromkeys(own)], rules)


def context(
    workspace: Workspace,
    *,
    language: str = "en",
    timezone_name: str = "UTC",
    date_order: str = "",
    table: str = "",
    mapping: dict[str, str] | None = None,
) -> Context:
    return Context(
        currency=workspace.currency,
        timezone=timezone_name,
        taxonomy=taxonomy(workspace),
        date_order=date_order,
        language=language,
        table=table,
        mapping=tuple(sorted((mapping or {}).items())),
    )


def prepare(
    workspace: Workspace, files: Sequence[tuple[str, bytes]], *, source: str = "auto", **options
) -> list[Prepared]:
    """Read and check files without writing (``Rejected`` lists every problem)."""
    return prepare_all(files, source=source, context=context(workspace, **options))


def overlap_notes(workspace: Workspace, item: Prepared) -> list[dict]:
    """Earlier imports of the same tool holding some of this file's rows, with their files."""
    from pilotage.importers.overlap import overlaps

    found = overlaps(item, warehouse(), workspace.slug)
    names = dict(
        ImportRecord.objects.filter(
            workspace=workspace, import_id__in=[o.import_id for o in found]
        ).values_list("import_id", "file_name")
    )
    return [o.as_dict() | {"file": names.get(o.import_id, o.import_id)} for o in found]


def run_import(
    workspace: Workspace,
    files: Sequence[tuple[str, bytes]],
    actor: AbstractBaseUser | None,
    *,
    source: str = "auto",
    progress: Callable[[float, str], None] | None = None,
    **options,
) -> list[ImportRecord]:
    """Import files all or nothing and record each one; ``Rejected`` means nothing was written.

    ``progress(fraction, step)`` is called as the work advances (reading is the first half,
    writing the second)."""
    report = progress or (lambda fraction, step: None)
    report(0.05, "reading")
    prepared = prepare(workspace, files, source=source, **options)
    report(0.5, "writing")
    data = dict(files)
    records = []
    for number, item in enumerate(prepared, start=1):
        archive(workspace, item.sha256, data[item.file])
        notes = overlap_notes(workspace, item)
        if notes:
            item.details["overlaps"] = notes
        done = commit(item, warehouse(), workspace.slug)
        report(0.5 + 0.5 * number / len(prepared), f"written {item.file}")
        changed = any(done.written.values())
        with transaction.atomic():
            entry = ImportRecord.objects.create(
                workspace=workspace,
                import_id=item.import_id,
                file_name=item.file[:255],
                sha256=item.sha256,
                source=item.importer,
                source_label=item.label,
                rows_read=item.rows_read,
                tables={t: rows.num_rows for t, rows in item.tables.items()},
                skipped=[{"line": line, "reason": reason} for line, reason in item.skipped[:500]],
                details=_jsonable(item.details),
                versions=done.versions,
                options={"source": source, **{k: v for k, v in options.items() if k != "language"}},
                status=ImportStatus.COMMITTED if changed else ImportStatus.UNCHANGED,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            record(workspace, entry.created_by, AuditAction.LOAD, entry, {"tables": entry.tables})
        records.append(entry)
    return records


def undo_import(entry: ImportRecord, actor: AbstractBaseUser | None) -> dict[str, bool]:
    """Remove the file's batch from every table it wrote (one commit per table)."""
    store = warehouse()
    removed = {t: store.undo(entry.workspace.slug, t, entry.import_id) for t in entry.tables}
    now = timezone.now()
    with transaction.atomic():
        ImportRecord.objects.filter(workspace=entry.workspace, import_id=entry.import_id).exclude(
            status=ImportStatus.UNDONE
        ).update(
            status=ImportStatus.UNDONE,
            undone_at=now,
            undone_by=actor if getattr(actor, "pk", None) else None,
        )
        entry.refresh_from_db()
        record(entry.workspace, entry.undone_by, AuditAction.DELETE, entry, {"removed": removed})
    return removed


def reapply_channels(workspace: Workspace, actor: AbstractBaseUser | None) -> dict[str, int]:
    """Run every live import again, oldest first, from its archived file, with today's channel
    rules: each file's rows are replaced by the same rows with their channels re-mapped (same
    batch, one commit per table), so history follows the rules. Files no longer archived are
    left as they are and counted."""
    live = ImportRecord.objects.filter(workspace=workspace, status=ImportStatus.COMMITTED).order_by(
        "created_at", "pk"
    )
    counts = {"files": 0, "changed": 0, "missing": 0}
    done: set[str] = set()
    for entry in live:
        if entry.import_id in done:
            continue
        done.add(entry.import_id)
        path = archive_dir(workspace) / entry.sha256
        if not path.exists():
            counts["missing"] += 1
            continue
        options = dict(entry.options)
        source = options.pop("source", entry.source)
        item = prepare(workspace, [(entry.file_name, path.read_bytes())], source=source, **options)[
            0
        ]
        result = commit(item, warehouse(), workspace.slug)
        counts["files"] += 1
        if any(result.written.values()):
            counts["changed"] += 1
            entry.versions = result.versions
            entry.save(update_fields=["versions"])
    record(workspace, actor, AuditAction.UPDATE, workspace, {"reapplied_channel_rules": counts})
    return counts


def archive_dir(workspace: Workspace) -> Path:
    """Where imported files are kept (by hash), to re-run them when the channel rules change."""
    path = Path(settings.PILOTAGE_HOME) / "imports" / workspace.slug
    path.mkdir(parents=True, exist_ok=True)
    return path


def archive(workspace: Workspace, digest: str, data: bytes) -> None:
    path = archive_dir(workspace) / digest
    if not path.exists():
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)


# -- uploads kept between the preview and the confirmation


def upload_dir(workspace: Workspace) -> Path:
    path = Path(settings.PILOTAGE_HOME) / "uploads" / workspace.slug
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_upload(workspace: Workspace, name: str, data: bytes) -> str:
    """Store an uploaded file by its hash; returns the hash."""
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    folder = upload_dir(workspace)
    (folder / digest).write_bytes(data)
    (folder / f"{digest}.name").write_text(Path(name).name[:255], encoding="utf-8")
    return digest


def kept_uploads(workspace: Workspace, digests: Sequence[str]) -> list[tuple[str, bytes]]:
    """The uploads named by their hashes (unknown or malformed hashes are ignored)."""
    folder = upload_dir(workspace)
    out = []
    for digest in digests:
        if not _SHA.match(digest) or not (folder / digest).exists():
            continue
        name = (folder / f"{digest}.name").read_text(encoding="utf-8")
        out.append((name, (folder / digest).read_bytes()))
    return out


def forget_uploads(workspace: Workspace, digests: Sequence[str]) -> None:
    folder = upload_dir(workspace)
    for digest in digests:
        if _SHA.match(digest):
            for path in (folder / digest, folder / f"{digest}.name"):
                path.unlink(missing_ok=True)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
