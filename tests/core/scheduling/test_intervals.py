"""Interval arithmetic and distance, the building blocks of the engine."""

from datetime import UTC, datetime, timedelta

import pytest

from facetcare.core.scheduling.geo import haversine_km
from facetcare.core.scheduling.intervals import (
    covering,
    intersect,
    normalise,
    overlapping,
    subtract,
)
from facetcare.core.scheduling.types import Interval


def test_it_sorts_joins_touching_spans_and_drops_empty_ones():
    assert normalise([(5, 9), (0, 2), (2, 3), (7, 12), (4, 4)]) == [(0, 3), (5, 12)]


def test_it_intersects_two_normal_lists():
    assert intersect([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]
    assert intersect([(0, 10)], []) == []


def test_it_subtracts_holes_including_ones_that_stick_out():
    assert subtract([(0, 10), (20, 30)], [(-5, 2), (4, 6), (9, 21), (29, 40)]) == [
        (2, 4),
        (6, 9),
        (21, 29),
    ]


def test_it_answers_containment_and_overlap_at_the_edges():
    spans = [(0, 10), (20, 30)]
    assert covering(spans, 0, 10)
    assert covering(spans, 20, 25)
    assert not covering(spans, 5, 21)
    assert not overlapping(spans, 10, 20)
    assert overlapping(spans, 9, 20)
    assert overlapping(spans, 10, 21)


def test_it_measures_great_circle_distance():
    london, manchester = (51.5072, -0.1276), (53.4808, -2.2426)
    assert haversine_km(london, manchester) == pytest.approx(262.6, abs=1.0)
    assert haversine_km(london, london) == 0


def test_a_trusted_interval_equals_a_checked_one() -> None:
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    end = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)

    trusted = Interval.trusted(start, end)

    assert trusted == Interval(start, end)
    assert hash(trusted) == hash(Interval(start, end))
    assert trusted.duration == timedelta(hours=1)
