"""Bookings through the HTTP API under gunicorn: throughput, and a contended race.

gunicorn serves the real WSGI application on a free port on 127.0.0.1 with the
production settings that matter for speed (debug off, persistent database
connections, email queued for a task worker instead of sent on the request);
the load generator runs in a separate process so client and server do not share
an interpreter lock. CPU seconds are read from /proc for the server's workers
and reported by the client, so the report can say who used the cores.
"""

import dataclasses
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, User

from facetcare.bench import database
from facetcare.bench.dataset import Network
from facetcare.bench.measure import profile_text
from facetcare.booking.models import Appointment
from facetcare.booking.selectors import get_availability
from facetcare.web.roles import Role
from facetcare.web.services import issue_api_token

CONN_MAX_AGE_S = 600
# Additions in the loop that shows how fast the machine is at a given minute.
REFERENCE_LOOP = 2_000_000
# How long after the bench's start the booked slots begin at the earliest: the runs
# take minutes, and a slot that has started by the time the race (the last run) is
# sent cannot be booked.
LEAD_TIME = timedelta(hours=1)


@dataclass(frozen=True)
class ServerShape:
    """How gunicorn is run: worker count and class, threads per worker."""

    workers: int
    worker_class: str = "sync"
    threads: int = 1

    def describe(self) -> str:
        if self.worker_class == "gthread":
            return f"{self.workers} gthread workers x {self.threads} threads"
        return f"{self.workers} {self.worker_class} workers"


@dataclass(frozen=True)
class HttpResult:
    label: str
    clients: int
    wall_s: float
    statuses: dict[int, int]
    latencies_ms: list[float]
    acknowledged: list[int]
    client_cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    database_cpu_s: float | None = None
    reference_ms: float | None = None

    @property
    def rate(self) -> float:
        """Bookings (201s) per second of wall time."""
        return self.statuses.get(201, 0) / self.wall_s if self.wall_s else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms) or [0.0]
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]

    def per_request_ms(self, seconds: float) -> float:
        """``seconds`` (of CPU, say) spread over this run's requests, in ms each."""
        return seconds * 1000 / max(1, len(self.latencies_ms))

    @property
    def cpu_s(self) -> float | None:
        """CPU seconds of server, database and load generator together; None when the
        database's could not be read."""
        if self.database_cpu_s is None:
            return None
        return self.server_cpu_s + self.database_cpu_s + self.client_cpu_s


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def staff_token() -> str:
    user, _ = User.objects.get_or_create(username="bench-reception")
    group, _ = Group.objects.get_or_create(name=Role.RECEPTIONIST.value)
    user.groups.add(group)
    return issue_api_token(user=user, name="bench")[1]


def server_environment() -> dict[str, str]:
    """The bench process's own settings (debug off, its secret key) plus what a
    production server sets for speed."""
    return {
        **os.environ,
        "FACETCARE_DEBUG": "0",
        "FACETCARE_DB_CONN_MAX_AGE": str(CONN_MAX_AGE_S),
        "FACETCARE_TASKS_BACKEND": database.QUEUED_TASKS_BACKEND,
    }


def start_gunicorn(shape: ServerShape) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own interpreter)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "facetcare.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(shape.workers),
            "--worker-class",
            shape.worker_class,
            "--threads",
            str(shape.threads),
            "--backlog",
            "512",
            "--log-level",
            "warning",
        ],
        env=server_environment(),
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
            # Spread like real birth dates, so the patient lookup is as selective.
            "date_of_birth": (date(1940, 1, 1) + timedelta(days=n * 37 % 25_000)).isoformat(),
            "email": f"load{n}@bench.example.com",
            # Ofcom's numbers for drama in London and Manchester: 2,000 different ones.
            "phone": f"+44{('2079460', '1614960')[n % 2]}{n // 2 % 1000:03d}",
        },
    }


