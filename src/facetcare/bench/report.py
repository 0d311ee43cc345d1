"""Renders docs/benchmarks.md from one run's figures."""

import os
import platform
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.db import connection

from facetcare.bench import database, report_care, report_http, report_pages
from facetcare.bench.measure import Timing
from facetcare.bench.pages import DIARY_P95_MS, PUBLIC_P95_MS
from facetcare.bench.peer import OursTimings
from facetcare.bench.report_http import BOOKING_P99_MS, BOOKING_RATIO
from facetcare.bench.server import HttpResult

SECTIONS = (
    "## Summary",
    "## Machine",
    "## Data set",
    "## a. One practitioner, one day",
    "## b. Against django-appointment",
    "## c. First 20 slots across the network",
    report_http.HEADING,
    "## e. Memory",
    report_pages.HEADING,
    *report_care.HEADINGS,
)

# The targets, used by both the verdicts and the summary's wording.
DAY_P95_MS = 3
PEER_RATIO = 50
NETWORK_P95_MS = 50
MEMORY_MB = 200


@dataclass
class Results:
    scale: float
    shape: dict[str, int]
    load_seconds: float
    practitioner_day: Timing | None = None
    network_first: Timing | None = None
    profiles: dict[str, str] = field(default_factory=dict)
    peer: dict[str, Any] | None = None
    ours: OursTimings | None = None
    http: dict[str, Any] | None = None
    memory: dict[str, float] | None = None
    pages: dict[str, Timing] | None = None
    page_http: dict[str, Any] | None = None
    care: report_care.CareResults | None = None
    notes: list[str] = field(default_factory=list)


def machine() -> list[str]:
    cpu = "unknown"
    memory = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        total = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory = f"{int(total) / 2**20:.1f} GiB"
    with connection.cursor() as cursor:
        version = connection.vendor
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores (shared with other work while measured)",
        f"- RAM: {memory}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, {version}",
        f"- Database reached over {database.connection_description()}",
        f"- OS: {platform.system()} {platform.release()}",
    ]


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("PASS" if ok else "FAIL")


def _timing_table(*timings: Timing | None) -> list[str]:
    lines = ["| what | runs | median ms | p95 ms | p99 ms |", "| --- | --- | --- | --- | --- |"]
    for t in timings:
        if t is not None:
            lines.append(
                f"| {t.label} | {len(t.samples_ms)} | {t.median:.2f} | {t.p95:.2f} | {t.p99:.2f} |"
            )
    return lines


def _peer_ratios(results: Results) -> dict[str, float] | None:
    """The peer's median over each of FacetCare's, keyed by FacetCare's label."""
    if results.peer is None or results.ours is None:
        return None
    peer = statistics.median(results.peer["totals_ms"])
    ours = (results.ours.clinic_wide, results.ours.per_staff, results.ours.per_staff_day)
    return {t.label: peer / t.median for t in ours}


def verdicts(results: Results) -> dict[str, bool | None]:
    ratios = _peer_ratios(results)
    natural = (
        None if ratios is None or results.ours is None else ratios[results.ours.clinic_wide.label]
    )
    http_ok = None
    if results.http is not None:
        judged: HttpResult = results.http["throughput"]
        http_ok = (
            results.http["ratio"] >= BOOKING_RATIO
            and judged.percentile(0.99) <= BOOKING_P99_MS
            and race_held(results.http)
        )
    day = results.practitioner_day
    return {
        "a": None if day is None else day.p95 <= DAY_P95_MS,
        "b": None if natural is None else natural >= PEER_RATIO,
        "c": None if results.network_first is None else results.network_first.p95 <= NETWORK_P95_MS,
        "d": http_ok,
        "e": None if results.memory is None else results.memory["tracemalloc_peak_mb"] <= MEMORY_MB,
        "f": report_pages.public_ok(results.pages),
        "g": report_pages.diary_ok(results.pages),
        **report_care.verdicts(results.care),
    }


def race_held(http: dict[str, Any]) -> bool:
    """Every race slot sold exactly once, every other racer told "slot taken" (409),
    no double booking afterwards and no acknowledged booking missing.

    A race where every request failed for another reason would show no double
    booking too, and prove nothing."""
    race: HttpResult = http["contended"]
    sold, refused = race.statuses.get(201, 0), race.statuses.get(409, 0)
    return (
        sold == http["race_slots"]
        and sold + refused == len(race.latencies_ms)
        and http["double_bookings"] == 0
        and http["missing_acknowledged"] == 0
    )


