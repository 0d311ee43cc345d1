"""Bookings under load while a gunicorn worker is killed (SIGKILL) and every database
connection is cut: afterwards each acknowledged booking is there, nothing is
half-written, and the service books again.

"Half-written" is checked as: an appointment without its patient, an appointment
outside its occupied range, two live appointments of one practitioner
overlapping, a patient that the load created but no appointment holds (a
booking that failed after inserting its patient), or any row left by a request
that was refused. Requests that got no answer (their worker died, their
connection was cut) are repeated with the same Idempotency-Key once the service
is back: each then has exactly one booking, never two.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from django.utils import timezone

from facetcare.bench.database import database_url
from facetcare.booking.selectors import get_availability
from facetcare.core.scheduling.types import Slot
from facetcare.operations.databases import raw_connection
from tests.factories import make_clinic, make_practitioner, make_room, make_service, make_staff
from tests.operations.conftest import _admin_connection, copy_test_database_into

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REQUESTS = 120
CLIENTS = 8
DOMAIN = "crash.example"


@dataclass
class Outcome:
    body: dict[str, Any]
    key: str
    status: int = 0  # 0: no answer (connection reset, timeout)
    booking: int | None = None


@dataclass
class Load:
    outcomes: list[Outcome]
    answered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_gunicorn(url: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "FACETCARE_DEBUG": "false",
        "FACETCARE_SECRET_KEY": secrets.token_urlsafe(50),
        "FACETCARE_DB_CONN_MAX_AGE": "600",  # kept connections: the cut hits them
        "FACETCARE_SSL_REDIRECT": "false",
        "FACETCARE_RATE_LIMITS": "false",
        "FACETCARE_LOG_LEVEL": "CRITICAL",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "facetcare.config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "gthread",
         "--threads", "4", "--graceful-timeout", "5", "--log-level", "critical"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_until(lambda: _answers(port), within_s=60, what="gunicorn to answer /healthz")
    return server, port


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _wait_until(condition: Callable[[], bool], *, within_s: float, what: str) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Waited {within_s} s for {what}")


def _workers_of(master: int) -> list[int]:
    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                workers.append(int(entry.name))
    return workers


def _apart(slots: list[Slot]) -> list[Slot]:
    """Slots of which no two overlap on one practitioner, so each can be sold."""
    kept, last_end = [], {}
    for slot in sorted(slots, key=lambda s: (s.practitioner_id, s.start)):
        if slot.start >= last_end.get(slot.practitioner_id, slot.start):
            kept.append(slot)
            last_end[slot.practitioner_id] = slot.end
    return sorted(kept, key=lambda s: s.start)


def _book(port: int, token: str, outcome: Outcome) -> None:
    try:
        response = requests.post(
            f"http://127.0.0.1:{port}/api/v1/bookings",
            json=outcome.body,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": outcome.key},
            timeout=20,
        )
    except requests.RequestException:
        outcome.status, outcome.booking = 0, None
        return
    outcome.status = response.status_code
    outcome.booking = response.json()["id"] if response.status_code == 201 else None


def _drive(port: int, token: str, load: Load) -> None:
    queue = iter(load.outcomes)
    taking = threading.Lock()

    def client() -> None:
        while True:
            with taking:
                outcome = next(queue, None)
            if outcome is None:
                return
            _book(port, token, outcome)
            with load.lock:
                load.answered += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def _disrupt(server: subprocess.Popen[bytes], entry: dict[str, Any], load: Load) -> dict[str, Any]:
    """SIGKILL one worker a quarter of the way in; cut every connection halfway."""
    seen: dict[str, Any] = {}
    _wait_until(lambda: load.answered >= REQUESTS // 4, within_s=60, what="a quarter of the load")
    victim = _workers_of(server.pid)[0]
    os.kill(victim, signal.SIGKILL)
    seen["killed"] = victim
    _wait_until(lambda: load.answered >= REQUESTS // 2, within_s=60, what="half of the load")
    with _admin_connection(entry, "postgres") as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [entry["NAME"]],
        ).fetchone()
    seen["connections_cut"] = cut[0] if cut else 0
    return seen


def _request(n: int, slot: Slot, service: int) -> Outcome:
    patient = {
        "first_name": "Crash",
        "last_name": f"Tester{n}",
        "date_of_birth": "1980-05-17",
        "email": f"p{n}@{DOMAIN}",
        "phone": "+447911123456",
    }
    body = {
        "service": service,
        "clinic": slot.clinic_id,
        "practitioner": slot.practitioner_id,
        "start": slot.start.isoformat(),
        "channel": "phone",
        "patient": patient,
    }
    return Outcome(body=body, key=f"crash-{n}-{secrets.token_hex(4)}")


def _scalar(entry: dict[str, Any], sql: str, params: list[Any] | None = None) -> Any:
    with raw_connection(entry) as database:
        row = database.execute(sql, params or []).fetchone()
    return row[0] if row else None


def test_acknowledged_bookings_survive_a_killed_worker_and_cut_connections(
    fresh_database: dict[str, Any],
) -> None:
    clinic = make_clinic()
    service = make_service(duration_minutes=20, slot_step_minutes=20, min_notice_minutes=0)
    for _ in range(3):
        make_room(clinic)
        make_practitioner(clinic, service)
    _, token = make_staff()
    now = timezone.now()
    slots = _apart(
        get_availability(service=service, days=14, limit=2000, now=now + timedelta(hours=1))
    )
    assert len(slots) > REQUESTS + 1
    copy_test_database_into(fresh_database)  # the world above, as the server's database
    load = Load([_request(n, slot, service.pk) for n, slot in enumerate(slots[: REQUESTS + 1])])
    last = load.outcomes.pop()
    server, port = _start_gunicorn(database_url(fresh_database))
    try:
        driver = threading.Thread(target=_drive, args=(port, token, load))
        driver.start()
        seen = _disrupt(server, fresh_database, load)
        driver.join(timeout=120)
        _wait_until(lambda: _answers(port), within_s=30, what="the service to answer again")
        # The service books again: a new booking, then every unanswered request repeated.
        _wait_until(
            lambda: (_book(port, token, last), last.status)[1] == 201,
            within_s=30, what="a new booking to succeed",
        )  # fmt: skip
        unanswered = [o for o in load.outcomes if o.status == 0 or o.status >= 500]
        seen["unanswered"] = len(unanswered)
        for outcome in unanswered:
            _book(port, token, outcome)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert seen["killed"] not in _workers_of(server.pid)
    assert seen["connections_cut"] > 0
    assert seen["unanswered"] > 0, "neither the kill nor the cut hit a request"
    statuses = {o.status for o in load.outcomes}
    assert statuses <= {201}, f"after the repeats some requests still failed: {statuses}"
    acknowledged = [o for o in [*load.outcomes, last] if o.status == 201]
    with raw_connection(fresh_database) as database:
        stored = {
            key: (booking, start, practitioner, last_name)
            for key, booking, start, practitioner, last_name in database.execute(
                "SELECT a.idempotency_key, a.id, a.start, a.practitioner_id, p.last_name "
                "FROM booking_appointment a JOIN patients_patient p ON p.id = a.patient_id "
                "WHERE a.status = 'booked'"
            ).fetchall()
        }
    for outcome in acknowledged:
        booking, start, practitioner, last_name = stored[outcome.key]
        assert booking == outcome.booking
        assert start.isoformat() == outcome.body["start"]
        assert practitioner == outcome.body["practitioner"]
        assert last_name == outcome.body["patient"]["last_name"]
    # Exactly one booking per request: nothing booked twice by a repeat.
    assert _scalar(fresh_database, "SELECT count(*) FROM booking_appointment") == len(acknowledged)
    assert (
        _scalar(
            fresh_database,
            "SELECT count(*) FROM booking_appointment a LEFT JOIN patients_patient p "
            "ON p.id = a.patient_id WHERE p.id IS NULL",
        )
        == 0
    )
    assert (
        _scalar(
            fresh_database,
            'SELECT count(*) FROM booking_appointment WHERE "end" <= start '
            'OR occupied_start > start OR occupied_end < "end"',
        )
        == 0
    )
    assert (
        _scalar(
            fresh_database,
            "SELECT count(*) FROM patients_patient p WHERE p.email LIKE %s AND NOT EXISTS "
            "(SELECT 1 FROM booking_appointment a WHERE a.patient_id = p.id)",
            [f"%@{DOMAIN}"],
        )
        == 0
    )
    assert (
        _scalar(
            fresh_database,
            "SELECT count(*) FROM booking_appointment a JOIN booking_appointment b "
            "ON a.practitioner_id = b.practitioner_id AND a.id < b.id "
            "AND a.status <> 'cancelled' AND b.status <> 'cancelled' "
            "AND a.session_key <> b.session_key "
            "AND tstzrange(a.occupied_start, a.occupied_end) "
            "&& tstzrange(b.occupied_start, b.occupied_end)",
        )
        == 0
    )
