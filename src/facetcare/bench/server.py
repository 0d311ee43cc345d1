"""gunicorn for the HTTP benchmarks, and one measured run of the load generator against it.

gunicorn serves the real WSGI application on a free port on 127.0.0.1 with the
production settings that matter for speed (debug off, persistent database
connections, email queued for a task worker instead of sent on the request),
plus the benchmark's reference views (``FACETCARE_BENCH_VIEWS``); the load
generator runs in a separate process so client and server do not share an
interpreter lock. CPU seconds are read from /proc for the server's workers and
PostgreSQL's processes, and reported by the client, so the report can say who
used the cores.
"""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facetcare.bench import database

CONN_MAX_AGE_S = 600
# Additions in the loop that shows how fast the machine is at a given minute.
REFERENCE_LOOP = 2_000_000
# Public pages and the API are rate-limited per client address and per token, and
# every benchmark client is 127.0.0.1 with one token: the limiters stay on (their
# counting is part of a request's cost) with limits no run reaches.
UNREACHED_RATE = "100000000/m"
# As behind the TLS-terminating proxy a production server sits behind: with debug
# off, a request that does not say it came over HTTPS is redirected to it.
PROXY_SSL_HEADER = "X-Forwarded-Proto"
FORWARDED = {PROXY_SSL_HEADER: "https"}


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
    """One run of the load generator: what came back and what it cost.

    ``ok_status`` is the answer that counts as done (201 for a booking, 200 for
    a page); ``rate`` is those per second of wall time.
    """

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
    ok_status: int = 201
    body_bytes: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Answers with ``ok_status`` per second of wall time."""
        return self.statuses.get(self.ok_status, 0) / self.wall_s if self.wall_s else 0.0

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


def server_environment() -> dict[str, str]:
    """The bench process's own settings (debug off, its secret key) plus what a
    production server sets for speed, and the reference views switched on."""
    return {
        **os.environ,
        "FACETCARE_DEBUG": "0",
        "FACETCARE_DB_CONN_MAX_AGE": str(CONN_MAX_AGE_S),
        "FACETCARE_TASKS_BACKEND": database.QUEUED_TASKS_BACKEND,
        "FACETCARE_BENCH_VIEWS": "1",
        "FACETCARE_PUBLIC_RATE": UNREACHED_RATE,
        "FACETCARE_PUBLIC_WRITE_RATE": UNREACHED_RATE,
        "FACETCARE_API_TOKEN_RATE": UNREACHED_RATE,
        "FACETCARE_PROXY_SSL_HEADER": PROXY_SSL_HEADER,
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


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=30)


def drive(
    server: subprocess.Popen[bytes],
    port: int,
    requests: list[dict[str, Any]],
    *,
    clients: int,
    label: str,
    ok_status: int = 201,
) -> HttpResult:
    """Send ``requests`` (the load generator's request plans) from ``clients`` clients,
    each marked as the proxy marks a request that came over HTTPS."""
    plan = {
        "host": "127.0.0.1",
        "port": port,
        "requests": [{**r, "headers": {**FORWARDED, **r.get("headers", {})}} for r in requests],
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
    for status, *_ in found["results"]:
        statuses[status] = statuses.get(status, 0) + 1
    return HttpResult(
        label=label,
        clients=clients,
        wall_s=found["wall_s"],
        statuses=statuses,
        latencies_ms=[ms for _, ms, _, _ in found["results"]],
        acknowledged=[made for status, _, _, made in found["results"] if status == 201],
        client_cpu_s=found["client_cpu_s"],
        server_cpu_s=server_cpu,
        database_cpu_s=database_cpu,
        ok_status=ok_status,
        body_bytes=[size for _, _, size, _ in found["results"]],
    )


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


def load_average() -> str:
    loadavg = Path("/proc/loadavg")
    return " ".join(loadavg.read_text().split()[:3]) if loadavg.exists() else "n/a"
