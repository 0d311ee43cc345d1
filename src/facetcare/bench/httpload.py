"""Bookings through the HTTP API under gunicorn: throughput against a reference view, and
a contended race.

Each 32-client round of API bookings follows a round of the reference booking
view (``views.reference_booking``: one read, one insert into a table with an
exclusion constraint) in the same server, so each pair of rounds meets the
same minute of the shared machine and their ratio is the figure (see
``server`` for how gunicorn is run and measured).
"""

import dataclasses
import itertools
import json
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group, User

from facetcare.bench import views
from facetcare.bench.dataset import Network
from facetcare.bench.measure import profile_text
from facetcare.bench.server import (
    CONN_MAX_AGE_S,
    HttpResult,
    ServerShape,
    drive,
    load_average,
    reference_loop_ms,
    start_gunicorn,
    stop,
)
from facetcare.booking.models import Appointment
from facetcare.booking.selectors import get_availability
from facetcare.web.roles import Role
from facetcare.web.services import issue_api_token

BOOKINGS_PATH = "/api/v1/bookings"
REFERENCE_BOOKING_PATH = "/bench/reference/booking"
# How long after the bench's start the booked slots begin at the earliest: the runs
# take minutes, and a slot that has started by the time the race (the last run) is
# sent cannot be booked.
LEAD_TIME = timedelta(hours=1)
WARM_UP = 64


def bench_receptionist() -> User:
    """The bench's receptionist, who books through the API and reads the diary."""
    user, _ = User.objects.get_or_create(username="bench-reception")
    group, _ = Group.objects.get_or_create(name=Role.RECEPTIONIST.value)
    user.groups.add(group)
    return user


def staff_token() -> str:
    return issue_api_token(user=bench_receptionist(), name="bench")[1]


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


def booking_request(token: str, body: dict[str, Any]) -> dict[str, Any]:
    """The load generator's plan of one API booking."""
    return {
        "method": "POST",
        "path": BOOKINGS_PATH,
        "headers": {"Authorization": f"Bearer {token}"},
        "json": body,
    }


def reference_requests(count: int, *, first: int, begin: datetime) -> list[dict[str, Any]]:
    """``count`` requests to the reference booking view, none overlapping another: 400
    resources (as many as the network's practitioners) with half-hour spans."""
    plans = []
    for n in range(first, first + count):
        start = begin + timedelta(minutes=30 * (n // 400))
        body = {
            "resource": n % 400,
            "start": start.isoformat(),
            "end": (start + timedelta(minutes=30)).isoformat(),
        }
        plans.append({"method": "POST", "path": REFERENCE_BOOKING_PATH, "json": body})
    return plans


def run_http(
    network: Network,
    *,
    now: datetime,
    requests: int,
    shape: ServerShape,
    rounds: int = 3,
) -> dict[str, Any]:
    """Throughput with 32 clients in ``rounds`` pairs of rounds of ``requests`` each (the
    reference booking view, then API bookings), then 200 clients racing for 20 slots.

    The machine is shared, and its speed changes from minute to minute, so one
    round says little: the report gives every round, judges the ratio on the
    median pair and the latency on the median API round.
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
    race_slots, throughput_slots = kept[:20], kept[20 : 20 + WARM_UP + rounds * requests]
    views.create_table()
    server, port = start_gunicorn(shape)
    salt = int(time.time())  # new patients on every run, as on a real day
    begin = datetime(2030, 1, 1, tzinfo=UTC)
    try:
        bookings = [
            booking_request(token, _body(network, s, salt * 100_000 + n))
            for n, s in enumerate(throughput_slots)
        ]
        drive(server, port, bookings[:WARM_UP], clients=32, label="warm-up")
        drive(
            server,
            port,
            reference_requests(WARM_UP, first=0, begin=begin),
            clients=32,
            label="warm-up",
        )
        measured, references = [], []
        for n in range(rounds):
            reference = reference_loop_ms()
            plans = reference_requests(requests, first=WARM_UP + n * requests, begin=begin)
            result = drive(server, port, plans, clients=32, label=f"reference view, round {n + 1}")
            references.append(dataclasses.replace(result, reference_ms=reference))
            reference = reference_loop_ms()
            chunk = bookings[WARM_UP + n * requests : WARM_UP + (n + 1) * requests]
            result = drive(server, port, chunk, clients=32, label=f"API bookings, round {n + 1}")
            measured.append(dataclasses.replace(result, reference_ms=reference))
        race = [
            booking_request(
                token,
                _body(network, race_slots[n % len(race_slots)], salt * 100_000 + 90_000 + n),
            )
            for n in range(200)
        ]
        contended = drive(server, port, race, clients=200, label="200 clients, 20 slots")
    finally:
        stop(server)
    acknowledged = [b for result in (*measured, contended) for b in result.acknowledged]
    return {
        "rounds": measured,
        "references": references,
        "throughput": median_round(measured),
        "ratio": median_ratio(measured, references),
        "contended": contended,
        "server": shape.describe(),
        "conn_max_age": CONN_MAX_AGE_S,
        "load_average": load_average(),
        "double_bookings": double_bookings(network),
        "missing_acknowledged": missing(acknowledged),
        "race_slots": len(race_slots),
    }


def median_ratio(measured: list[HttpResult], references: list[HttpResult]) -> float:
    """The median over the pairs of rounds of API bookings/s over the reference's req/s."""
    pairs = [m.rate / r.rate for m, r in zip(measured, references, strict=True) if r.rate]
    return statistics.median(pairs) if pairs else 0.0


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
        return client.post(
            BOOKINGS_PATH, next(bodies), content_type="application/json", secure=True
        )

    return profile_text(book, repeat=min(count, len(free)), lines=60)