TARGETS = {
    "a": f"one practitioner's slots for one day: p95 <= {DAY_P95_MS} ms",
    "b": f">= {PEER_RATIO}x faster than django-appointment 3.12.0 (20 staff x 14 days)",
    "c": f"first 20 slots network-wide over 14 days: p95 <= {NETWORK_P95_MS} ms",
    "d": (
        f"HTTP bookings, 32 clients: >= {BOOKING_RATIO}x the reference view's requests/s in"
        f" the same run, p99 <= {BOOKING_P99_MS} ms; race: each slot sold once, no double"
        " booking"
    ),
    "e": f"peak memory of the availability query <= {MEMORY_MB} MB",
    "f": (
        "public pages (clinic list with next free, one clinic's time list): server time"
        f" p95 <= {PUBLIC_P95_MS} ms"
    ),
    "g": f"diary day view of a 12-practitioner clinic: server time p95 <= {DIARY_P95_MS} ms",
    **report_care.TARGETS,
}


def render(results: Results) -> str:
    verdict = verdicts(results)
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (`facetcare bench`), which builds the data set, measures",
        "every target in one run and rewrites this file. Machines are noisy, so where two",
        "things are compared they are measured in the same run and the ratio is quoted.",
        "",
        SECTIONS[0],
        "",
        "| target | result |",
        "| --- | --- |",
        *[f"| {key}. {TARGETS[key]} | {_verdict(ok)} |" for key, ok in verdict.items()],
        "",
        *[f"- {note}" for note in results.notes],
        "",
        SECTIONS[1],
        "",
        *machine(),
        "",
        SECTIONS[2],
        "",
        f"Scale {results.scale:g}: {results.shape['clinics']} clinics, "
        f"{results.shape['practitioners']} practitioners, {results.shape['appointments']:,} "
        f"appointments, {results.shape['patients']:,} patients; {_loaded(results)}. "
        "Clinics open 07:00-21:00 every day (one in five in",
        "America/Los_Angeles, the rest Europe/London); practitioners work Monday to Saturday",
        "08:00-18:00; half-hour appointments fill 85 % of their slots over the coming three",
        "weeks and as far back as the count needs; one practitioner in eight has a day off.",
        "Once loaded, the appointment and patient tables are vacuumed and the database",
        "checkpointed (where the bench's role may), so no timed run pays for the load's dead",
        "rows or its writing-out.",
        *_diary_clinic(results),
        *report_care.data_set(results.care),
        "",
        *_section_a(results),
        *_section_b(results),
        *_section_c(results),
        *report_http.section_d(results.http, _profile(results, "d")),
        *_section_e(results),
        *report_pages.section_f(
            results.pages,
            results.page_http,
            {key: _fenced(results.profiles.get(key)) for key in (results.pages or {})},
        ),
        *report_care.sections(results.care),
        *_limits(results),
    ]
    return "\n".join(lines) + "\n"


def _diary_clinic(results: Results) -> list[str]:
    booked = results.shape.get("diary_appointments")
    if not booked:
        return []
    return [
        "Beside the network stands one more clinic, with 12 practitioners (the network's",
        "clinics have 8), for the diary's target: same hours, same 85 % fill,"
        f" {booked:,} appointments, but a service of its own that no network",
        "practitioner offers, so figures a to e, which ask about the network's service, do",
        "not see it; the public clinic list shows it as one more clinic.",
    ]


def _loaded(results: Results) -> str:
    if results.load_seconds != results.load_seconds:  # NaN: kept from an earlier run
        return "built by an earlier run and kept (--reuse-data)"
    return f"built and loaded in {results.load_seconds:.1f} s"


def _limits(results: Results) -> list[str]:
    cores = os.cpu_count() or 1
    return [
        "## What limits the figures",
        "",
        f"- All figures come from {cores} logical cores shared with other work during the run, so",
        "  absolute times are pessimistic; the ratios in b are measured in one run.",
        "- a: with the directory cached in the process, one plain SQL query for that day's",
        "  bookings and time off, then the engine; the round trip and turning rows into",
        "  values are most of it (see the profile).",
        "- b: one query for the clinic's fortnight, then the engine walking 280",
        "  practitioner-days; the per-staff and per-day figures pay the fixed cost of a once",
        "  per call. The peer issues several ORM queries per staff member and day.",
        "- c: the network is examined span by span (two hours, doubling, nights skipped),",
        "  so usually one or two reads of about a thousand bookings answer it; reading and",
        "  the engine share the time about equally. Its tail was full garbage collections",
        "  until the heap was frozen once the application is loaded.",
        *report_http.limits_d(results.http),
        "- e: tracemalloc counts Python allocations made by the queries only; ru_maxrss is",
        "  the whole process including Django and the driver.",
        *report_pages.limits_f(results.pages),
        "",
    ]


