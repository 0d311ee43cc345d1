"""The demo's programmes: dated from the injection of each case that had one, moved on at
reviews, loaded once, and cleared by a reset."""

from datetime import timedelta

import pytest
from django.utils import timezone

from facetcare.demo.loader import Loaded, load_demo
from facetcare.demo.rehab import load_programmes, programme_links, wipe_programmes
from facetcare.patients.models import Patient
from facetcare.rehab.models import ExerciseLog, Programme, ProgrammePhase

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> Loaded:
    return load_demo()


def test_the_case_with_injections_gets_a_programme_dated_from_its_latest(loaded: Loaded) -> None:
    now = timezone.now()
    patient = Patient.objects.get(last_name="Birtwistle")

    assert loaded.summary["rehab programmes added"] == 1
    programme = Programme.objects.select_related("procedure", "patient").get()
    assert programme.patient.last_name == "Birtwistle"
    assert programme.procedure is not None
    assert programme.procedure.type == "ia_therapeutic"
    assert programme.started_on == programme.procedure.performed_on
    assert programme.region == "cervical"
    assert programme.goal_texts == [
        "Turn my head to reverse the car",
        "Work a full day at the screen",
    ]
    # About ninety days on, the reviews have moved it to the last phase.
    assert programme.current_phase == 4
    started = ProgrammePhase.objects.filter(programme=programme).order_by("number")
    assert [p.actual_start - p.planned_start for p in started[1:]] == [timedelta(days=2)] * 3
    assert all(p.review_note for p in started[1:])
    logs = ExerciseLog.objects.filter(programme_exercise__phase__programme=programme)
    assert logs.count() >= 10
    assert {log.recorded_by for log in logs} == {patient.portal_account.user}
    assert max(log.day for log in logs) < timezone.localdate()
    assert programme_links(loaded.cases) == [("Martin Birtwistle", programme.pk)]

    assert load_programmes(cases=loaded.cases, now=now) == 0
    assert Programme.objects.count() == 1

    wipe_programmes(Patient.objects.filter(pk=programme.patient_id))
    assert not Programme.objects.exists()
    assert not ExerciseLog.objects.exists()
