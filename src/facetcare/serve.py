"""``facetcare serve``: the web application under gunicorn, with the task worker beside it.

The embedded tier serves the way production does. Django's development server
reset connections once a couple of hundred clients arrived together; gunicorn
queues them (a deep listen backlog) and answers each.

- Threaded workers (gthread): one process per core, at least two, each with a
  few threads, sharing one listening socket; kept-alive connections are reused.
- The task worker (django-tasks-db) runs as a child process in its own process
  group, so a Ctrl-C in the terminal reaches only this process, which then stops
  both in order: gunicorn lets the requests in flight finish, then the worker
  finishes the task it holds. SIGINT and SIGTERM do the same; the exit code is 0.
- On SQLite every gunicorn worker and the task worker are separate processes
  sharing one database file in WAL mode: readers never wait, and writers take
  turns, since every write transaction begins IMMEDIATE and waits up to 20 s
  for the write lock (``config/settings.py``). A booking holds the lock for a few
  milliseconds, so a crowd of bookings queues rather than fails.
- Static files come from whitenoise inside the application (no collectstatic).
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.errors import HaltServer

DEFAULT_ADDRESS = "127.0.0.1:8000"
# The `facetcare` arguments that run the task worker.
TASK_WORKER_ARGS: tuple[str, ...] = ("worker",)
# Seconds a server process keeps its database connection between requests.
CONN_MAX_AGE_S = "600"
THREADS_PER_WORKER = 4
# Pending connections the kernel holds for gunicorn while every thread is busy.
BACKLOG = 2048
KEEPALIVE_S = 5
# How long requests in flight, then the task in hand, may take to finish on a stop.
GRACEFUL_TIMEOUT_S = 10
# A task worker that exits sooner than this after starting is failing, not finished.
WORKER_MIN_LIFETIME_S = 5.0


@dataclass(frozen=True)
class ServerShape:
    address: str
    workers: int
    threads: int

    @classmethod
    def for_this_machine(cls, address: str) -> "ServerShape":
        """One gunicorn worker per core this process may use, at least two."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        return cls(
            address=address,
            workers=max(2, cores or os.cpu_count() or 1),
            threads=THREADS_PER_WORKER,
        )


def prepare_environment(address: str) -> None:
    """Defaults for the served processes, set before Django reads its settings.

    Links in emails point at the address being served unless the site URL is
    configured, and connections are kept between requests (a new SQLite
    connection per request also repeats its set-up pragmas).
    """
    if ":" in address and not address.startswith(("unix:", "fd:")):
        os.environ.setdefault("FACETCARE_SITE_URL", f"http://{address}")
    os.environ.setdefault("FACETCARE_DB_CONN_MAX_AGE", CONN_MAX_AGE_S)


def task_worker_command() -> list[str]:
    return [sys.executable, "-m", "facetcare.cli", *TASK_WORKER_ARGS]


def tasks_need_a_worker() -> bool:
    """True when background tasks are queued in the database for a worker to run."""
    from django.tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


class TaskWorker:
    """The task worker child process: started, checked on, stopped and waited for."""

    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def start(self) -> None:
        # Its own process group: the terminal's Ctrl-C goes to the server alone,
        # which stops the worker once, after gunicorn (a second signal would make
        # the worker abandon the task it holds).
        self.process = subprocess.Popen(self.command, process_group=0)  # noqa: S603
        self.started_at = time.monotonic()

    def exited(self) -> int | None:
        """The exit code if the worker has stopped by itself, else None."""
        return None if self.process is None else self.process.poll()

    def stop(self, timeout: float = GRACEFUL_TIMEOUT_S) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class _Arbiter(Arbiter):  # type: ignore[misc]  # gunicorn ships no types
    """gunicorn's master, keeping an eye on the task worker too."""

    task_worker: TaskWorker | None = None

    def handle_int(self) -> None:
        # Ctrl-C stops gracefully, as SIGTERM does: requests in flight finish.
        raise StopIteration

    def reap_workers(self) -> None:
        # gunicorn reaps every child with waitpid(-1); collect the task worker's
        # status first, so it is known here rather than swallowed as a stranger's.
        if self.task_worker is not None:
            self.task_worker.exited()
        super().reap_workers()

    def manage_workers(self) -> None:
        super().manage_workers()
        worker = self.task_worker
        code = None if worker is None else worker.exited()
        if worker is None or code is None:
            return
        if time.monotonic() - worker.started_at < WORKER_MIN_LIFETIME_S:
            raise HaltServer(f"the task worker exited at start (code {code})", 1)
        self.log.error("The task worker exited (code %s); starting another", code)
        worker.start()


def _ignore_ctrl_c(worker: Any) -> None:
    # The terminal sends Ctrl-C to every process in its foreground group; a
    # gunicorn worker would drop its requests at once. The master stops them
    # gracefully instead.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class FacetCareServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
    """gunicorn configured in code for ``facetcare.config.wsgi``."""

    def __init__(self, shape: ServerShape, task_worker: TaskWorker | None) -> None:
        self.shape = shape
        self.task_worker = task_worker
        super().__init__()

    def load_config(self) -> None:
        options = {
            "bind": self.shape.address,
            "workers": self.shape.workers,
            "worker_class": "gthread",
            "threads": self.shape.threads,
            "backlog": BACKLOG,
            "keepalive": KEEPALIVE_S,
            "graceful_timeout": GRACEFUL_TIMEOUT_S,
            # Load Django once in the master; the workers share its pages.
            "preload_app": True,
            "loglevel": "warning",
            "proc_name": "facetcare",
            # A control socket at a fixed path per user: two servers would collide.
            "control_socket_disable": True,
            "post_worker_init": _ignore_ctrl_c,
            "when_ready": self._when_ready,
        }
        for name, value in options.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        from django.db import connections

        from facetcare.config.wsgi import application

        # Nothing the master opened may be shared by the forked workers.
        connections.close_all()
        return application

    def _when_ready(self, arbiter: Any) -> None:
        if self.task_worker is not None:
            self.task_worker.start()
        print(ready_line(self.shape, with_worker=self.task_worker is not None), flush=True)

    def serve(self) -> int:
        """Run until SIGINT or SIGTERM; the exit code of gunicorn's master."""
        arbiter = _Arbiter(self)
        arbiter.task_worker = self.task_worker
        try:
            arbiter.run()
        except SystemExit as stopped:
            return _exit_code(stopped)
        except RuntimeError as error:  # gunicorn's own start-up failures
            print(f"facetcare serve: {error}", file=sys.stderr)
            return 1
        finally:
            if self.task_worker is not None:
                self.task_worker.stop()
        return 0


def _exit_code(stopped: SystemExit) -> int:
    if stopped.code is None:
        return 0
    return stopped.code if isinstance(stopped.code, int) else 1


def ready_line(shape: ServerShape, *, with_worker: bool) -> str:
    beside = "and the task worker" if with_worker else "(tasks run in process)"
    return (
        f"FacetCare is serving http://{shape.address}/ with gunicorn "
        f"({shape.workers} workers x {shape.threads} threads) {beside}. Ctrl-C stops it."
    )


def serve(address: str) -> int:
    """Serve ``address`` (``host:port``) until stopped; Django must be set up."""
    worker = TaskWorker(task_worker_command()) if tasks_need_a_worker() else None
    return FacetCareServer(ServerShape.for_this_machine(address), worker).serve()
