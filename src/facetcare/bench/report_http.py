"""The report's section d: bookings through the HTTP API against the reference view."""

import os
from typing import Any

from facetcare.bench.httpload import LEAD_TIME
from facetcare.bench.server import REFERENCE_LOOP, HttpResult

HEADING = "## d. Bookings through the HTTP API"
# API bookings/s over the reference view's requests/s in the same run.
BOOKING_RATIO = 0.7
BOOKING_P99_MS = 250


def section_d(http: dict[str, Any] | None, profile: list[str]) -> list[str]:
    if http is None:
        return [HEADING, "", "Not measured in this run (`--no-http`).", ""]
    racers = len(http["contended"].latencies_ms) // max(1, http["race_slots"])
    lines = [
        HEADING,
        "",
        f"gunicorn, {http['server']} on 127.0.0.1, debug off, persistent database",
        f"connections (`FACETCARE_DB_CONN_MAX_AGE={http.get('conn_max_age', 600)}`), the",
        "confirmation email queued as a task (`FACETCARE_TASKS_BACKEND` names a backend that",
        "checks the task and encodes its message, then drops it, standing in for a worker's",
        "queue); `POST /api/v1/bookings` with a staff bearer token, each request a new",
        "patient. The load generator is a separate process: one asyncio loop, requests",
        "encoded before the clock starts, one keep-alive connection per client.",
        "",
        "The reference is a bare Django view in the same server, behind the same middleware",
        "(`facetcare.bench.views.reference_booking`, routed only when the server's",
        "environment sets `FACETCARE_BENCH_VIEWS=1`): it parses a small JSON body, reads once",
        "(is the span free?) and inserts once into `bench_reference`, a table with a GiST",
        "exclusion constraint like the appointments' (resource with =, time range with &&),",
        "each statement in autocommit, and answers 201 with the new id. Rounds alternate,",
        "reference then API bookings, 32 clients each, on fresh slots; each pair meets the",
        "same minute of the shared machine, so its ratio (API bookings/s over reference",
        "requests/s) is the figure. d is judged on the median pair's ratio, the p99 of the",
        "API round with the median throughput and the race.",
        "",
        *_ratio_table(http),
        "",
        "Throughput requests use slots that do not overlap, so a 409 there means a genuine",
        f"clash; the race sends {racers} requests for each of {http['race_slots']} slots. No",
        "slot of either run overlaps another of its practitioner's, so each race slot can be",
        f"sold exactly once, and every slot starts at least {LEAD_TIME.total_seconds() / 60:.0f}",
        "minutes after the bench began, so none has started by the time it is sent. The race",
        "holds when each slot is sold once and every other racer gets a 409. Database CPU is",
        "every PostgreSQL process on this machine, the WAL writer included. The reference",
        f"loop ({REFERENCE_LOOP:,} additions in pure Python, timed in the bench process just",
        "before each round; lower is faster) shows how fast the machine was at that minute.",
        f"Load average of the machine when the runs ended: {http.get('load_average', 'n/a')}"
        f" ({os.cpu_count() or 1:.1f} would be every core busy).",
        "",
        *run_table([*_interleaved(http), http["contended"]], judged=http["throughput"]),
        "",
        *_cpu_lines(http),
        "",
        f"Race over {http['race_slots']} slots: slots sold "
        f"**{http['contended'].statuses.get(201, 0)} of {http['race_slots']}**; double bookings"
        f" found afterwards: **{http['double_bookings']}**; acknowledged (201) bookings missing"
        f" from the database: **{http['missing_acknowledged']}**.",
        *profile,
        "",
    ]
    return lines


def _interleaved(http: dict[str, Any]) -> list[HttpResult]:
    rounds: list[HttpResult] = http.get("rounds", [http["throughput"]])
    references: list[HttpResult] = http.get("references", [])
    ordered: list[HttpResult] = []
    for n, measured in enumerate(rounds):
        ordered += [references[n]] if n < len(references) else []
        ordered.append(measured)
    return ordered


def _ratio_table(http: dict[str, Any]) -> list[str]:
    lines = [
        "| pair of rounds | reference view req/s | API bookings/s | ratio |",
        "| --- | --- | --- | --- |",
    ]
    for n, (ref, api) in enumerate(zip(http.get("references", []), http["rounds"], strict=False)):
        ratio = api.rate / ref.rate if ref.rate else 0.0
        lines.append(f"| {n + 1} | {ref.rate:.0f} | {api.rate:.0f} | {ratio:.2f} |")
    judged: HttpResult = http["throughput"]
    lines.append(
        f"| **median** | | | **{http['ratio']:.2f}** (target >= {BOOKING_RATIO}; judged API"
        f" round p99 {judged.percentile(0.99):.0f} ms, target <= {BOOKING_P99_MS}) |"
    )
    return lines


