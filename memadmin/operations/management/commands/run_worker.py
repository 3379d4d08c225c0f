"""`db_worker` with a heartbeat: a killed worker's tasks and leases are taken over.

Same options as django-tasks-db's `db_worker`. A thread of the worker records its
heartbeat every `--interval` seconds and, on the same beat, requeues what workers that
stopped beating held (`memadmin.operations.workers`).
"""

import logging
import threading

from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

from memadmin.operations import workers

logger = logging.getLogger(__name__)


class HeartbeatWorker(db_worker.Worker):
    """django-tasks-db's worker plus a heartbeat thread that also takes over dead claims."""

    def run(self) -> None:
        stop = threading.Event()
        beating = threading.Thread(target=self._beat, args=(stop,), daemon=True)
        beating.start()
        try:
            super().run()
        finally:
            stop.set()
            beating.join(timeout=5)
            workers.forget(worker_id=self.worker_id)

    def _beat(self, stop: threading.Event) -> None:
        interval = max(self.interval, 0.2)
        while not stop.is_set():
            try:
                workers.beat(worker_id=self.worker_id)
                taken = workers.take_over_stale_claims(interval=interval)
                if taken:
                    logger.warning("Took over the tasks of stopped worker(s) %s", taken)
            except Exception:  # a beat that fails (a locked database) tries again next time
                logger.exception("Worker heartbeat failed")
                close_old_connections()
            stop.wait(interval)


class Command(db_worker.Command):
    help = "Runs background tasks, taking over the tasks of workers that were killed."

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = HeartbeatWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
