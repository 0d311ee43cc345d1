"""The benchmark pipeline end to end at a tiny scale (no timing assertions: speed
targets live in the benchmark report, never in timed tests)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from facetcare.bench.database import database_url, sibling_database
from facetcare.bench.report import SECTIONS

pytestmark = pytest.mark.postgres


def _smoke_database_url() -> str:
    db = settings.DATABASES["default"]
    return database_url(sibling_database(db, f"{db['NAME']}_bench_smoke"))


def test_a_tiny_bench_run_writes_every_section_of_the_report(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    env = {**os.environ, "DATABASE_URL": _smoke_database_url()}
    command = "import sys; from facetcare.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", command, "bench", "--scale", "0.002", "--runs", "20",
         "--no-peer", "--force", "--output", str(output), "--work-dir", str(tmp_path)],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = output.read_text()
    for heading in SECTIONS:
        assert heading in report, heading
    assert "double bookings found afterwards: **0**" in report
    assert "missing from the database: **0**" in report
    assert "slots sold **20 of 20**" in report
    # Every 32-client round, API or reference, says how fast the machine was just before it.
    rounds = [line for line in report.splitlines() if "bookings, round" in line]
    references = [line for line in report.splitlines() if "reference view, round" in line]
    assert len(rounds) == len(references) == 3
    assert all(line.split("|")[-2].strip().isdigit() for line in rounds + references), rounds
    assert all("| 201: " in line for line in references), references
    assert "| **median** | | | **" in report
    # The booking pages: server time, and each public page against the reference page.
    assert "| diary day view, 12 practitioners |" in report
    assert "reference page, round 3" in report
    assert "time list, one clinic, service and day, round 3" in report
    assert "CPU ceiling: the judged round used" in report


def test_it_refuses_a_database_holding_other_data(tmp_path: Path) -> None:
    url = _smoke_database_url()
    env = {**os.environ, "DATABASE_URL": url}
    command = "import sys; from facetcare.cli import main; sys.exit(main())"
    seed = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='facetcare.config.settings';"
        "import django; django.setup(); from django.core.management import call_command;"
        "call_command('migrate', verbosity=0);"
        "from django.contrib.auth.models import User; User.objects.get_or_create(username='real')"
    )
    subprocess.run([sys.executable, "-c", seed], env=env, check=True, timeout=300)
    done = subprocess.run(
        [sys.executable, "-c", command, "bench", "--scale", "0.002", "--no-peer", "--no-http",
         "--output", str(tmp_path / "b.md")],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "not the benchmark's" in done.stderr
    assert not (tmp_path / "b.md").exists()
