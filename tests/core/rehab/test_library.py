"""The shipped exercise library and the dose an exercise is given."""

import pytest

from facetcare.core.rehab import (
    PHASES,
    SPINAL_REGIONS,
    Dosage,
    Exercise,
    ExerciseLibrary,
    InvalidDosage,
    LibraryError,
    Region,
    all_templates,
    shipped_library,
)
from facetcare.core.rehab.exercises import exercise_from_mapping


def test_the_library_holds_forty_to_sixty_exercises_with_unique_slugs() -> None:
    library = shipped_library()

    assert 40 <= len(library) <= 60
    assert len({e.slug for e in library}) == len(library)


def test_every_template_phase_aim_has_at_least_two_exercises_to_choose_from() -> None:
    # Two, so that a single caution rarely leaves an aim with nothing.
    library = shipped_library()
    for template in all_templates():
        for phase in template.phases:
            suitable = library.suitable(template.region, phase.number, phase.implied_cautions)
            for aim in phase.aims:
                serving = [e.slug for e in suitable if aim in e.aims]
                assert len(serving) >= 2, (template.region, phase.number, aim, serving)


def test_progressions_lead_to_the_same_or_a_later_phase_and_regressions_back() -> None:
    library = shipped_library()
    for exercise in library:
        if exercise.progression:
            harder = library.get(exercise.progression)
            assert min(harder.phases) >= min(exercise.phases), exercise.slug
        if exercise.regression:
            easier = library.get(exercise.regression)
            assert min(easier.phases) <= min(exercise.phases), exercise.slug


def test_every_region_has_exercises_of_its_own_in_every_phase() -> None:
    library = shipped_library()
    for region in SPINAL_REGIONS:
        for phase in PHASES:
            own = [e for e in library if region in e.regions and phase in e.phases]
            assert len(own) >= 3, (region, phase)


def test_an_exercise_is_unsuitable_outside_its_region_phase_or_with_its_cautions() -> None:
    turns = shipped_library().get("gentle-neck-turns")

    assert turns.suits(Region.CERVICAL, 1, frozenset())
    dizzy = frozenset({"dizziness_on_neck_movement"})
    assert turns.unsuitable_because(Region.LUMBAR, 3, dizzy) == (
        "not an exercise for the lumbar spine",
        "not for phase 3",
        "to be avoided with dizziness when moving the neck",
    )


def test_a_general_exercise_suits_every_region() -> None:
    walking = shipped_library().get("brisk-walking")

    assert all(walking.suits(region, 2, frozenset()) for region in SPINAL_REGIONS)


def test_a_dose_reads_in_plain_words() -> None:
    assert Dosage(sets=2, reps=10, hold_seconds=5, per_day=3).describe() == (
        "2 sets of 10, hold 5 seconds, 3 times a day"
    )
    assert Dosage(minutes=20, per_week=5).describe() == "20 minutes, 5 times a week"
    assert Dosage(sets=3, hold_seconds=30, per_day=1).describe() == (
        "3 times, hold 30 seconds, once a day"
    )
    assert Dosage(reps=1, per_week=2).describe() == "1 set of 1, twice a week"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"sets": 0, "reps": 10, "per_day": 1}, "sets"),
        ({"sets": 1, "reps": 51, "per_day": 1}, "reps"),
        ({"sets": 1, "per_day": 1}, "reps"),
        ({"sets": 1, "reps": 10}, "per_day"),
        ({"sets": 1, "reps": 10, "per_day": 1, "per_week": 3}, "per_day"),
        ({"sets": 1, "minutes": 10, "per_week": 8}, "per_week"),
        ({"sets": True, "reps": 10, "per_day": 1}, "sets"),
    ],
)
def test_a_dose_out_of_bounds_is_refused_naming_the_field(values: dict, field: str) -> None:
    with pytest.raises(InvalidDosage) as raised:
        Dosage(**values)

    assert raised.value.field == field


def test_a_library_refuses_a_progression_that_is_not_in_it() -> None:
    lonely = shipped_library().get("chin-nods-lying")

    with pytest.raises(LibraryError, match="progression 'chin-tucks-sitting' is not in"):
        ExerciseLibrary((lonely,))


def test_a_library_refuses_two_exercises_with_one_slug() -> None:
    bridge = shipped_library().get("bridge")

    with pytest.raises(LibraryError, match="share the slug"):
        ExerciseLibrary((bridge, bridge))


def test_a_clinic_exercise_extends_the_library_and_may_progress_to_a_shipped_one() -> None:
    own = Exercise(
        slug="clinic-wall-sit",
        name="Wall sit",
        regions=frozenset({Region.LUMBAR}),
        phases=frozenset({3}),
        aims=frozenset({"strength"}),  # type: ignore[arg-type]
        dosage=Dosage(sets=3, hold_seconds=20, per_week=3),
        instructions=("Slide down the wall until your knees are half bent; hold.",),
        progression="goblet-squat",
    )

    extended = shipped_library().extended([own])

    assert "clinic-wall-sit" in extended
    assert len(extended) == len(shipped_library()) + 1


def test_an_exercise_with_unknown_vocabulary_is_refused() -> None:
    row = {
        "slug": "odd-one",
        "name": "Odd one",
        "regions": ["lumbar"],
        "phases": [2],
        "aims": ["strength"],
        "dosage": {"sets": 1, "reps": 5, "per_day": 1},
        "steps": ["Move."],
        "avoid_with": ["being_tired"],
    }

    with pytest.raises(LibraryError, match="unknown avoid_with being_tired"):
        exercise_from_mapping(row)
    with pytest.raises(LibraryError, match="'Pilates'"):
        exercise_from_mapping({**row, "avoid_with": [], "aims": ["Pilates"]})
    with pytest.raises(LibraryError, match="missing 'steps'"):
        exercise_from_mapping({k: v for k, v in row.items() if k != "steps"})
