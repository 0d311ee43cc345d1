"""What ``facetcare demo`` prints, and that it leaves nothing queued for the task worker.

The demo's patients are fiction: their booking confirmations must not wait in the
task queue for the worker to print later, and the terminal shows the summary
(logins, token, walkthrough) and nothing else, however often the demo is run.
"""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from facetcare.booking.models import Appointment
from facetcare.demo import loader

QUEUED_IN_THE_DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FIRST_LINE = re.compile(r"FacetCare demo loaded in \d+\.\d s: \d+ clinics, ")


@pytest.mark.django_db
def test_the_demo_queues_no_task_and_prints_exactly_its_summary(
    settings: Settings, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = QUEUED_IN_THE_DATABASE
    summaries: list[str] = []

    def keep(loaded: loader.Loaded, elapsed: float) -> str:
        summaries.append(loader_render(loaded, elapsed))
        return summaries[-1]

    loader_render = loader.render_summary
    monkeypatch.setattr(loader, "render_summary", keep)

    assert loader.main([]) == 0

    out, err = capfd.readouterr()
    assert out == summaries[0] + "\n"
    assert err == ""
    # The demo booked through the services (its clinical cases do), yet queued nothing
    # for its fictional patients but the one waitlist offer it shows off.
    assert Appointment.objects.filter(patient__email__contains="case-").exists()
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "facetcare.waitlist.tasks.offer_freed_slot"
    ]


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, check=False, env=env, capture_output=True, text=True, timeout=180
    )


def test_running_the_demo_twice_on_a_fresh_data_directory_prints_only_the_summary(
    tmp_path: Path,
) -> None:
    database = tmp_path / "facetcare.sqlite3"
    env = {
        **os.environ,
        "FACETCARE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{database}",  # the embedded tier, whatever the suite uses
        "FACETCARE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "FACETCARE_DEBUG": "true",  # as `make run` has it: Django logs tasks to the console
    }
    facetcare = [sys.executable, "-m", "facetcare.cli"]
    assert _run([*facetcare, "migrate", "-v0"], env).returncode == 0

    for _ in range(2):
        demo = _run([*facetcare, "demo"], env)

        assert demo.returncode == 0, demo.stderr
        assert demo.stderr == ""
        lines = demo.stdout.splitlines()
        assert FIRST_LINE.match(lines[0]), lines[0]
        assert "Demo logins (demo-only passwords):" in lines
        assert not [line for line in lines if line.startswith(("Task ", "Subject:", "To:"))]
    with sqlite3.connect(database) as db:
        queued = db.execute("SELECT task_path FROM django_tasks_database_dbtaskresult").fetchall()
    # Only the showcase's waitlist offer, once: the second run finds it set up already.
    assert queued == [("facetcare.waitlist.tasks.offer_freed_slot",)]
