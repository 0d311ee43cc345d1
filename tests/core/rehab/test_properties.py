"""Invariants of the planner, over random patients and random libraries."""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facetcare.core.rehab import (
    ExerciseLibrary,
    Pathway,
    Programme,
    Region,
    advance_phase,
    get_template,
    plan_programme,
    shipped_library,
)
from tests.core.rehab.strategies import cautions, goals, libraries, pathways, regions, starts

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Request:
    region: Region
    pathway: Pathway
    goals: list[str]
    cautions: frozenset[str]
    start: date
    library: ExerciseLibrary

    def plan(self) -> Programme:
        return plan_programme(
            get_template(self.region, self.pathway),
            goals=self.goals,
            cautions=self.cautions,
            start=self.start,
            library=self.library,
        )


def requests(library: st.SearchStrategy[ExerciseLibrary]) -> st.SearchStrategy[Request]:
    return st.builds(Request, regions, pathways, goals, cautions, starts, library)


any_library = st.one_of(st.just(shipped_library()), libraries())
shipped = st.just(shipped_library())


@FAST
@given(requests(any_library))
def test_a_programme_never_holds_an_exercise_unsuitable_for_its_region_phase_or_cautions(
    request: Request,
) -> None:
    programme = request.plan()

    for phase in programme.phases:
        in_force = request.cautions | phase.template.implied_cautions
        for prescription in phase.exercises:
            exercise = prescription.exercise
            assert request.region in exercise.regions or Region.GENERAL in exercise.regions
            assert phase.number in exercise.phases
            assert not exercise.avoid_with & in_force
            assert exercise.unsuitable_because(request.region, phase.number, in_force) == ()


@FAST
@given(requests(any_library))
def test_every_phase_aim_is_served_or_its_shortfall_is_listed(request: Request) -> None:
    programme = request.plan()

    for phase in programme.phases:
        served = {aim for p in phase.exercises for aim in p.exercise.aims}
        short = {s.aim for s in phase.shortfalls}
        for aim in phase.template.aims:
            assert (aim in served) != (aim in short), (phase.number, aim)
        assert all(s.phase == phase.number and s.message for s in phase.shortfalls)


@FAST
@given(requests(shipped))
def test_the_shipped_library_serves_every_aim_when_no_caution_applies(request: Request) -> None:
    programme = Request(
        request.region, request.pathway, request.goals, frozenset(), request.start, request.library
    ).plan()

    assert programme.shortfalls == ()
    assert all(4 <= len(phase.exercises) <= 6 for phase in programme.phases)


@FAST
@given(requests(any_library))
def test_the_same_inputs_give_the_same_programme(request: Request) -> None:
    first = request.plan()
    again = plan_programme(
        get_template(request.region.value, request.pathway.value),
        goals=list(request.goals),
        cautions=set(request.cautions),
        start=request.start,
        library=request.library,
    )

    assert first == again
    assert [p.slug for ph in first.phases for p in ph.exercises] == [
        p.slug for ph in again.phases for p in ph.exercises
    ]


@FAST
@given(requests(shipped))
def test_phase_dates_are_ordered_and_contiguous_from_the_start(request: Request) -> None:
    phases = request.plan().phases

    assert [p.number for p in phases] == [1, 2, 3, 4]
    assert phases[0].planned_start == request.start == phases[0].actual_start
    assert all(p.planned_start <= p.planned_end for p in phases)
    for earlier, later in pairwise(phases):
        assert later.planned_start == earlier.planned_end + timedelta(days=1)
        assert later.actual_start is None


@FAST
@given(requests(shipped), st.lists(st.integers(0, 120), min_size=3, max_size=3))
def test_advancing_by_review_starts_each_phase_on_its_review_day(
    request: Request, gaps: list[int]
) -> None:
    programme = request.plan()
    day = request.start
    for gap in gaps:
        day += timedelta(days=gap)
        programme = advance_phase(programme, reviewed_on=day)
        assert programme.phase(programme.current_phase).actual_start == day

    assert programme.current_phase == 4
    actual = [p.actual_start for p in programme.phases]
    assert actual == sorted(actual)  # type: ignore[type-var]
