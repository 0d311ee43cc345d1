"""Planning a programme from a template, the patient's goals and cautions, and moving it on."""

from datetime import date

import pytest

from facetcare.core.rehab import (
    Aim,
    Dosage,
    Exercise,
    ExerciseLibrary,
    PlanningError,
    Region,
    advance_phase,
    get_template,
    phase_on,
    plan_programme,
)
from facetcare.core.rehab.timing import P95_TARGET_MS, p95, planning_calls, time_planning

INJECTED = date(2027, 3, 1)


def slugs(programme, phase: int) -> list[str]:
    return [p.slug for p in programme.phase(phase).exercises]


def test_a_post_injection_programme_is_dated_from_the_injection() -> None:
    programme = plan_programme(
        get_template("thoracic", "post_injection"), goals=[], cautions=[], start=INJECTED
    )

    dates = [(p.planned_start, p.planned_end) for p in programme.phases]
    assert dates == [
        (date(2027, 3, 1), date(2027, 3, 14)),
        (date(2027, 3, 15), date(2027, 4, 11)),
        (date(2027, 4, 12), date(2027, 5, 23)),
        (date(2027, 5, 24), date(2027, 8, 29)),
    ]
    assert programme.current_phase == 1
    assert programme.phase(1).actual_start == INJECTED


def test_the_first_phase_after_an_injection_says_when_relief_usually_starts() -> None:
    after = get_template("lumbar", "post_injection").phase(1)
    without = get_template("lumbar", "conservative").phase(1)

    assert "3 to 5 days after the injection" in after.goals
    assert "injection" not in without.goals
    assert after.weeks_label == "Weeks 0 to 2"
    assert get_template("lumbar", "conservative").phase(4).weeks_label == "From week 12"


def test_the_patients_goals_choose_and_order_the_exercises() -> None:
    template = get_template("cervical", "post_injection")
    plain = plan_programme(template, goals=[], cautions=[], start=INJECTED)
    driving = plan_programme(
        template, goals=["Turn my head to reverse the car"], cautions=[], start=INJECTED
    )

    assert "gaze-head-turns" not in slugs(plain, 4)
    assert {"gaze-head-turns", "shoulder-check-practice"} <= set(slugs(driving, 4))
    first = driving.phase(1).exercises[0]
    assert first.goals == ("Turn my head to reverse the car",)
    assert {"driving", "turning_head"} & first.exercise.goal_tags


def test_golf_brings_rotation_work_into_the_later_phases() -> None:
    programme = plan_programme(
        get_template("lumbar", "conservative"),
        goals=["Play golf again"],
        cautions=[],
        start=INJECTED,
    )

    assert "golf-half-swings" in slugs(programme, 4)
    assert "band-press-anti-rotation" in slugs(programme, 3)


def test_cautions_exclude_the_exercises_they_rule_out() -> None:
    template = get_template("lumbar", "post_injection")
    plain = plan_programme(template, goals=["Sleep through the night"], cautions=[], start=INJECTED)
    fragile = plan_programme(
        template, goals=["Sleep through the night"], cautions=["osteoporosis"], start=INJECTED
    )

    assert "knee-to-chest" in slugs(plain, 1)
    assert "knee-to-chest" not in slugs(fragile, 1)
    assert fragile.shortfalls == ()


def test_the_first_day_after_an_injection_keeps_the_pool_out_of_phase_one() -> None:
    goals = ["Swim again"]
    after = plan_programme(
        get_template("lumbar", "post_injection"), goals=goals, cautions=[], start=INJECTED
    )
    without = plan_programme(
        get_template("lumbar", "conservative"), goals=goals, cautions=[], start=INJECTED
    )

    assert "pool-walking" not in slugs(after, 1)
    assert "pool-walking" in slugs(without, 1)


def test_an_aim_no_exercise_can_serve_is_reported_naming_the_cautions() -> None:
    band = Exercise(
        slug="only-strength",
        name="Only strength",
        regions=frozenset({Region.LUMBAR}),
        phases=frozenset({1, 2, 3, 4}),
        aims=frozenset(Aim),
        dosage=Dosage(reps=10, per_day=1),
        instructions=("Push.",),
        avoid_with=frozenset({"shoulder_injury"}),
    )
    library = ExerciseLibrary((band,))

    programme = plan_programme(
        get_template("lumbar", "conservative"),
        goals=[],
        cautions=["shoulder_injury"],
        start=INJECTED,
        library=library,
    )

    assert all(phase.exercises == () for phase in programme.phases)
    first = programme.shortfalls[0]
    assert (first.phase, first.aim, first.excluded_by) == (1, Aim.PAIN_RELIEF, ("shoulder_injury",))
    assert "no pain relief exercise suits (shoulder injury or painful shoulder)" in first.message
    assert len(programme.shortfalls) == sum(len(p.template.aims) for p in programme.phases)


def test_an_unknown_caution_is_refused_rather_than_ignored() -> None:
    with pytest.raises(PlanningError) as raised:
        plan_programme(
            get_template("lumbar", "conservative"),
            goals=[],
            cautions=["osteoporsis"],
            start=INJECTED,
        )

    assert raised.value.field == "cautions"
    assert "osteoporsis" in raised.value.detail


def test_a_programme_is_not_for_the_general_region() -> None:
    with pytest.raises(PlanningError) as raised:
        get_template("general", "conservative")

    assert raised.value.field == "region"


def test_a_phase_advances_when_the_review_says_so_not_by_the_calendar() -> None:
    programme = plan_programme(
        get_template("cervical", "post_injection"), goals=[], cautions=[], start=INJECTED
    )

    # Well past phase 1's planned end, the programme is still in phase 1 until reviewed.
    assert phase_on(programme, date(2027, 4, 1)) == 1
    reviewed = advance_phase(programme, reviewed_on=date(2027, 3, 20))

    assert reviewed.current_phase == 2
    assert reviewed.phase(2).actual_start == date(2027, 3, 20)
    assert reviewed.phase(2).planned_start == date(2027, 3, 15)
    assert phase_on(reviewed, date(2027, 3, 19)) == 1
    assert phase_on(reviewed, date(2027, 3, 20)) == 2
    assert phase_on(reviewed, date(2027, 2, 28)) is None


def test_a_review_cannot_predate_the_phase_or_go_past_the_last() -> None:
    programme = plan_programme(
        get_template("cervical", "post_injection"), goals=[], cautions=[], start=INJECTED
    )

    with pytest.raises(PlanningError, match="before phase 1 began"):
        advance_phase(programme, reviewed_on=date(2027, 2, 27))
    for _ in range(3):
        programme = advance_phase(programme, reviewed_on=INJECTED)
    with pytest.raises(PlanningError, match="already in its last phase"):
        advance_phase(programme, reviewed_on=INJECTED)


def test_the_timing_helper_plans_varied_programmes_and_reports_a_percentile() -> None:
    calls = planning_calls(12)
    regions = {call().template.region for call in calls}
    samples = time_planning(40)

    assert regions == {Region.CERVICAL, Region.THORACIC, Region.LUMBAR}
    assert len(samples) == 40
    assert all(sample > 0 for sample in samples)
    assert p95([float(n) for n in range(1, 101)]) == 95.0
    assert P95_TARGET_MS == 5.0