def _profile(results: Results, key: str) -> list[str]:
    text = results.profiles.get(key)
    if not text:
        return []
    return ["", "Profile (pyinstrument, wall time):", "", *_fenced(text)]


def _fenced(text: str | None) -> list[str]:
    return ["", "```", text, "```", ""] if text else []


def _section_a(results: Results) -> list[str]:
    return [
        SECTIONS[3],
        "",
        "`booking.selectors.get_availability(service, clinic, practitioner, first_day, days=1)`",
        "for a random practitioner and a random day of the next fortnight, end to end (the",
        "directory from the process's cache, that day's bookings and time off in one plain",
        "query, then the pure engine).",
        "",
        *_timing_table(results.practitioner_day),
        *_profile(results, "a"),
        "",
    ]


def _section_b(results: Results) -> list[str]:
    ratios = _peer_ratios(results)
    if results.peer is None or results.ours is None or ratios is None:
        return [SECTIONS[4], "", "Not measured in this run (`--no-peer`).", ""]
    peer_total = statistics.median(results.peer["totals_ms"])
    ours = results.ours
    rows = [
        f"| {t.label} | {t.median:.1f} | {t.extra.get('slots', '')} "
        f"| {t.extra.get('on_half_hours', '')} | **{ratios[t.label]:.1f}x** |"
        for t in (ours.clinic_wide, ours.per_staff, ours.per_staff_day)
    ]
    peer_slots = results.peer["slots"]
    return [
        SECTIONS[4],
        "",
        "Same shape on both sides: 20 staff, Monday to Saturday 08:00-18:00 with a",
        "12:00-13:00 lunch break, 30-minute appointments, 5,000 appointments over 30 days;",
        "task: every free slot of every staff member for each of the next 14 days. The peer",
        "runs from PyPI in its own virtual environment and database (same database engine,",
        "debug off on both sides), timed calling",
        "`appointment.services.get_available_slots_for_staff` 280 times (its only way to",
        "ask). FacetCare is timed three ways: its natural call, one",
        "`get_availability(service, clinic, days=14)` for the whole clinic; one call per",
        "staff member for the fortnight; one call per staff member per day, the peer's own",
        "granularity.",
        "",
        "| system | median total ms | slots found | of which on :00/:30 | peer / this |",
        "| --- | --- | --- | --- | --- |",
        f"| django-appointment 3.12.0 | {peer_total:.1f} | {peer_slots} | {peer_slots} | 1.0x |",
        *rows,
        "",
        "The target is judged on the natural call. The peer lists 30-minute slots on the",
        "half hour, so the benchmark service is set to the same 30-minute grid",
        '(`Service.slot_step_minutes`). The "on :00/:30" column counts the starts that',
        "fall on that grid; where it equals the peer's count the two agree slot for slot.",
        "",
    ]


def _section_c(results: Results) -> list[str]:
    found = results.network_first.extra.get("slots_found") if results.network_first else None
    return [
        SECTIONS[5],
        "",
        "`get_availability(service, days=14, limit=20)` with no clinic: every clinic and",
        f"practitioner offering the service is considered; {found} slots returned.",
        "",
        *_timing_table(results.network_first),
        *_profile(results, "c"),
        "",
    ]


def _section_e(results: Results) -> list[str]:
    if results.memory is None:
        return [SECTIONS[7], "", "Not measured in this run.", ""]
    m = results.memory
    return [
        SECTIONS[7],
        "",
        "A fresh interpreter runs the network-wide first-20 query and a one-day all-slots",
        "query over the whole network. Peak Python allocation during the queries",
        f"(tracemalloc): **{m['tracemalloc_peak_mb']:.1f} MB**. Process peak RSS (ru_maxrss)",
        f"{m['rss_before_mb']:.0f} MB after Django start-up, {m['rss_after_mb']:.0f} MB after.",
        "",
    ]
