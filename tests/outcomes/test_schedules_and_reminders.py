"""Follow-up schedules on the record, the portal's due list, and the reminder emails."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core import mail

from facetcare.outcomes.models import DueMeasure, MeasureSchedule
from facetcare.outcomes.reminders import sweep_due_measures
from facetcare.outcomes.scheduling import schedule_after_procedure
from facetcare.outcomes.selectors import list_due_measures
from facetcare.outcomes.services import record_pain_score
from facetcare.portal.models import PortalAccount
from tests.outcomes.world import at_local, injection
from tests.pathway.world import ClinicalWorld

EVE = date(2026, 3, 28)  # the day before the clocks go forward in London


def test_a_schedule_the_day_before_the_clocks_change_has_one_score_a_day(
    cw: ClinicalWorld,
) -> None:
    schedule = schedule_after_procedure(procedure=injection(cw, EVE), acting_user=cw.consultant)
    daily = list(
        schedule.due.filter(measure="NRS-11", label__startswith="Day").values_list(
            "due_on", flat=True
        )
    )
    assert daily == [EVE + timedelta(days=k) for k in range(1, 15)]
    reminder = schedule.due.get(label="Day 1", measure="NRS-11").remind_at
    assert reminder == datetime(2026, 3, 29, 17, 0, tzinfo=UTC)  # 18:00 BST
    assert schedule_after_procedure(procedure=schedule.procedure) == schedule  # type: ignore[arg-type]


def test_the_portal_sees_what_is_due_today_and_a_score_completes_it(cw: ClinicalWorld) -> None:
    procedure = injection(cw, EVE)
    schedule_after_procedure(procedure=procedure)
    user = User.objects.create_user("portal-robin")
    PortalAccount.objects.create(patient=cw.patient, user=user, created_at=at_local(EVE, 9))
    day3 = EVE + timedelta(days=3)
    due = list_due_measures(patient_id=cw.patient.pk, acting_user=user, day=day3)
    # The baseline PSFS is open for a week; no disability measure until one is loaded.
    assert [(d.measure, d.label) for d in due] == [("PSFS", "Baseline"), ("NRS-11", "Day 3")]
    record_pain_score(
        patient=cw.patient,
        value=3,
        recorded_at=at_local(day3, 19),
        acting_user=user,
        now=at_local(day3, 20),
    )
    after = list_due_measures(patient_id=cw.patient.pk, acting_user=user, day=day3)
    assert [d.measure for d in after] == ["PSFS"]
    assert DueMeasure.objects.get(label="Day 3", measure="NRS-11").pain_score is not None


def test_due_measures_are_emailed_once_to_patients_who_take_email(cw: ClinicalWorld) -> None:
    procedure = injection(cw, EVE)
    schedule_after_procedure(procedure=procedure)
    cw.patient.contact_by_email = True
    cw.patient.save(update_fields=["contact_by_email"])
    evening = at_local(EVE + timedelta(days=2), 18, 5)
    assert sweep_due_measures(now=evening) == 1
    assert sweep_due_measures(now=evening) == 0
    (message,) = mail.outbox
    assert message.to == [cw.patient.email]
    assert "Pain score (Day 2)" in message.body
    assert "/portal/" in message.body


def test_a_patient_who_declined_email_gets_none(cw: ClinicalWorld) -> None:
    schedule_after_procedure(procedure=injection(cw, EVE))
    assert sweep_due_measures(now=at_local(EVE + timedelta(days=2), 19)) == 0
    assert mail.outbox == []


def test_recording_an_injection_gives_it_a_follow_up_schedule_once_committed(
    cw: ClinicalWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        procedure = injection(cw, EVE)

    schedule = MeasureSchedule.objects.get(procedure=procedure)
    assert schedule.due.filter(measure="NRS-11", label="Day 1").get().due_on == EVE + timedelta(
        days=1
    )
