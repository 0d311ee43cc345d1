"""The booking pages: server time in this process, and the public pages' throughput under
gunicorn against the reference page.

Server time is a page's whole answer through Django's test client with debug
off (middleware, view, selectors, template), as a server spends it, without the
network or gunicorn. Throughput runs the public pages through gunicorn with 32
clients, in rounds alternating with the reference page (``views.reference_page``,
a constant page behind the same middleware) in the same server, so each page's
ratio to it is measured in the same minutes.
"""

import os
import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facetcare.bench import httpload
from facetcare.bench.dataset import Network
from facetcare.bench.measure import Timing, profile_text, time_calls
from facetcare.bench.server import (
    UNREACHED_RATE,
    HttpResult,
    ServerShape,
    drive,
    load_average,
    reference_loop_ms,
    start_gunicorn,
    stop,
)
from facetcare.booking import directory_cache

REFERENCE_PAGE_PATH = "/bench/reference/page"
# The public pages' targets: server time p95, in ms.
PUBLIC_P95_MS = 40
DIARY_P95_MS = 80
# A throughput round of a page lasts about this long at its in-process speed.
ROUND_SECONDS = 3.0
REFERENCE_REQUESTS = 2000


@dataclass(frozen=True)
class Page:
    """A page to measure: ``paths`` to ask in turn, as a member of the public or as
    a receptionist (``staff``)."""

    key: str
    label: str
    paths: list[str]
    staff: bool = False


def pages(network: Network, *, now: datetime, count: int) -> list[Page]:
    """The clinic list; one clinic's time list for the network's service on a random
    day of the next fortnight; and the diary day view of the 12-practitioner clinic
    on a random day of the next fortnight (when the data set has that clinic)."""
    rng = random.Random(3)  # noqa: S311 (sampling, not secrets)
    today = now.date()
    service = network.service.slug
    times = [
        reverse("public:times", kwargs={"clinic": clinic.slug, "service": service})
        + f"?day={(today + timedelta(days=rng.randrange(14))).isoformat()}"
        for clinic in (rng.choice(network.clinics) for _ in range(count))
    ]
    found = [
        Page("clinics", "clinic list with next free appointment", [reverse("public:clinics")]),
        Page("times", "time list, one clinic, service and day", times),
    ]
    if network.diary_clinic is not None:
        diary = [
            reverse("diary:day")
            + f"?clinic={network.diary_clinic.pk}"
            + f"&day={(today + timedelta(days=rng.randrange(14))).isoformat()}"
            for _ in range(count)
        ]
        found.append(Page("diary", "diary day view, 12 practitioners", diary, staff=True))
    return found


