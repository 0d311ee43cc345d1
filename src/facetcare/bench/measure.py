"""Timing the availability reads: one practitioner's day, and the first slots network-wide.

Each figure is end to end through the booking selector, database reads
included, as a view or API handler would call it.
"""

import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from facetcare.bench.dataset import Network
from facetcare.booking.selectors import get_availability


@dataclass(frozen=True)
class Timing:
    """Durations in milliseconds of repeated runs of one operation."""

    label: str
    samples_ms: list[float]
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    def percentile(self, pct: float) -> float:
        ordered = sorted(self.samples_ms)
        index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]

    @property
    def p95(self) -> float:
        return self.percentile(95)

    @property
    def p99(self) -> float:
        return self.percentile(99)


def time_calls(label: str, calls: list[Callable[[], object]], *, warmup: int = 3) -> Timing:
    for call in calls[:warmup]:
        call()
    samples = []
    for call in calls:
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return Timing(label, samples)


def practitioner_day(network: Network, *, now: datetime, runs: int) -> Timing:
    """Target a: one practitioner's slots for one local day, random practitioner and day."""
    rng = random.Random(1)  # noqa: S311 (sampling, not secrets)
    today = now.date()

    def call(practitioner_index: int, offset: int) -> Callable[[], object]:
        practitioner, clinic, _ = network.practitioners[practitioner_index]
        return lambda: get_availability(
            service=network.service,
            clinic=clinic,
            practitioner=practitioner,
            first_day=today + timedelta(days=offset),
            days=1,
            limit=1000,
            now=now,
        )

    calls = [
        call(rng.randrange(len(network.practitioners)), rng.randrange(1, 14)) for _ in range(runs)
    ]
    return time_calls("one practitioner, one day", calls)


def first_slots_network(network: Network, *, now: datetime, runs: int) -> Timing:
    """Target c: the first 20 slots across the whole network over 14 days."""

    def call() -> object:
        return get_availability(
            service=network.service, first_day=now.date(), days=14, limit=20, now=now
        )

    found = get_availability(
        service=network.service, first_day=now.date(), days=14, limit=20, now=now
    )
    timing = time_calls("first 20 slots, whole network, 14 days", [call] * runs)
    return Timing(timing.label, timing.samples_ms, extra={"slots_found": len(found)})


def profile_text(call: Callable[[], object], *, repeat: int, lines: int = 36) -> str:
    """The first ``lines`` lines of pyinstrument's call tree for ``repeat`` calls, or
    why there is none."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "pyinstrument is not installed (it is a development dependency)."
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        call()
    profiler.stop()
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    # Keep the call tree only: the banner carries the recording time and a local path.
    found = text.splitlines()
    tree = next((n for n, line in enumerate(found) if line[:1].isdigit()), 0)
    return "\n".join(found[tree : tree + lines])


MEMORY_PROBE = """
import json, os, resource, sys, tracemalloc
from datetime import datetime, UTC
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facetcare.config.settings")
import django
django.setup()
from facetcare.booking.selectors import get_availability
from facetcare.clinics.models import Service
service = Service.objects.get(slug=sys.argv[1])
now = datetime.fromisoformat(sys.argv[2])
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
get_availability(service=service, first_day=now.date(), days=14, limit=20, now=now)
get_availability(service=service, first_day=now.date(), days=1, limit=100000, now=now)
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"tracemalloc_peak": peak, "rss_before_kb": baseline, "rss_after_kb": rss}))
"""


def availability_memory(network: Network, *, now: datetime) -> dict[str, float]:
    """Target e: peak Python allocation of the network-wide queries in a fresh process."""
    out = subprocess.run(  # noqa: S603 (our own interpreter and probe)
        [sys.executable, "-c", MEMORY_PROBE, network.service.slug, now.isoformat()],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    return {
        "tracemalloc_peak_mb": found["tracemalloc_peak"] / 2**20,
        "rss_before_mb": found["rss_before_kb"] / 1024,
        "rss_after_mb": found["rss_after_kb"] / 1024,
    }


def today_of(now: datetime) -> date:
    return now.date()