def run_table(results: list[HttpResult], *, judged: HttpResult | None = None) -> list[str]:
    """One row per run of the load generator."""
    return [
        "| run | clients | requests | statuses | wall s | done/s | p50 ms | p99 ms "
        "| server CPU ms/req | database CPU ms/req | client CPU ms/req | reference loop ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *[run_row(result, judged=result is judged) for result in results],
    ]


def run_row(result: HttpResult, *, judged: bool = False) -> str:
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items()))
    ms = result.per_request_ms
    database = "n/a" if result.database_cpu_s is None else f"{ms(result.database_cpu_s):.2f}"
    reference = "n/a" if result.reference_ms is None else f"{result.reference_ms:.0f}"
    label = f"**{result.label}** (judged)" if judged else result.label
    return (
        f"| {label} | {result.clients} | {len(result.latencies_ms)} | {statuses} "
        f"| {result.wall_s:.2f} | {result.rate:.0f} | {result.percentile(0.5):.1f} "
        f"| {result.percentile(0.99):.1f} | {ms(result.server_cpu_s):.2f} | {database} "
        f"| {ms(result.client_cpu_s):.2f} | {reference} |"
    )


def total_cpu_ms(result: HttpResult) -> float:
    """CPU a request of the run took, server, database and load generator together (the
    database's left out when it could not be read)."""
    cpu_s = result.cpu_s
    if cpu_s is None:
        cpu_s = result.server_cpu_s + result.client_cpu_s
    return result.per_request_ms(cpu_s)


def _cpu_lines(http: dict[str, Any]) -> list[str]:
    """What the judged round's CPU per booking allows on this machine's cores, and the
    same for the reference view."""
    result: HttpResult = http["throughput"]
    if result.cpu_s is None or not result.latencies_ms:
        return []
    per_booking_ms = total_cpu_ms(result)
    cores = os.cpu_count() or 1
    lines = [
        f"CPU ceiling: the judged round used {per_booking_ms:.1f} ms of CPU a booking (server,"
        f" database and load generator together), so {cores} cores allow at most"
        f" {cores * 1000 / per_booking_ms:.0f} bookings/s at that cost."
    ]
    references: list[HttpResult] = http.get("references", [])
    if references:
        spent = sorted(total_cpu_ms(r) for r in references)[(len(references) - 1) // 2]
        lines[0] += (
            f" A reference request took {spent:.1f} ms (the median round's), so the CPU ratio"
            f" is {spent / per_booking_ms:.2f}."
        )
    return lines


def limits_d(http: dict[str, Any] | None) -> list[str]:
    lines = [
        "- d: CPU, all of it on the same cores: the gunicorn workers', PostgreSQL's and the",
        "  load generator's (columns of the table). A booking is eight round trips and six",
        "  statements: the bearer token with its user and roles; the service, clinic and",
        "  practitioner; then in one transaction BEGIN; one statement that reads the",
        "  practitioner's day at the clinic (offer check, hours, rooms) with the bookings",
        "  and time off overlapping the slot and takes the practitioner's and the clinic's",
        "  rooms' advisory locks; the patient match; the patient insert; the appointment",
        "  insert, which inserts only if no booking reached the slot before the locks were",
        "  granted (when one did, the booking reads again and decides again: one round",
        "  trip more); COMMIT. All are plain SQL, prepared on the server once a connection",
        "  has run them five times; what is left on the server is Django's request",
        "  handling and middleware, Ninja and pydantic, psycopg and gunicorn itself. The",
        "  database's part is mostly the inserts (eleven indexes, two of them the exclusion",
        "  constraints' GiST indexes), the foreign-key checks at commit and the commit's WAL",
        "  flush. The reference view makes two round trips, each statement in autocommit.",
        "  With the cores full, the ratio of throughputs follows the ratio of CPU a request",
        "  (the CPU ceiling line under d).",
    ]
    if http is None:
        return lines
    return [
        *lines,
        f"  In the judged round a booking took {total_cpu_ms(http['throughput']):.1f} ms of CPU.",
    ]
