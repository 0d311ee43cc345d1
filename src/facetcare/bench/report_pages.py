"""The report's section f: the booking pages' server time, and the public pages'
throughput against the reference page."""

from typing import Any

from facetcare.bench.measure import Timing
from facetcare.bench.pages import DIARY_P95_MS, PUBLIC_P95_MS, REFERENCE_PAGE_PATH
from facetcare.bench.report_http import run_table
from facetcare.bench.server import HttpResult

HEADING = "## f. Booking pages"
PUBLIC_PAGES = ("clinics", "times")


def public_ok(timings: dict[str, Timing] | None) -> bool | None:
    """Both public pages within their p95, or None when not measured."""
    if timings is None or not all(key in timings for key in PUBLIC_PAGES):
        return None
    return all(timings[key].p95 <= PUBLIC_P95_MS for key in PUBLIC_PAGES)


def diary_ok(timings: dict[str, Timing] | None) -> bool | None:
    if timings is None or "diary" not in timings:
        return None
    return timings["diary"].p95 <= DIARY_P95_MS


def section_f(
    timings: dict[str, Timing] | None,
    http: dict[str, Any] | None,
    profiles: dict[str, list[str]],
) -> list[str]:
    if timings is None:
        return [HEADING, "", "Not measured in this run (`--no-pages`).", ""]
    lines = [
        HEADING,
        "",
        "Server time: each page's whole answer through Django's test client in the bench",
        "process, debug off (middleware, view, selectors, template; no network, no",
        "gunicorn), as a member of the public or, for the diary, a signed-in receptionist.",
        "The time list is one of the network's clinics, its service and a random day of",
        "the next fortnight; the diary is the 12-practitioner clinic beside the network on",
        "a random day of the next fortnight. The clinic list finds every clinic's next",
        "free appointment, so it is timed a fifth as often. Its answers are kept while the",
        "process's directory snapshot stands (at most five seconds, or until a clinic,",
        "its hours, rooms, staff or services change), so it is also timed with the",
        "snapshot dropped before each request: what the first request after that pays,",
        "reading the directory again included (not judged: as served, the target is met",
        "or missed by the row above it). Queries: those of a request just after the",
        "directory snapshot is dropped, and of the one after it, which may find caches",
        "filled; the clinic list's also depend on the hour, as it reads clinic by clinic",
        "as each opens (the page tests assert each page's count in a fixed world).",
        "",
        "| page | runs | median ms | p95 ms | p99 ms | target p95 | queries (first / next) "
        "| bytes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *[_timing_row(timing) for timing in timings.values()],
        "",
    ]
    for key, timing in timings.items():
        lines += _profile(timing.label, profiles.get(key, []))
    return [*lines, *_throughput(http)]


def _target(timing: Timing) -> str:
    if timing.extra.get("key") == "clinics_dropped":
        return "not judged"
    limit = DIARY_P95_MS if timing.extra.get("key") == "diary" else PUBLIC_P95_MS
    verdict = "PASS" if timing.p95 <= limit else "FAIL"
    return f"<= {limit} ms: {verdict}"


def _timing_row(t: Timing) -> str:
    return (
        f"| {t.label} | {len(t.samples_ms)} | {t.median:.2f} | {t.p95:.2f} | {t.p99:.2f} "
        f"| {_target(t)} | {t.extra.get('queries', 'n/a')} | {t.extra.get('bytes', 'n/a'):,} |"
    )


def _profile(label: str, text: list[str]) -> list[str]:
    if not text:
        return []
    return [f"Profile of the {label} (pyinstrument, wall time):", *text, ""]


def _throughput(http: dict[str, Any] | None) -> list[str]:
    if http is None:
        return ["Throughput under gunicorn: not measured in this run (`--no-http`).", ""]
    rounds: dict[str, list[HttpResult]] = http["rounds"]
    labels: dict[str, str] = http["labels"]
    lines = [
        f"Throughput: the public pages through gunicorn ({http['server']}, the same",
        "settings as d), 32 clients, in rounds: the reference page",
        f"(`{REFERENCE_PAGE_PATH}`, a constant HTML page of a few hundred bytes from a bare",
        "Django view behind the same middleware), then each public page; each page's round",
        "is sized to last about three seconds at its in-process speed. The ratio of each",
        "page's requests/s to the reference round just before it is the figure (the median",
        "over the rounds).",
        f"Load average when the runs ended: {http.get('load_average', 'n/a')}.",
        "",
        "| page | reference page req/s (median) | page req/s (median) | ratio (median) |",
        "| --- | --- | --- | --- |",
    ]
    reference = _median_rate(rounds["reference"])
    for key, label in labels.items():
        lines.append(
            f"| {label} | {reference:.0f} | {_median_rate(rounds[key]):.0f} "
            f"| **{http['ratios'][key]:.3f}** |"
        )
    ordered = [r for n in range(len(rounds["reference"])) for r in _round(rounds, n)]
    return [*lines, "", *run_table(ordered), ""]


def _round(rounds: dict[str, list[HttpResult]], n: int) -> list[HttpResult]:
    return [results[n] for results in rounds.values() if n < len(results)]


def _median_rate(results: list[HttpResult]) -> float:
    rates = sorted(result.rate for result in results)
    return rates[(len(rates) - 1) // 2] if rates else 0.0


def limits_f(timings: dict[str, Timing] | None) -> list[str]:
    if timings is None:
        return []
    return [
        "- f: server time is the test client's, in this process, one request at a time;",
        "  under gunicorn a page's requests share the cores with 31 others (the p50 and p99",
        "  columns of its throughput rounds). The clinic list's answers are kept per",
        "  process for at most five seconds; when they lapse, every thread of a worker that",
        "  asks before the first has finished works the list out again, so its slowest",
        "  requests under load wait for several of those at once (its p99). The time list",
        "  is read fresh on every request: the clinic's bookings that day and the engine",
        "  (see its profile).",
    ]
