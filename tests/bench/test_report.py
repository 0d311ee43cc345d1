"""The report's verdict on the contended race."""

from typing import Any

from facetcare.bench.httpload import HttpResult
from facetcare.bench.report import race_held


def _http(statuses: dict[int, int], *, double: int = 0, missing: int = 0) -> dict[str, Any]:
    count = sum(statuses.values())
    race = HttpResult(
        label="200 clients, 20 slots",
        clients=200,
        wall_s=1.0,
        statuses=statuses,
        latencies_ms=[1.0] * count,
        acknowledged=list(range(statuses.get(201, 0))),
    )
    return {
        "contended": race,
        "race_slots": 20,
        "double_bookings": double,
        "missing_acknowledged": missing,
    }


def test_the_race_holds_when_each_slot_is_sold_once_and_the_rest_are_told_it_is_taken() -> None:
    assert race_held(_http({201: 20, 409: 180}))


def test_a_race_that_sold_nothing_proves_nothing() -> None:
    assert not race_held(_http({422: 200}))


def test_a_refusal_other_than_slot_taken_fails_the_race() -> None:
    assert not race_held(_http({201: 20, 409: 179, 500: 1}))


def test_a_double_booking_or_a_lost_acknowledgement_fails_the_race() -> None:
    assert not race_held(_http({201: 20, 409: 180}, double=1))
    assert not race_held(_http({201: 20, 409: 180}, missing=1))
