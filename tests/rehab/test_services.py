"""Starting, changing and moving on a programme through the services, and logging exercises."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from facetcare.audit.models import AccessLogEntry, RecordVersion
from facetcare.errors import Conflict, Forbidden, InvalidInput
from facetcare.rehab import services
from facetcare.rehab.models import ExerciseLog, Programme, ProgrammeExercise, ProgrammePhase
from facetcare.rehab.selectors import list_exercises_due
from tests.factories import make_patient
from tests.pathway.world import ClinicalWorld, assess, bare_episode
from tests.rehab.conftest import INJECTED_ON, injected, portal_user, start_after_injection


def versions_of(instance) -> list[RecordVersion]:
    content_type = ContentType.objects.get_for_model(instance)
    return list(
        RecordVersion.objects.filter(content_type=content_type, object_id=instance.pk).order_by(
            "version"
        )
    )


def active_slugs(programme: Programme, number: int) -> list[str]:
    phase = programme.phases.get(number=number)
    return list(
        phase.exercises.filter(removed_at__isnull=True)
        .order_by("order")
        .values_list("exercise_slug", flat=True)
    )


def test_a_programme_after_an_injection_is_dated_from_the_procedure(cw: ClinicalWorld) -> None:
    programme = start_after_injection(cw)

    assert programme.started_on == INJECTED_ON
    assert programme.procedure is not None
    assert programme.current_phase == 1
    phases = list(programme.phases.order_by("number"))
    assert [(p.number, p.planned_start, p.planned_end) for p in phases] == [
        (1, date(2027, 3, 2), date(2027, 3, 15)),
        (2, date(2027, 3, 16), date(2027, 4, 12)),
        (3, date(2027, 4, 13), date(2027, 5, 24)),
        (4, date(2027, 5, 25), date(2027, 8, 30)),
    ]
    assert [p.actual_start for p in phases] == [INJECTED_ON, None, None, None]
    assert "3 to 5 days after the injection" in phases[0].goals
    assert all(p.exercises.count() >= 4 for p in phases)


def test_the_patients_goal_chooses_exercises_and_each_says_which_goal_it_serves(
    cw: ClinicalWorld,
) -> None:
    programme = start_after_injection(cw)

    first = programme.phases.get(number=1).exercises.order_by("order").first()
    assert first is not None
    assert first.goals == ["Turn my head to reverse the car"]
    assert programme.goals == [
        {"text": "Turn my head to reverse the car", "tags": ["driving", "turning_head"]}
    ]
    assert "shoulder-check-practice" in active_slugs(programme, 3)


def test_starting_writes_versions_and_the_access_log(cw: ClinicalWorld) -> None:
    programme = start_after_injection(cw)

    assert [v.reason for v in versions_of(programme)] == ["started"]
    exercise = ProgrammeExercise.objects.filter(phase__programme=programme).first()
    assert [v.reason for v in versions_of(exercise)] == ["planned"]
    entry = AccessLogEntry.objects.filter(object_type="programme").get()
    assert (entry.action, entry.patient_id, entry.user) == ("create", cw.patient.pk, cw.physio)


def test_cautions_exclude_the_exercises_they_rule_out(cw: ClinicalWorld) -> None:
    programme = start_after_injection(cw, cautions=["dizziness_on_neck_movement"])

    every = set(
        ProgrammeExercise.objects.filter(phase__programme=programme).values_list(
            "exercise_slug", flat=True
        )
    )
    assert not every & {"gentle-neck-turns", "full-neck-turns", "shoulder-check-practice"}
    assert programme.cautions == ["dizziness_on_neck_movement"]
    assert programme.shortfalls == []


def test_an_unknown_caution_is_refused_naming_the_field_and_nothing_is_written(
    cw: ClinicalWorld,
) -> None:
    with pytest.raises(InvalidInput) as raised:
        start_after_injection(cw, cautions=["vertigo"])

    assert raised.value.field == "cautions"
    assert not Programme.objects.exists()
    assert not ProgrammePhase.objects.exists()


def test_a_programme_after_an_injection_needs_the_injection_and_cannot_predate_it(
    cw: ClinicalWorld,
) -> None:
    episode, procedure = injected(cw)
    base = {
        "episode": episode,
        "pathway": "post_injection",
        "goals": [],
        "cautions": [],
        "clinic": cw.clinic,
        "acting_user": cw.physio,
    }

    with pytest.raises(InvalidInput) as missing:
        services.start_programme(**base, started_on=INJECTED_ON)
    with pytest.raises(InvalidInput) as early:
        services.start_programme(
            **base, procedure=procedure, started_on=INJECTED_ON - timedelta(days=1)
        )

    assert missing.value.field == "procedure"
    assert early.value.field == "started_on"
    assert not Programme.objects.exists()


def test_conservative_care_is_dated_from_the_assessment(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw, "conservative_care")
    assess(cw, episode, functional_goals=["Sit through a meeting"])

    programme = services.start_programme(
        episode=episode,
        pathway="conservative",
        started_on=date(2027, 1, 11),
        goals=["Sit through a meeting"],
        cautions=["osteoporosis"],
        clinic=cw.clinic,
        acting_user=cw.physio,
    )

    assert programme.procedure is None
    assert programme.phases.get(number=1).actual_start == date(2027, 1, 11)
    assert "injection" not in programme.phases.get(number=1).goals


def test_an_episode_holds_one_active_programme(programme: Programme, cw: ClinicalWorld) -> None:
    with pytest.raises(Conflict, match="already has an active programme"):
        services.start_programme(
            episode=programme.episode,
            pathway="conservative",
            started_on=INJECTED_ON,
            goals=[],
            cautions=[],
            clinic=cw.clinic,
            acting_user=cw.consultant,
        )


@pytest.mark.parametrize("who", ["receptionist", "manager", "referrer"])
def test_only_a_clinician_starts_a_programme(cw: ClinicalWorld, who: str) -> None:
    with pytest.raises(Forbidden):
        start_after_injection(cw, acting_user=getattr(cw, who))


def first_exercise(programme: Programme, number: int = 1) -> ProgrammeExercise:
    row = programme.phases.get(number=number).exercises.order_by("order").first()
    assert row is not None
    return row


def test_a_dose_change_keeps_the_earlier_version(programme: Programme, cw: ClinicalWorld) -> None:
    row = first_exercise(programme)
    before = row.dosage

    services.edit_programme_exercise(
        programme_exercise=row,
        acting_user=cw.physio,
        sets=3,
        reps=12,
        hold_seconds=None,
        minutes=None,
        per_day=2,
        per_week=None,
        clinician_note="Slowly, within comfort",
        reason="Tolerating well",
    )

    row.refresh_from_db()
    assert (row.sets, row.reps, row.per_day) == (3, 12, 2)
    versions = versions_of(row)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].snapshot["sets"] == before.sets
    assert versions[0].snapshot["reps"] == before.reps
    assert versions[1].reason == "Tolerating well"
    assert versions[1].changed_by == cw.physio


def test_a_dose_out_of_bounds_is_refused_naming_the_field_and_left_unchanged(
    programme: Programme, cw: ClinicalWorld
) -> None:
    row = first_exercise(programme)
    dose = {"sets": 2, "reps": 10, "hold_seconds": None, "minutes": None}

    with pytest.raises(InvalidInput) as raised:
        services.edit_programme_exercise(
            programme_exercise=row, acting_user=cw.physio, per_day=2, per_week=3, **dose
        )

    assert raised.value.field == "per_day"
    assert len(versions_of(row)) == 1


def test_a_clinician_adds_a_suitable_exercise_but_not_an_unsuitable_one(
    programme: Programme, cw: ClinicalWorld
) -> None:
    phase = programme.phases.get(number=2)

    with pytest.raises(InvalidInput, match="not an exercise for the cervical spine") as raised:
        services.add_exercise(phase=phase, exercise_slug="bridge", acting_user=cw.physio)
    assert raised.value.field == "exercise"
    with pytest.raises(InvalidInput, match="not for phase 2"):
        services.add_exercise(phase=phase, exercise_slug="gaze-head-turns", acting_user=cw.physio)

    added = services.add_exercise(
        phase=phase, exercise_slug="chin-tucks-sitting", acting_user=cw.physio
    )
    assert added.goals == ["Turn my head to reverse the car"]
    assert added.order == phase.exercises.count()
    assert (added.sets, added.reps, added.hold_seconds, added.per_day) == (1, 10, 5, 3)
    with pytest.raises(Conflict, match="already in this phase"):
        services.add_exercise(phase=phase, exercise_slug="full-neck-turns", acting_user=cw.physio)


def test_an_exercise_ruled_out_by_a_caution_cannot_be_added(cw: ClinicalWorld) -> None:
    programme = start_after_injection(cw, cautions=["dizziness_on_neck_movement"])

    with pytest.raises(InvalidInput, match="dizziness when moving the neck"):
        services.add_exercise(
            phase=programme.phases.get(number=2),
            exercise_slug="full-neck-turns",
            acting_user=cw.physio,
        )


def test_a_removed_exercise_stays_on_record_with_who_and_why(
    programme: Programme, cw: ClinicalWorld
) -> None:
    row = first_exercise(programme)

    with pytest.raises(InvalidInput) as no_reason:
        services.remove_exercise(programme_exercise=row, reason=" ", acting_user=cw.physio)
    services.remove_exercise(
        programme_exercise=row, reason="Aggravates the neck", acting_user=cw.physio
    )

    assert no_reason.value.field == "reason"
    row.refresh_from_db()
    assert (row.removed_by, row.removed_reason) == (cw.physio, "Aggravates the neck")
    assert row.exercise_slug not in active_slugs(programme, 1)
    assert versions_of(row)[-1].reason == "removed: Aggravates the neck"


def test_a_phase_moves_on_when_the_review_says_so_not_by_the_calendar(
    programme: Programme, cw: ClinicalWorld
) -> None:
    two_months_on = INJECTED_ON + timedelta(days=60)
    phase_one = set(active_slugs(programme, 1))

    due = list_exercises_due(programme=programme, day=two_months_on)
    assert {d.programme_exercise.exercise_slug for d in due} == phase_one
    programme.refresh_from_db()
    assert programme.current_phase == 1

    services.advance_phase(
        programme=programme,
        reviewed_on=INJECTED_ON + timedelta(days=20),
        note="Pain settled, full range back",
        acting_user=cw.physio,
        today=two_months_on,
    )

    programme.refresh_from_db()
    assert programme.current_phase == 2
    started = programme.phases.get(number=2)
    assert started.actual_start == INJECTED_ON + timedelta(days=20)
    assert started.planned_start == date(2027, 3, 16)
    assert started.review_note == "Pain settled, full range back"
    assert started.reviewed_by == cw.physio
    assert [v.reason for v in versions_of(programme)] == ["started", "to phase 2"]
    due = list_exercises_due(programme=programme, day=two_months_on)
    assert {d.programme_exercise.exercise_slug for d in due} == set(active_slugs(programme, 2))


@pytest.mark.parametrize(
    ("days", "note", "field"),
    [(5, "", "note"), (-1, "Early", "reviewed_on"), (61, "Tomorrow", "reviewed_on")],
)
def test_a_review_needs_a_note_and_a_date_inside_the_phase_and_not_ahead(
    programme: Programme, cw: ClinicalWorld, days: int, note: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.advance_phase(
            programme=programme,
            reviewed_on=INJECTED_ON + timedelta(days=days),
            note=note,
            acting_user=cw.physio,
            today=INJECTED_ON + timedelta(days=60),
        )

    assert raised.value.field == field
    programme.refresh_from_db()
    assert programme.current_phase == 1


def test_a_patient_logs_their_own_exercise_and_a_second_log_corrects_it(
    programme: Programme, cw: ClinicalWorld
) -> None:
    patient = portal_user(cw.patient)
    row = first_exercise(programme)
    day = INJECTED_ON + timedelta(days=3)

    first = services.log_exercise(
        programme_exercise=row, day=day, sets_done=1, acting_user=patient, today=day
    )
    again = services.log_exercise(
        programme_exercise=row, day=day, sets_done=2, acting_user=patient, today=day
    )

    assert again.pk == first.pk
    assert ExerciseLog.objects.get().sets_done == 2
    assert [v.reason for v in versions_of(again)] == ["logged", "corrected"]
    due = list_exercises_due(programme=programme, day=day)
    assert next(d for d in due if d.programme_exercise == row).done


def test_a_log_is_refused_for_a_day_to_come_or_outside_its_phase(
    programme: Programme, cw: ClinicalWorld
) -> None:
    row = first_exercise(programme)
    today = INJECTED_ON + timedelta(days=3)

    for day in (today + timedelta(days=1), INJECTED_ON - timedelta(days=1)):
        with pytest.raises(InvalidInput) as raised:
            services.log_exercise(
                programme_exercise=row, day=day, sets_done=1, acting_user=cw.physio, today=today
            )
        assert raised.value.field == "day"
    with pytest.raises(InvalidInput) as too_many:
        services.log_exercise(
            programme_exercise=row, day=today, sets_done=21, acting_user=cw.physio, today=today
        )
    assert too_many.value.field == "sets_done"
    assert not ExerciseLog.objects.exists()


def test_another_patient_or_a_receptionist_cannot_log(
    programme: Programme, cw: ClinicalWorld
) -> None:
    stranger = portal_user(make_patient(first_name="Kim", email="kim@example.org"), "kim")
    row = first_exercise(programme)

    for who in (stranger, cw.receptionist):
        with pytest.raises(Forbidden):
            services.log_exercise(
                programme_exercise=row,
                day=INJECTED_ON,
                sets_done=1,
                acting_user=who,
                today=INJECTED_ON,
            )
    assert not ExerciseLog.objects.exists()
