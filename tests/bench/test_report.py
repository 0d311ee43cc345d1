"""The report's verdicts: the contended race, and d as a ratio to the reference view."""

from typing import Any

from facetcare.bench.httpload import median_ratio, median_round
from facetcare.bench.report import Results, race_held, verdicts
from facetcare.bench.report_http import section_d
from facetcare.bench.server import HttpResult


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


def _round(label: str, done: int, wall_s: float, *, status: int = 201) -> HttpResult:
    return HttpResult(
        label=label,
        clients=32,
        wall_s=wall_s,
        statuses={status: done},
        latencies_ms=[10.0] * done,
        acknowledged=[],
        ok_status=status,
    )


def _measured(api_rates: list[int], reference_rates: list[int]) -> dict[str, Any]:
    rounds = [_round(f"API bookings, round {n + 1}", r, 1.0) for n, r in enumerate(api_rates)]
    references = [
        _round(f"reference view, round {n + 1}", r, 1.0) for n, r in enumerate(reference_rates)
    ]
    return {
        **_http({201: 20, 409: 180}),
        "rounds": rounds,
        "references": references,
        "throughput": median_round(rounds),
        "ratio": median_ratio(rounds, references),
        "server": "2 gthread workers x 4 threads",
    }


def test_d_is_judged_on_the_median_pair_of_rounds() -> None:
    http = _measured([500, 700, 900], [1000, 1000, 1000])

    assert http["ratio"] == 0.7
    assert verdicts(Results(scale=1, shape={}, load_seconds=0, http=http))["d"] is True


def test_d_fails_below_the_ratio_however_many_bookings_a_second() -> None:
    http = _measured([600, 650, 900], [1000, 1000, 1000])

    assert verdicts(Results(scale=1, shape={}, load_seconds=0, http=http))["d"] is False


def test_section_d_shows_each_pair_its_ratio_and_the_rounds_in_the_order_run() -> None:
    text = "\n".join(section_d(_measured([500, 700], [1000, 1400]), []))

    assert "| 1 | 1000 | 500 | 0.50 |" in text
    assert "| 2 | 1400 | 700 | 0.50 |" in text
    assert "| **median** | | | **0.50** (target >= 0.7;" in text
    order = [text.index(label) for label in (
        "reference view, round 1", "API bookings, round 1",
        "reference view, round 2", "API bookings, round 2", "200 clients, 20 slots",
    )]  # fmt: skip
    assert order == sorted(order)
