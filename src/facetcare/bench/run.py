"""``facetcare bench``: build the synthetic network, measure every target, write the report.

Runs on DATABASE_URL when set, else on a dedicated PostgreSQL database
(``facetcare_bench`` on the local server, created when missing). It refuses a
database holding anything but its own data unless ``--force``.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from facetcare.bench import care, database, httpload, measure, pages, peer
from facetcare.bench.dataset import (
    PRACTITIONERS_PER_CLINIC,
    Network,
    build_network,
    existing_network,
    forget_earlier_load,
)
from facetcare.bench.report import Results, render
from facetcare.bench.report_care import CareResults, elide_subplans
from facetcare.bench.server import ServerShape
from facetcare.booking.selectors import get_availability
from facetcare.config.heap import load_and_freeze


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="facetcare bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1,000,000 appointments")
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--work-dir", type=Path, default=Path(".bench"))
    parser.add_argument("--force", action="store_true", help="run on a database with other data")
    parser.add_argument("--no-peer", action="store_true", help="skip django-appointment")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn runs")
    parser.add_argument("--no-pages", action="store_true", help="skip the booking pages")
    parser.add_argument("--no-care", action="store_true", help="skip h to j (the care data set)")
    parser.add_argument("--only-care", action="store_true", help="measure h to j only")
    parser.add_argument(
        "--reuse-data", action="store_true", help="keep the network a previous run built"
    )
    parser.add_argument("--runs", type=int, default=300, help="samples per latency figure")
    default = httpload.shape_for_machine()
    parser.add_argument("--server-workers", type=int, default=default.workers)
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default=default.worker_class)
    parser.add_argument("--threads", type=int, default=default.threads, help="per gthread worker")
    parser.add_argument(
        "--http-rounds", type=int, default=3, help="rounds of the 32-client booking run"
    )
    return parser.parse_args(list(argv))


def main(argv: Sequence[str]) -> int:
    rerun = database.rerun_with_bench_settings(argv)
    if rerun is not None:
        return rerun
    args = _arguments(argv)
    call_command("migrate", verbosity=0)
    if not args.force:
        try:
            database.refuse_foreign_data()
        except database.BenchRefused as refusal:
            print(refusal, file=sys.stderr)
            return 2
    results = run(args)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(results))
    print(f"Wrote {args.output}")
    return 0


def _step(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args: argparse.Namespace) -> Results:
    now = timezone.now()
    _step(f"building the network at scale {args.scale:g}")
    began = time.perf_counter()
    kept = existing_network() if args.reuse_data else None
    if kept is not None:
        forgotten = forget_earlier_load(kept)
        kept = existing_network()
        _step(f"kept the network; removed {forgotten} bookings earlier HTTP runs made")
    network = kept or build_network(scale=args.scale, today=now.date())
    results = Results(
        scale=args.scale,
        shape={
            "clinics": len(network.clinics),
            "practitioners": len(network.clinics) * PRACTITIONERS_PER_CLINIC,
            "appointments": network.appointments,
            "patients": network.patients,
            "diary_appointments": network.diary_appointments,
        },
        load_seconds=float("nan") if kept else time.perf_counter() - began,
    )
    if kept is not None:
        results.notes.append(
            "Data set kept from an earlier run (--reuse-data), less the bookings and patients"
            " its HTTP runs made: load time n/a."
        )
    results.notes.append(
        "Measured with debug off (FACETCARE_DEBUG=0), as production runs, in this process,"
        " the peer's and gunicorn's. This process, like every gunicorn worker through"
        " the WSGI entry point, freezes the heap once the application is loaded"
        " (gc.freeze), so full garbage collections do not walk Django and the modules."
    )
    if not database.is_postgres():
        results.notes.append("Measured on SQLite: figures are indicative only.")
    if not args.no_care:
        results.care = _care(args, network, now)
    if args.only_care:
        return results
    # Measure in a process settled as the WSGI entry point settles a server's.
    load_and_freeze()
    _step("a. one practitioner, one day")
    results.practitioner_day = measure.practitioner_day(network, now=now, runs=args.runs)
    _step("c. first 20 slots network-wide")
    results.network_first = measure.first_slots_network(
        network, now=now, runs=max(20, args.runs // 5)
    )
    _profiles(results, network, now)
    if not args.no_pages:
        _step("f. booking pages in this process")
        results.pages = pages.time_pages(network, now=now, runs=args.runs)
        results.profiles.update(pages.profile_pages(network, now=now))
    _step("e. memory in a fresh process")
    results.memory = measure.availability_memory(network, now=now)
    if not args.no_peer:
        _step("b. django-appointment on the same shape")
        results.peer = peer.run_peer(args.work_dir, now.date(), repeat=3)
        results.ours = peer.run_ours(now.date(), now=now, repeat=3)
    if not args.no_http:
        _step("d. bookings through gunicorn")
        requests = max(100, round(1500 * min(1.0, args.scale * 10)))
        shape = ServerShape(args.server_workers, args.worker_class, args.threads)
        results.http = httpload.run_http(
            network, now=now, requests=requests, shape=shape, rounds=args.http_rounds
        )
        results.profiles["d"] = httpload.profile_booking_requests(network, now=now, count=100)
        if results.pages is not None:
            _step("f. public pages through gunicorn")
            means = {key: statistics.mean(t.samples_ms) for key, t in results.pages.items()}
            results.page_http = pages.run_page_http(
                network, now=now, shape=shape, rounds=args.http_rounds, means_ms=means
            )
    return results


def _profiles(results: Results, network: Network, now: datetime) -> None:
    practitioner, clinic, _ = network.practitioners[0]
    day = now.date() + timedelta(days=2)
    results.profiles["a"] = measure.profile_text(
        lambda: get_availability(
            service=network.service,
            clinic=clinic,
            practitioner=practitioner,
            first_day=day,
            days=1,
            limit=1000,
            now=now,
        ),
        repeat=200,
    )
    results.profiles["c"] = measure.profile_text(
        lambda: get_availability(
            service=network.service, first_day=now.date(), days=14, limit=20, now=now
        ),
        repeat=20,
    )


def _care(args: argparse.Namespace, network: Network, now: datetime) -> CareResults:
    """Targets h to j: build the care data set, then time the planner and the pages."""
    _step(f"h-j. building the care data set at scale {args.scale:g}")
    data = care.build_care(network, scale=args.scale, today=now.date())
    found = CareResults(data=data)
    load_and_freeze()
    _step("h. planning one programme")
    found.planning = care.time_planning(args.runs)
    _step("i. the portal's Today page")
    found.today = care.time_today(data, runs=args.runs)
    found.profiles["i"] = care.profile_today(data)
    _step("j. the clinic's outcomes page")
    found.clinic = care.time_clinic_outcomes(runs=max(10, args.runs // 20))
    found.plan_text = elide_subplans(care.clinic_outcomes_plan())
    return found
