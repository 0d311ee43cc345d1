"""Invariants of RD-1 over generated diaries (hypothesis)."""

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from facetcare.core.outcomes import (
    Procedure,
    Scale,
    Score,
    Threshold,
    derive_response,
    integer_for_record,
    relief_fraction,
    stored_relief,
)

ZONES = st.sampled_from([ZoneInfo("Europe/London"), ZoneInfo("America/Los_Angeles")])
# Around both 2026 changes in both zones, so DST days are well covered.
PERFORMED = st.datetimes(
    min_value=datetime(2026, 2, 20), max_value=datetime(2026, 11, 20), timezones=st.just(UTC)
)
TYPES = st.sampled_from(["mbb_diagnostic", "ia_diagnostic", "ia_therapeutic", "rfa"])
AGENTS = st.sampled_from(["lidocaine", "bupivacaine", "ropivacaine", ""])
THRESHOLDS = [Threshold(t, inclusive) for t in range(10, 100, 10) for inclusive in (True, False)]


@st.composite
def diaries(draw: st.DrawFn) -> tuple[Procedure, list[Score], ZoneInfo]:
    performed = draw(PERFORMED)
    kind = draw(TYPES)
    scale = draw(st.sampled_from(list(Scale)))
    procedure = Procedure(0, performed, kind, "lumbar", draw(AGENTS))
    offsets = draw(st.lists(st.integers(-60 * 24 * 2, 60 * 24 * 100), max_size=40))
    scores = [
        Score(i, performed + timedelta(minutes=minutes), draw(st.integers(0, scale.maximum)), scale)
        for i, minutes in enumerate(offsets, start=1)
        if minutes != 0
    ]
    return procedure, scores, draw(ZONES)


@given(diaries())
@settings(max_examples=300, deadline=None)
def test_relief_percent_is_always_between_0_and_100(
    diary: tuple[Procedure, list[Score], ZoneInfo],
) -> None:
    procedure, scores, zone = diary
    result = derive_response(procedure, scores, zone=zone)
    if result.relief_percent is not None:
        assert 0 <= result.relief_percent <= 100
    for duration in result.durations:
        assert duration.days >= 0


@given(diaries(), st.integers(0, 10), st.integers(1, 24 * 60 * 60))
@settings(max_examples=200, deadline=None)
def test_a_score_after_the_diary_does_not_change_a_diagnostic_result(
    diary: tuple[Procedure, list[Score], ZoneInfo], value: int, extra_minutes: int
) -> None:
    procedure, scores, zone = diary
    procedure = Procedure(0, procedure.performed_at, "mbb_diagnostic", "lumbar", procedure.agent)
    assert procedure.performed_at is not None
    scale = scores[0].scale if scores else Scale.NRS_11
    late = Score(
        "late",
        procedure.performed_at + timedelta(hours=48, minutes=extra_minutes),
        min(value, scale.maximum),
        scale,
    )
    before = derive_response(procedure, scores, zone=zone)
    after = derive_response(procedure, [*scores, late], zone=zone)
    assert after == before


@given(st.integers(1, 100), st.integers(0, 100))
def test_stored_and_exact_relief_fall_on_the_same_side_of_every_threshold(
    baseline: int, value: int
) -> None:
    # Section 2: integer scores, a baseline <= 100, thresholds that are multiples of 10.
    exact = relief_fraction(baseline, min(value, baseline * 2))
    stored = Fraction(stored_relief(exact))
    for threshold in THRESHOLDS:
        assert threshold.met_by(exact) == threshold.met_by(stored)


@given(st.fractions(min_value=0, max_value=100))
def test_the_records_whole_number_keeps_every_threshold_decision(relief: Fraction) -> None:
    whole = integer_for_record(relief)
    assert 0 <= whole <= 100
    for threshold in THRESHOLDS:
        assert threshold.met_by(relief) == threshold.met_by(Fraction(whole))
