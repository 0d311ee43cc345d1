"""Bookings through the HTTP API under gunicorn: throughput, and a contended race.

gunicorn serves the real WSGI application on a free port on 127.0.0.1; the
load generator runs in a separate process so client and server do not share an
interpreter lock.
"""

import itertools
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User

from facetcare.bench.dataset import Network
from facetcare.booking.models import Appointment
from facetcare.booking.selectors import get_availability
from facetcare.web.models import ApiToken
from facetcare.web.roles import Role


@dataclass(frozen=True)
class HttpResult:
    label: str
    clients: int
    wall_s: float
    statuses: dict[int, int]
    latencies_ms: list[float]
    acknowledged: list[int]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def staff_token() -> str:
    user, _ = User.objects.get_or_create(username="bench-reception")
    group, _ = Group.objects.get_or_create(name=Role.RECEPTIONIST.value)
    user.groups.add(group)
    return ApiToken.issue(user=user, name="bench")[1]


def start_gunicorn(workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        "FACETCARE_DEBUG": "0",
        "FACETCARE_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "FACETCARE_DB_CONN_MAX_AGE": "600",
    }
    server = subprocess.Popen(  # noqa: S603 (our own interpreter)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "facetcare.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start listening within 60 s")


def _body(network: Network, slot: Any, n: int) -> dict[str, Any]:
    return {
        "service": network.service.pk,
        "clinic": slot.clinic_id,
        "practitioner": slot.practitioner_id,
        "start": slot.start.isoformat(),
        "channel": "phone",
        "patient": {
            "first_name": "Load",
            "last_name": f"Tester{n}",
            "date_of_birth": "1980-05-17",
            "email": f"load{n}@bench.example.com",
            "phone": "+442079460123",
        },
    }


def drive(
    port: int, token: str, bodies: list[dict[str, Any]], *, clients: int, label: str
) -> HttpResult:
    plan = {
        "host": "127.0.0.1",
        "port": port,
        "token": token,
        "bodies": bodies,
        "clients": clients,
        "time_limit_s": 120,
    }
    done = subprocess.run(
        [sys.executable, "-m", "facetcare.bench.loadgen"],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    found = json.loads(done.stdout)
    statuses: dict[int, int] = {}
    for status, _, _ in found["results"]:
        statuses[status] = statuses.get(status, 0) + 1
    return HttpResult(
        label=label,
        clients=clients,
        wall_s=found["wall_s"],
        statuses=statuses,
        latencies_ms=[ms for _, ms, _ in found["results"]],
        acknowledged=[booking for status, _, booking in found["results"] if status == 201],
    )


def run_http(network: Network, *, now: datetime, requests: int, workers: int) -> dict[str, Any]:
    """Throughput with 32 clients, then 200 clients racing for 20 slots."""
    token = staff_token()
    free = get_availability(
        service=network.service, first_day=now.date(), days=14, limit=requests + 20, now=now
    )
    race_slots, throughput_slots = free[:20], free[20:]
    server, port = start_gunicorn(workers)
    try:
        bodies = [_body(network, slot, n) for n, slot in enumerate(throughput_slots)]
        drive(port, token, bodies[:64], clients=32, label="warm-up")
        throughput = drive(port, token, bodies[64:], clients=32, label="32 clients")
        race = [_body(network, race_slots[n % len(race_slots)], 100_000 + n) for n in range(200)]
        contended = drive(port, token, race, clients=200, label="200 clients, 20 slots")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "throughput": throughput,
        "contended": contended,
        "workers": workers,
        "double_bookings": double_bookings(network),
        "missing_acknowledged": missing(throughput.acknowledged + contended.acknowledged),
        "race_slots": len(race_slots),
    }


def double_bookings(network: Network) -> int:
    """Pairs of live appointments whose occupied spans overlap on one practitioner."""
    live = Appointment.objects.filter(service=network.service).exclude(status="cancelled")
    spans = sorted(live.values_list("practitioner_id", "occupied_start", "occupied_end"))
    return sum(
        1
        for first, second in itertools.pairwise(spans)
        if first[0] == second[0] and second[1] < first[2]
    )


def missing(acknowledged: list[int]) -> int:
    return len(
        set(acknowledged)
        - set(Appointment.objects.filter(pk__in=acknowledged).values_list("pk", flat=True))
    )


def workers_for_machine() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def bench_dir() -> Path:
    return Path(getattr(settings, "FACETCARE_BENCH_DIR", Path.cwd() / ".bench"))
