"""The background fit: the task worker fits the model and reports its progress."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from pilotage.web.imports.models import JobStatus
from pilotage.web.mmm import services
from pilotage.web.mmm.models import MmmFit


@task()
def run_fit(fit_id: int) -> str:
    """Fit the workspace's marketing-mix model, saving progress as it goes."""
    fit = MmmFit.objects.select_related("workspace").get(pk=fit_id)
    if fit.finished:
        return fit.status
    _save(fit, status=JobStatus.RUNNING, progress=1, step="starting")

    def progress(done: float, step: str) -> None:
        _save(fit, progress=max(1, min(99, round(done * 100))), step=step[:200])

    try:
        tests, other = services.lift_tests_of(fit.workspace, fit.target)
        priors = services.roi_priors_of(fit.workspace, fit.target)
        model, results = services.fit_model(
            fit.workspace, fit.target, progress, tests, other, roi_priors=priors
        )
    except ValueError as exc:  # no spend, too few weeks: said to the user
        _save(fit, status=JobStatus.FAILED, step=str(exc)[:200], finished_at=timezone.now())
        return fit.status
    except Exception as exc:  # recorded for the user, then re-raised for the task log
        _save(fit, status=JobStatus.FAILED, step=f"error: {exc}"[:200], finished_at=timezone.now())
        raise
    _save(
        fit,
        model=model,
        results=results,
        status=JobStatus.DONE,
        progress=100,
        step="done",
        finished_at=timezone.now(),
    )
    return fit.status


def _save(fit: MmmFit, **fields) -> None:
    fields["updated_at"] = timezone.now()
    for name, value in fields.items():
        setattr(fit, name, value)
    fit.save(update_fields=list(fields))
