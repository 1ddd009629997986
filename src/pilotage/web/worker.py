"""The background-task worker run inside ``pilotage serve`` (the embedded default).

The database task backend's own worker loop runs in a daemon thread: tasks wait in the app
database, the thread claims and runs them one at a time. Deployments with several servers set
``PILOTAGE_RUN_WORKER=false`` and run ``pilotage manage db_worker`` instead.
"""

from __future__ import annotations

import os
import threading

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Worker


def start_in_thread(interval: float = 1.0) -> Worker | None:
    """Start the worker in a daemon thread (``worker.thread``); None when the settings say
    another process runs it. ``worker.running = False`` stops it after the current task."""
    if not settings.PILOTAGE_RUN_WORKER:
        return None
    worker = Worker(
        queue_names=["default"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"serve-{os.getpid()}",
        excluded_queue_names=[],
    )
    worker.thread = threading.Thread(  # type: ignore[attr-defined]
        target=worker.run, name="pilotage-worker", daemon=True
    )
    worker.thread.start()  # type: ignore[attr-defined]
    return worker
