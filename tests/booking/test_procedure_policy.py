"""Booking a procedure goes through the clinical policy gate: a 4th steroid injection in
six months (public case PC-38) is refused at booking, and booked once a consultant has
overridden the decision with a reason."""

from datetime import UTC, datetime
from typing import Any

import pytest

from facetcare.booking.models import Appointment
from facetcare.booking.services import book_appointment, reschedule_appointment
from facetcare.errors import Forbidden, PolicyRefused
from facetcare.pathway.procedures import record_policy_override
from facetcare.pathway.services import plan_procedure
from tests.pathway.test_facts import build_pc38_history, public_case
from tests.pathway.world import ClinicalWorld, cw

__all__ = ["cw"]

# PC-38's request date, 10:00 in London (GMT in January); "now" is the day before.
START = datetime(2026, 1, 20, 10, tzinfo=UTC)
NOW = datetime(2026, 1, 19, 9, tzinfo=UTC)


@pytest.fixture
def planned(cw: ClinicalWorld) -> Any:
    episode = build_pc38_history(cw)
    episode.state = "procedure_considered"
    episode.save()
    request = public_case("PC-38")["facts"]["request"]
    plan = {k: v for k, v in request.items() if k not in {"type", "region", "date"}}
    return plan_procedure(episode=episode, plan=plan, acting_user=cw.consultant)


def _book(cw: ClinicalWorld, start: datetime = START) -> Any:
    return book_appointment(
        service=cw.injection,
        clinic=cw.clinic,
        practitioner=cw.consultant_practitioner,
        start=start,
        patient=cw.patient,
        channel=Appointment.Channel.STAFF,
        booked_by=cw.receptionist,
        now=NOW,
    )


def test_it_refuses_to_book_a_fourth_steroid_injection_in_six_months(
    cw: ClinicalWorld, planned: Any
) -> None:
    before = Appointment.objects.count()

    with pytest.raises(PolicyRefused) as refused:
        _book(cw)

    assert "UK-STER-01" in refused.value.detail
    assert refused.value.field == "service"
    assert Appointment.objects.count() == before


def test_it_books_the_injection_once_a_consultant_overrides_with_a_reason(
    cw: ClinicalWorld, planned: Any
) -> None:
    record_policy_override(
        episode=planned,
        requested=public_case("PC-38")["facts"]["request"],
        reason="Severe flare; MDT agreed a final injection before RF review",
        acting_user=cw.consultant,
    )

    result = _book(cw)

    assert result.appointment.service == cw.injection
    assert result.appointment.start == START


def test_a_procedure_booked_by_no_one_signed_in_is_refused(cw: ClinicalWorld, planned: Any) -> None:
    with pytest.raises(Forbidden, match="Sign in"):
        book_appointment(
            service=cw.injection,
            clinic=cw.clinic,
            practitioner=cw.consultant_practitioner,
            start=START,
            patient=cw.patient,
            channel=Appointment.Channel.STAFF,
            now=NOW,
        )


def test_rescheduling_a_procedure_checks_the_policy_again(cw: ClinicalWorld, planned: Any) -> None:
    override = record_policy_override(
        episode=planned,
        requested=public_case("PC-38")["facts"]["request"],
        reason="Severe flare; MDT agreed a final injection before RF review",
        acting_user=cw.consultant,
    )
    booked = _book(cw).appointment
    # The override no longer stands (as when its pack version is superseded).
    override.delete()

    with pytest.raises(PolicyRefused):
        reschedule_appointment(
            appointment=booked,
            new_start=datetime(2026, 1, 21, 10, tzinfo=UTC),
            by_user=cw.receptionist,
            now=NOW,
        )

    booked.refresh_from_db()
    assert booked.status == Appointment.Status.BOOKED