def drive(
    server: subprocess.Popen[bytes],
    port: int,
    token: str,
    bodies: list[dict[str, Any]],
    *,
    clients: int,
    label: str,
) -> HttpResult:
    plan = {
        "host": "127.0.0.1",
        "port": port,
        "token": token,
        "bodies": bodies,
        "clients": clients,
        "time_limit_s": 120,
    }
    cpu_before = server_cpu_seconds(server.pid)
    database_before = database_cpu_seconds()
    done = subprocess.run(
        [sys.executable, "-m", "facetcare.bench.loadgen"],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    server_cpu = server_cpu_seconds(server.pid) - cpu_before
    database_after = database_cpu_seconds()
    database_cpu = (
        None
        if database_before is None or database_after is None
        else database_after - database_before
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
        client_cpu_s=found["client_cpu_s"],
        server_cpu_s=server_cpu,
        database_cpu_s=database_cpu,
    )


def run_http(
    network: Network, *, now: datetime, requests: int, shape: ServerShape, rounds: int = 3
) -> dict[str, Any]:
    """Throughput with 32 clients in ``rounds`` rounds of ``requests`` bookings each, then
    200 clients racing for 20 slots.

    The machine is shared, and its speed changes from minute to minute, so one
    round says little: the report gives every round and judges the median one.
    """
    token = staff_token()
    free = get_availability(
        service=network.service,
        first_day=now.date(),
        days=14,
        limit=3 * requests * rounds + 200,
        now=now + LEAD_TIME,
    )
    # No slot overlaps another of its practitioner's, race slots included, so each
    # could be sold once and none is taken by another run first.
    kept = apart(free)
    race_slots, throughput_slots = kept[:20], kept[20 : 20 + 64 + rounds * requests]
    server, port = start_gunicorn(shape)
    salt = int(time.time())  # new patients on every run, as on a real day
    try:
        bodies = [_body(network, s, salt * 100_000 + n) for n, s in enumerate(throughput_slots)]
        drive(server, port, token, bodies[:64], clients=32, label="warm-up")
        measured = []
        for n in range(rounds):
            reference = reference_loop_ms()
            result = drive(
                server,
                port,
                token,
                bodies[64 + n * requests : 64 + (n + 1) * requests],
                clients=32,
                label=f"32 clients, round {n + 1}",
            )
            measured.append(dataclasses.replace(result, reference_ms=reference))
        race = [
            _body(network, race_slots[n % len(race_slots)], salt * 100_000 + 90_000 + n)
            for n in range(200)
        ]
        contended = drive(server, port, token, race, clients=200, label="200 clients, 20 slots")
    finally:
        server.terminate()
        server.wait(timeout=30)
    acknowledged = [b for result in (*measured, contended) for b in result.acknowledged]
    return {
        "rounds": measured,
        "throughput": median_round(measured),
        "contended": contended,
        "server": shape.describe(),
        "conn_max_age": CONN_MAX_AGE_S,
        "load_average": _load_average(),
        "double_bookings": double_bookings(network),
        "missing_acknowledged": missing(acknowledged),
        "race_slots": len(race_slots),
    }


def reference_loop_ms() -> float:
    """The median of three timings, in ms, of a fixed pure-Python loop in this process.

    The same code on this shared machine runs several times as fast in one
    minute as in another; timed just before a round, the loop says which kind
    of minute the round had.
    """
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        total = 0
        for n in range(REFERENCE_LOOP):
            total += n
        timings.append((time.perf_counter() - began) * 1000)
    return sorted(timings)[1]


def median_round(rounds: list[HttpResult]) -> HttpResult:
    """The round with the median throughput (the lower middle one of an even count)."""
    ordered = sorted(rounds, key=lambda result: result.rate)
    return ordered[(len(ordered) - 1) // 2]


def apart(slots: list[Any]) -> list[Any]:
    """Slots that do not overlap another kept slot of the same practitioner.

    Starts lie on a 15-minute grid and bookings last 30 minutes, so neighbouring
    free slots overlap; booking both would make the second a 409 by design,
    which measures refusals, not bookings.
    """
    kept: list[Any] = []
    taken: dict[int, list[Any]] = {}
    for slot in slots:
        mine = taken.setdefault(slot.practitioner_id, [])
        if all(slot.end <= other.start or other.end <= slot.start for other in mine):
            mine.append(slot)
            kept.append(slot)
    return kept


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


def shape_for_machine() -> ServerShape:
    """One gthread worker per core with 4 threads each.

    A booking waits on database round trips for part of its time, so a few
    threads keep a core busy while others wait; gthread workers also keep
    connections alive, which sync workers do not, so neither side pays a TCP
    connection per request. Threads of one worker share its interpreter lock, so
    past a few they only queue for it: on 2 cores, alternating runs gave 16
    threads a worker the lowest throughput, the worst p99 and about a fifth more
    database CPU a booking; 2 and 4 were alike. One more worker (3 x 3) won every
    alternating pair of rounds in one run and its median round by 4 % in another,
    then lost four of five pairs in the two runs after; its slowest requests came
    in bursts, as when a worker holding a lock waits for a core. One worker per
    core stays.
    """
    return ServerShape(workers=os.cpu_count() or 1, worker_class="gthread", threads=4)


def profile_booking_requests(network: Network, *, now: datetime, count: int) -> str:
    """pyinstrument's call tree of ``count`` bookings through the whole Django stack
    in this process (test client, the same settings as the server), for the report."""
    from django.test import Client

    token = staff_token()
    free = apart(
        get_availability(
            service=network.service,
            first_day=now.date() + timedelta(days=7),
            days=7,
            limit=3 * count,
            now=now,
        )
    )
    salt = int(time.time())
    bodies = iter(
        [json.dumps(_body(network, s, salt * 10_000 + 9_000 + n)) for n, s in enumerate(free)]
    )
    client = Client(headers={"Authorization": f"Bearer {token}"})

    def book() -> object:
        return client.post("/api/v1/bookings", next(bodies), content_type="application/json")

    return profile_text(book, repeat=min(count, len(free)))


def server_cpu_seconds(master_pid: int) -> float:
    """User and system CPU seconds of the gunicorn master and its live workers (Linux)."""
    pids = [master_pid]
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    return sum(_cpu_seconds(pid) or 0.0 for pid in pids)


def database_cpu_seconds() -> float | None:
    """User and system CPU seconds of every PostgreSQL process on this machine (Linux),
    or None when there is none to read (the database is elsewhere, or not PostgreSQL)."""
    proc = Path("/proc")
    pids = [int(p.name) for p in proc.iterdir() if p.name.isdigit()] if proc.is_dir() else []
    seconds = [_cpu_seconds(pid, named="postgres") for pid in pids]
    found = [value for value in seconds if value is not None]
    return sum(found) if found else None


def _cpu_seconds(pid: int, *, named: str = "") -> float | None:
    """The process's user and system CPU seconds, if it is alive (and its name starts
    with ``named``)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name, _, rest = stat[stat.index("(") + 1 :].rpartition(")")
    if not name.startswith(named):
        return None
    fields = rest.split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _load_average() -> str:
    loadavg = Path("/proc/loadavg")
    return " ".join(loadavg.read_text().split()[:3]) if loadavg.exists() else "n/a"
