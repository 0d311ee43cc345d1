"""``facetcare serve`` as a new user runs it: gunicorn and the task worker on SQLite.

The server runs as a subprocess on a data directory of its own (a migrated SQLite
file holding one clinic: four practitioners, four rooms, one 30-minute service),
and is stopped the way a person stops it: Ctrl-C (SIGINT), or SIGTERM from a
process manager.
"""

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from facetcare.serve import TASK_WORKER_ARGS, WORKER_MIN_LIFETIME_S

ROOT = Path(__file__).resolve().parents[1]
LONDON = ZoneInfo("Europe/London")
CLIENTS = 200
CONTESTED_SLOTS = 4  # each asked for by 25 clients at once
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 5

# One clinic open 08:00-20:00 every day, four rooms, and four physiotherapists
# working those hours, all offering a 30-minute assessment on a 30-minute grid.
WORLD_SCRIPT = """
import json
import django

django.setup()
from tests.factories import make_clinic, make_practitioner, make_room, make_service

clinic = make_clinic()
for _ in range(4):
    make_room(clinic)
service = make_service(duration_minutes=30, slot_step_minutes=30)
practitioners = [make_practitioner(clinic, service).pk for _ in range(4)]
print(json.dumps({"clinic": clinic.pk, "service": service.pk, "practitioners": practitioners}))
"""