def time_pages(network: Network, *, now: datetime, runs: int) -> dict[str, Timing]:
    """Server time of each page in this process, with its query count and size.

    The clinic list is timed a fifth as often as the others, as served (its answers
    are kept while the process's directory snapshot stands, at most
    ``directory_cache.TTL`` seconds), and a tenth as often with that snapshot
    dropped before each request, as after it expires or a directory edit: its cost
    then includes reading the directory again.
    """
    timings = {}
    with _unlimited():
        for page in pages(network, now=now, count=runs):
            client = _client(page)
            paths = page.paths if page.key != "clinics" else page.paths * max(20, runs // 5)
            queries, size = _queries(client, paths[0])
            calls = [_getter(client, path) for path in paths]
            timings[page.key] = _timing(page, calls, queries=queries, size=size)
            if page.key == "clinics":
                calls = [_dropped_first(client, path) for path in paths[: max(10, runs // 10)]]
                label = Page("clinics_dropped", f"{page.label}, snapshot just dropped", [])
                first = queries.partition(" / ")[0]
                timings[label.key] = _timing(label, calls, queries=first, size=size)
    return timings


def _timing(page: Page, calls: list[Callable[[], object]], *, queries: str, size: int) -> Timing:
    timing = time_calls(page.label, calls)
    extra = {"queries": queries, "bytes": size, "key": page.key}
    return Timing(page.label, timing.samples_ms, extra=extra)


def _dropped_first(client: Client, path: str) -> Callable[[], object]:
    def call() -> object:
        directory_cache.invalidate()
        return _get(client, path)

    return call


def profile_pages(network: Network, *, now: datetime) -> dict[str, str]:
    """pyinstrument's call tree of each page, for the report."""
    profiles = {}
    with _unlimited():
        for page in pages(network, now=now, count=20):
            client = _client(page)
            calls = [_getter(client, path) for path in page.paths * 20]
            repeat = 5 if page.key == "clinics" else 20
            profiles[page.key] = profile_text(_in_turn(calls), repeat=repeat, lines=60)
    return profiles


def run_page_http(
    network: Network,
    *,
    now: datetime,
    shape: ServerShape,
    rounds: int,
    means_ms: dict[str, float],
) -> dict[str, Any]:
    """The public pages and the reference page through gunicorn, 32 clients, in rounds
    (reference, clinic list, time list, ...); each round of a page is sized to take
    about ``ROUND_SECONDS`` at its mean server time in process (``means_ms``)."""
    public = [page for page in pages(network, now=now, count=3000) if not page.staff]
    cores = os.cpu_count() or 1
    sizes = {
        page.key: min(3000, max(64, round(ROUND_SECONDS * cores * 1000 / means_ms[page.key])))
        for page in public
    }
    server, port = start_gunicorn(shape)
    results: dict[str, list[HttpResult]] = {"reference": [], **{p.key: [] for p in public}}
    try:
        drive(
            server,
            port,
            _gets([REFERENCE_PAGE_PATH], 64),
            clients=32,
            label="warm-up",
            ok_status=200,
        )
        for page in public:
            drive(server, port, _gets(page.paths, 32), clients=32, label="warm-up")
        for n in range(rounds):
            reference = reference_loop_ms()
            plans = _gets([REFERENCE_PAGE_PATH], REFERENCE_REQUESTS)
            label = f"reference page, round {n + 1}"
            result = drive(server, port, plans, clients=32, label=label, ok_status=200)
            results["reference"].append(_with_loop(result, reference))
            for page in public:
                reference = reference_loop_ms()
                plans = _gets(page.paths, sizes[page.key], offset=n * sizes[page.key])
                label = f"{page.label}, round {n + 1}"
                result = drive(server, port, plans, clients=32, label=label, ok_status=200)
                results[page.key].append(_with_loop(result, reference))
    finally:
        stop(server)
    ratios = {page.key: _median_ratio(results[page.key], results["reference"]) for page in public}
    labels = {page.key: page.label for page in public}
    return {
        "rounds": results,
        "ratios": ratios,
        "labels": labels,
        "server": shape.describe(),
        "load_average": load_average(),
    }


def _median_ratio(measured: list[HttpResult], references: list[HttpResult]) -> float:
    pairs = [m.rate / r.rate for m, r in zip(measured, references, strict=True) if r.rate]
    return statistics.median(pairs) if pairs else 0.0


def _with_loop(result: HttpResult, reference_ms: float) -> HttpResult:
    return replace(result, reference_ms=reference_ms)


def _gets(paths: list[str], count: int, *, offset: int = 0) -> list[dict[str, Any]]:
    return [{"path": paths[(offset + n) % len(paths)]} for n in range(count)]


def _unlimited() -> Any:
    # The pages are rate-limited per client address; this process is one client.
    return override_settings(
        FACETCARE_PUBLIC_RATE=UNREACHED_RATE, FACETCARE_PUBLIC_WRITE_RATE=UNREACHED_RATE
    )


def _client(page: Page) -> Client:
    client = Client()
    if page.staff:
        client.force_login(httpload.bench_receptionist())
    return client


def _get(client: Client, path: str) -> bytes:
    # secure: as through the TLS-terminating proxy (debug off redirects plain HTTP).
    response = client.get(path, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not 200")
    return bytes(response.content)


def _getter(client: Client, path: str) -> Callable[[], object]:
    return lambda: _get(client, path)


def _in_turn(calls: list[Callable[[], object]]) -> Callable[[], object]:
    """One call that makes the next of ``calls`` each time."""
    queue = iter(calls)

    def call() -> object:
        return next(queue)()

    return call


def _queries(client: Client, path: str) -> tuple[str, int]:
    """The queries of a request of ``path`` just after the directory snapshot is dropped
    and of the one after it (which may find caches filled), as "first / next", and
    the body's size in bytes."""
    counts, body = [], b""
    directory_cache.invalidate()
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            body = _get(client, path)
            counts.append(len(queries.captured_queries))
    return f"{counts[0]} / {counts[1]}", len(body)
