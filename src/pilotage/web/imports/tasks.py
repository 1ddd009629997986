"""The background import: a confirmed import runs in the task worker and reports progress."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from pilotage.importers import Rejected
from pilotage.web.imports import services
from pilotage.web.imports.models import ImportJob, JobStatus


@task()
def run_import_job(job_id: int) -> str:
    """Import the job's uploads all or nothing, saving progress as it goes."""
    job = ImportJob.objects.select_related("workspace", "created_by").get(pk=job_id)
    if job.finished:
        return job.status
    _save(job, status=JobStatus.RUNNING, progress=1, step="reading")
    files = services.kept_uploads(job.workspace, job.digests)
    if len(files) != len(job.digests):
        _save(
            job,
            status=JobStatus.FAILED,
            step="the uploaded files have expired",
            finished_at=timezone.now(),
        )
        return job.status

    def progress(done: float, step: str) -> None:
        _save(job, progress=max(1, min(99, round(done * 100))), step=step[:200])

    language = job.options.get("language", "en")
    try:
        records = services.run_import(
            job.workspace,
            files,
            job.created_by,
            source=job.source,
            progress=progress,
            **job.options,
        )
    except Rejected as exc:
        job.problems = [p.as_dict(language) for p in exc.problems]
        _save(
            job, status=JobStatus.FAILED, progress=100, step="rejected", finished_at=timezone.now()
        )
        services.forget_uploads(job.workspace, job.digests)
        return job.status
    except Exception as exc:  # recorded for the user, then re-raised for the task log
        _save(job, status=JobStatus.FAILED, step=f"error: {exc}"[:200], finished_at=timezone.now())
        raise
    with transaction.atomic():
        job.records.set(records)
        _save(job, status=JobStatus.DONE, progress=100, step="done", finished_at=timezone.now())
    services.forget_uploads(job.workspace, job.digests)
    return job.status


def _save(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, *(["problems"] if job.problems else [])])
