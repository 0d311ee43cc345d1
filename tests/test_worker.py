"""``facetcare worker`` as a real process: it starts, sweeps, stops cleanly on a signal,
and a reminder goes exactly once even when the worker is killed mid-sweep and restarted.

Each test gets its own SQLite file (copied from one migrated once per module), so
the worker process and the test read the same database; the test reads it with
plain ``sqlite3``. Email goes to ``tests.worker_support.RecordingMailBackend``.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from facetcare import worker
from facetcare.booking.notifications import send_booking_confirmation
from facetcare.booking.reminders import send_due_reminders

ROOT = Path(__file__).resolve().parent.parent
FACETCARE = [sys.executable, "-m", "facetcare.cli"]


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "DJANGO_", "FACETCARE_"))
    }
    return env | {
        "DATABASE_URL": f"sqlite:///{data_dir / 'facetcare.sqlite3'}",
        "FACETCARE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "PYTHONPATH": str(ROOT),
        "FACETCARE_TEST_MAIL_LOG": str(data_dir / "mail.log"),
        **extra,
    }


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("worker-template")
    subprocess.run(
        [*FACETCARE, "migrate", "--skip-checks", "-v0"],
        env=environment(data_dir),
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return data_dir / "facetcare.sqlite3"


@pytest.fixture
def data_dir(migrated: Path, tmp_path: Path) -> Path:
    shutil.copy(migrated, tmp_path / "facetcare.sqlite3")
    return tmp_path


def seed(data_dir: Path, *, due: int) -> dict[str, list[str]]:
    script = (
        "import django, json; django.setup(); from tests.worker_support import seed; "
        f"print(json.dumps(seed({due})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=environment(data_dir),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    seeded: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return seeded


class Worker:
    """A ``facetcare worker`` child process."""

    def __init__(self, data_dir: Path, *, mail_delay: float = 0) -> None:
        self.process = subprocess.Popen(
            [*FACETCARE, "worker", "--sweep-every", "1", "--poll-every", "0.1"],
            env=environment(data_dir, FACETCARE_TEST_MAIL_DELAY=str(mail_delay)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.seen = ""

    def started(self) -> str:
        """Wait for the line the worker prints when it is up, and return it."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self.seen += line
        return line

    def stop(self, sig: signal.Signals = signal.SIGINT) -> tuple[int, str, str]:
        """Send ``sig``; the exit code, everything printed, and the log on stderr."""
        self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, self.seen + out, err

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no handler, no clean-up, mid-whatever
        self.process.wait(timeout=10)


@pytest.fixture
def start_worker(data_dir: Path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(**options: Any) -> Worker:
        started.append(Worker(data_dir, **options))
        return started[-1]

    yield start
    for each in started:
        if each.process.poll() is None:
            each.kill()


def wait_for(condition: Callable[[], bool], *, timeout: float, every: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {timeout} s")
        time.sleep(every)


def query(data_dir: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data_dir / "facetcare.sqlite3", timeout=20) as db:
        return db.execute(sql).fetchall()


def mailed(data_dir: Path) -> list[str]:
    """Each recipient of a reminder, once per message the mail backend took."""
    log = data_dir / "mail.log"
    if not log.exists():
        return []
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    return [line["to"][0] for line in lines if line["subject"].startswith("Reminder:")]


def reminder_states(data_dir: Path) -> dict[str, str]:
    rows = query(
        data_dir,
        "SELECT p.email, r.state FROM booking_reminder r "
        "JOIN booking_appointment a ON a.id = r.appointment_id "
        "JOIN patients_patient p ON p.id = a.patient_id",
    )
    return dict(rows)


def test_the_worker_starts_sweeps_and_stops_cleanly_on_sigint(
    data_dir: Path, start_worker: Callable[..., Worker]
) -> None:
    running = start_worker()

    wait_for(
        lambda: (
            query(
                data_dir,
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE task_path LIKE '%send_due_reminders' AND status = 'SUCCESSFUL'",
            )[0][0]
            > 0
        ),
        timeout=30,
        every=0.1,
    )
    code, out, _ = running.stop(signal.SIGINT)

    assert code == 0
    assert out.count("\n") == 1
    assert out.startswith("FacetCare worker ")
    assert "every 1 s" in out


def test_the_worker_stops_cleanly_on_sigterm(
    data_dir: Path, start_worker: Callable[..., Worker]
) -> None:
    running = start_worker()
    line = running.started()

    code, out, _ = running.stop(signal.SIGTERM)

    assert line.startswith("FacetCare worker ")
    assert code == 0
    assert out == line


def test_a_reminder_goes_exactly_once_across_a_killed_and_restarted_worker(
    data_dir: Path, start_worker: Callable[..., Worker]
) -> None:
    seeded = seed(data_dir, due=5)
    due = seeded["due"]

    # Given a worker killed while the mail server has the second reminder...
    first = start_worker(mail_delay=1.0)
    wait_for(lambda: len(mailed(data_dir)) >= 2, timeout=60)
    first.kill()
    assert reminder_states(data_dir) == {due[0]: "sent", due[1]: "sending"}

    # ...when another worker starts and sweeps...
    second = start_worker()
    wait_for(lambda: list(reminder_states(data_dir).values()).count("sent") == 4, timeout=60)
    code, _, _ = second.stop()

    # ...then every due reminder went exactly once, the one in flight included.
    assert code == 0
    assert Counter(mailed(data_dir)) == Counter(due)
    assert reminder_states(data_dir) == dict.fromkeys(due, "sent") | {due[1]: "sending"}
    assert not set(mailed(data_dir)) & set(seeded["cancelled"] + seeded["late_booking"])


def test_the_worker_refuses_a_backend_without_a_queue() -> None:
    # The suite's tasks run in process (tests/conftest.py): there is no queue to work.
    assert worker.run(sweep_every=1, out=sys.stdout) == 2


@pytest.mark.django_db
def test_the_clock_queues_each_sweep_once_while_it_waits(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    first = worker.queue_periodic_tasks()
    again = worker.queue_periodic_tasks()

    assert first == ["send_due_reminders", "sweep_waitlist_offers", "send_due_questionnaires"]
    assert again == []


@pytest.mark.django_db
def test_the_clock_prunes_successful_sweeps_older_than_a_day(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = timezone.now()
    ages = {"old": timedelta(days=2), "recent": timedelta(hours=2)}
    for age in ages.values():
        for status in ("SUCCESSFUL", "FAILED"):
            result = send_due_reminders.enqueue()
            DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=now - age)
    confirmation = send_booking_confirmation.enqueue(1)
    DBTaskResult.objects.filter(pk=confirmation.id).update(
        status="SUCCESSFUL", finished_at=now - ages["old"]
    )

    assert worker.prune_sweep_results(now=now) == 1
    kept = DBTaskResult.objects.values_list("task_path", "status", "finished_at")
    assert (send_due_reminders.module_path, "SUCCESSFUL", now - ages["old"]) not in kept
    assert len(kept) == 4
