"""``facetcare worker``: runs queued background work, and gives it its periodic work.

Two parts in one process:

- **the task worker**: django-tasks-db's own worker loop (the engine of its
  ``db_worker`` command), which takes tasks queued in the database (booking
  emails, waitlist offers) and runs them one at a time;
- **the clock**: a small thread that, every ``sweep_every`` seconds (60), queues
  each periodic task (``PERIODIC``: the reminder, waitlist and questionnaire sweeps)
  unless one is already waiting to run. The worker loop then runs it like any
  other task, so its outcome is recorded with the others.

Why a clock thread, not a task that re-queues itself: a chain of tasks breaks
when a worker is killed in the middle of one (django-tasks-db leaves that task
"running" for good, and nothing queues the next link). The clock needs no
state: every worker that is up queues the sweeps, a killed worker's unfinished
sweep is simply followed by the next one, and two workers sweeping at once is
safe because each reminder and offer is claimed in the database before it is
sent (``booking/reminders.py``). The "already waiting" check only keeps a busy
queue from filling with sweeps, and once an hour the clock deletes the sweeps'
successful results older than a day, so two rows a minute do not pile up.

Stopping: SIGINT or SIGTERM lets the task in hand finish and exits with 0; a
second signal stops at once (exit 1). ``run()`` is what ``facetcare worker``
calls; a parent process (``facetcare serve``) starts one with
``facetcare worker`` (or ``python -m facetcare.cli worker``) and stops it with
SIGTERM.
"""

import argparse
import logging
import sys
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TextIO

from django.db import connections
from django.tasks import task_backends
from django.tasks.base import Task
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from facetcare.booking.reminders import send_due_reminders
from facetcare.outcomes.tasks import send_due_questionnaires
from facetcare.waitlist.tasks import sweep_waitlist_offers

logger = logging.getLogger(__name__)

PERIODIC: tuple[Task[[], int], ...] = (
    send_due_reminders,
    sweep_waitlist_offers,
    send_due_questionnaires,
)
SWEEP_EVERY = 60.0
POLL_EVERY = 1.0
# Two sweeps a minute leave ~2,900 results a day; a day's worth is kept to look at.
KEEP_SWEEP_RESULTS = timedelta(days=1)
PRUNE_EVERY = 3600.0


def queue_periodic_tasks() -> list[str]:
    """Queue each periodic task that has no run waiting; the names of those queued."""
    queued = []
    for periodic in PERIODIC:
        waiting = DBTaskResult.objects.ready().filter(task_path=periodic.module_path)
        if not waiting.exists():
            periodic.enqueue()
            queued.append(periodic.name)
    return queued


def prune_sweep_results(*, now: datetime) -> int:
    """Delete the periodic tasks' successful results older than ``KEEP_SWEEP_RESULTS``;
    how many. Failed ones stay, as do other tasks' (``facetcare prune_db_task_results``)."""
    deleted, _ = (
        DBTaskResult.objects.successful()
        .filter(
            task_path__in=[periodic.module_path for periodic in PERIODIC],
            finished_at__lt=now - KEEP_SWEEP_RESULTS,
        )
        .delete()
    )
    return deleted


class Clock(threading.Thread):
    """Queues the periodic tasks now and then every ``every`` seconds until stopped,
    and prunes their old results once an hour."""

    def __init__(self, every: float) -> None:
        super().__init__(name="facetcare-clock", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        last_pruned = -PRUNE_EVERY
        while not self.stopped.is_set():
            try:
                queue_periodic_tasks()
                if time.monotonic() - last_pruned >= PRUNE_EVERY:
                    prune_sweep_results(now=timezone.now())
                    last_pruned = time.monotonic()
            except Exception:
                # A locked or unreachable database: try again on the next tick.
                logger.exception("Could not queue the periodic tasks")
            finally:
                connections.close_all()
            self.stopped.wait(self.every)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)


def run(
    *,
    sweep_every: float = SWEEP_EVERY,
    poll_every: float = POLL_EVERY,
    queues: str = "*",
    worker_id: str | None = None,
    out: TextIO | None = None,
) -> int:
    """Run the worker and its clock until SIGINT/SIGTERM; the exit status.

    Django must be set up. ``queues`` is a comma-separated list of queue names, or
    ``*`` for all. Returns 2 when the configured task backend is not the database
    one (then there is no queue to work: tasks run where they are queued).
    """
    out = out or sys.stdout
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        print(
            f"facetcare worker: the task backend is {type(backend).__name__}, "
            "not django-tasks-db's DatabaseBackend, so there is no queue to work",
            file=sys.stderr,
        )
        return 2
    worker = Worker(
        queue_names=queues.split(","),
        interval=poll_every,
        batch=False,
        backend_name=backend.alias,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id or get_random_string(32),
        excluded_queue_names=[],
    )
    # Each task's start and finish are INFO records; in debug Django's own console
    # handler would print them (four lines a minute from the sweeps alone). They
    # show at FACETCARE_LOG_LEVEL=INFO; a failed task is an ERROR and always shows.
    logging.getLogger("django.tasks").setLevel(logging.getLogger().getEffectiveLevel())
    clock = Clock(sweep_every)
    worker.configure_signals()
    clock.start()
    try:
        # Printed once the signals are handled: from this line on, Ctrl-C stops it cleanly.
        print(
            f"FacetCare worker {worker.worker_id[:8]} running queue(s) {queues}; "
            f"reminders and waitlist every {sweep_every:g} s. Ctrl-C stops it.",
            file=out,
            flush=True,
        )
        worker.run()
    except SystemExit as stop:
        # The worker's signal handler exits this way when it is not running a task.
        return stop.code if isinstance(stop.code, int) else 0
    finally:
        clock.stop()
        worker.reset_signals()
    return 0


def main(argv: Sequence[str]) -> int:
    """``facetcare worker [--sweep-every S] [--poll-every S] [--queues Q]``."""
    parser = argparse.ArgumentParser(
        prog="facetcare worker",
        description="Run background tasks, and queue the reminder and waitlist sweeps.",
    )
    parser.add_argument(
        "--sweep-every",
        type=_positive,
        default=SWEEP_EVERY,
        help="seconds between reminder and waitlist sweeps (default: %(default)g)",
    )
    parser.add_argument(
        "--poll-every",
        type=_positive,
        default=POLL_EVERY,
        help="seconds between looks at an empty queue (default: %(default)g)",
    )
    parser.add_argument(
        "--queues", default="*", help="comma-separated queue names, or * for all (default)"
    )
    args = parser.parse_args(list(argv))
    return run(sweep_every=args.sweep_every, poll_every=args.poll_every, queues=args.queues)


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 < number < 86400:
        raise argparse.ArgumentTypeError("give a number of seconds above 0 and below 86400")
    return number