@dataclass(frozen=True)
class World:
    env: dict[str, str]
    database: Path
    clinic: int
    service: int
    practitioners: list[int]


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    data = tmp_path_factory.mktemp("served")
    database = data / "facetcare.sqlite3"
    env = {
        **os.environ,
        "FACETCARE_DATA_DIR": str(data),
        # SQLite whatever the suite runs on: this is the embedded tier.
        "DATABASE_URL": f"sqlite:///{database}",
        "FACETCARE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # 200 bookings from one address: a load test, not an abuser.
        "FACETCARE_RATE_LIMITS": "false",
        "FACETCARE_PUBLIC_WRITE_RATE": "100000/m",
        # The world script imports the test factories.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("FACETCARE_SITE_URL", None)
    facetcare = [sys.executable, "-m", "facetcare.cli"]
    subprocess.run([*facetcare, "migrate", "-v0"], env=env, check=True, timeout=120)
    made = subprocess.run(
        [sys.executable, "-c", WORLD_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    ids = json.loads(made.stdout.strip().splitlines()[-1])
    return World(env, database, ids["clinic"], ids["service"], ids["practitioners"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(world: World, tmp_path: Path) -> Iterator[Served]:
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        # A file, not a pipe: the worker prints every confirmation email, and a
        # pipe nobody reads would fill and stall it.
        process = subprocess.Popen(
            [sys.executable, "-m", "facetcare.cli", "serve", f"127.0.0.1:{port}"],
            env=world.env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Served(process, port, log)
    try:
        _wait_until_listening(server)
        yield server
    finally:
        worker = _task_worker_pid(process.pid)
        if process.poll() is None:
            process.kill()
            process.wait()
        if worker is not None and _alive(worker):
            os.kill(worker, signal.SIGKILL)


def _wait_until_listening(server: Served) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.output()
        if "FacetCare is serving" in server.output():
            with socket.create_connection(("127.0.0.1", server.port), timeout=5):
                return
        time.sleep(0.1)
    pytest.fail(f"facetcare serve did not start within {START_TIMEOUT_S} s:\n{server.output()}")


def _task_worker_pid(parent: int) -> int | None:
    """The child of ``parent`` running the task worker (found through /proc)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().decode().split("\0")[:-1]
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and tuple(argv[-len(TASK_WORKER_ARGS) :]) == TASK_WORKER_ARGS:
            return int(entry.name)
    return None


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for_task_worker(server: Served) -> int:
    deadline = time.monotonic() + 10
    while (pid := _task_worker_pid(server.process.pid)) is None:
        assert time.monotonic() < deadline, f"no task worker beside the server:\n{server.output()}"
        time.sleep(0.1)
    return pid


def _stops_cleanly(server: Served, how: signal.Signals, worker: int) -> None:
    began = time.monotonic()
    server.process.send_signal(how)
    code = server.process.wait(timeout=STOP_TIMEOUT_S + 5)
    took = time.monotonic() - began
    output = server.output()
    assert code == 0, output
    assert took < STOP_TIMEOUT_S, f"stopping took {took:.1f} s"
    assert "Traceback" not in output, output
    assert not _alive(worker), "the task worker outlived the server"


def _slot(day: date, minutes_after_eight: int) -> str:
    start = datetime.combine(day, datetime.min.time(), LONDON) + timedelta(
        hours=8, minutes=minutes_after_eight
    )
    return start.isoformat()


def _requests(world: World) -> list[tuple[int, str]]:
    """(practitioner, start) for every client: a few slots wanted by 25 clients each,
    then one client each for 100 different slots, over the next days' grid."""
    today = datetime.now(UTC).astimezone(LONDON).date()
    contested = [
        (practitioner, _slot(today + timedelta(days=4), 120))
        for practitioner in world.practitioners
    ]
    wanted = [slot for slot in contested for _ in range(25)]
    different = [
        (world.practitioners[n % 4], _slot(today + timedelta(days=2 + n // 96), 30 * (n // 4 % 24)))
        for n in range(CLIENTS - len(wanted))
    ]
    return wanted + different


def _book(port: int, body: dict[str, object], barrier: threading.Barrier) -> int | str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        barrier.wait()
        connection.request(
            "POST", "/api/v1/bookings", json.dumps(body), {"Content-Type": "application/json"}
        )
        answer = connection.getresponse()
        answer.read()
        return answer.status
    except (OSError, http.client.HTTPException) as error:
        return repr(error)
    finally:
        connection.close()


def _race(world: World, port: int) -> tuple[Counter[int | str], float]:
    """Every client connects and posts at the same moment; the answers, and the time."""
    barrier = threading.Barrier(CLIENTS + 1, timeout=60)
    answers: list[int | str] = [0] * CLIENTS

    def client(n: int, practitioner: int, start: str) -> None:
        body = {
            "service": world.service,
            "clinic": world.clinic,
            "practitioner": practitioner,
            "start": start,
            "patient": {
                "first_name": "Sam",
                "last_name": f"Served{n}",
                "date_of_birth": (date(1950, 1, 1) + timedelta(days=97 * n)).isoformat(),
                "email": f"served{n}@example.com",
                "phone": f"+442079460{n:03d}",  # Ofcom's drama numbers
            },
        }
        answers[n] = _book(port, body, barrier)

    threads = [
        threading.Thread(target=client, args=(n, practitioner, start))
        for n, (practitioner, start) in enumerate(_requests(world))
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join(timeout=90)
    return Counter(answers), time.monotonic() - began


def _double_bookings(database: Path) -> int:
    """Pairs of live appointments overlapping on one practitioner or one room."""
    with sqlite3.connect(database) as db:
        return int(
            db.execute(
                """
                SELECT count(*) FROM booking_appointment a JOIN booking_appointment b
                  ON a.id < b.id
                 AND (a.practitioner_id = b.practitioner_id OR a.room_id = b.room_id)
                 AND a.occupied_start < b.occupied_end AND b.occupied_start < a.occupied_end
                WHERE a.status != 'cancelled' AND b.status != 'cancelled'
                """
            ).fetchone()[0]
        )


def _live_bookings(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(
            db.execute(
                "SELECT count(*) FROM booking_appointment WHERE status != 'cancelled'"
            ).fetchone()[0]
        )


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer


def test_static_files_come_through_gunicorn_with_cache_headers(served: Served) -> None:
    stylesheet = _get(served.port, "/static/web/site.css")

    assert stylesheet.status == 200
    assert stylesheet.getheader("Server") == "gunicorn"
    assert stylesheet.getheader("Content-Type", "").startswith("text/css")
    assert "public" in stylesheet.getheader("Cache-Control", "")
    etag = stylesheet.getheader("ETag")
    assert etag
    assert _get(served.port, "/static/web/site.css", {"If-None-Match": etag}).status == 304


def test_two_hundred_clients_booking_at_once_each_get_an_answer_and_no_slot_is_sold_twice(
    world: World, served: Served
) -> None:
    worker = _wait_for_task_worker(served)
    before = _live_bookings(world.database)

    answers, took = _race(world, served.port)

    print(f"{CLIENTS} clients: {dict(answers)} in {took:.2f} s")
    errors = {answer: n for answer, n in answers.items() if answer not in (201, 409)}
    assert not errors, f"answers other than 201 or 409: {errors}"
    # Each contested slot sold once; every other client asked for a slot of its own.
    booked = CONTESTED_SLOTS + (CLIENTS - 25 * CONTESTED_SLOTS)
    assert answers == Counter({201: booked, 409: CLIENTS - booked})
    assert _live_bookings(world.database) - before == booked
    assert _double_bookings(world.database) == 0

    _stops_cleanly(served, signal.SIGINT, worker)


def test_a_task_worker_that_dies_is_replaced_and_sigterm_stops_both(served: Served) -> None:
    first = _wait_for_task_worker(served)
    time.sleep(WORKER_MIN_LIFETIME_S)  # past start-up: a death now is not a failure to start

    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while (second := _task_worker_pid(served.process.pid)) in (None, first):
        assert time.monotonic() < deadline, f"no new task worker:\n{served.output()}"
        time.sleep(0.1)

    assert "The task worker exited (code -9); starting another" in served.output()
    assert _get(served.port, "/static/web/site.css").status == 200
    _stops_cleanly(served, signal.SIGTERM, second)
