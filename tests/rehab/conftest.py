"""Fixtures for the rehabilitation app: the pathway's small clinical world, an episode
after a cervical facet injection, and a patient's portal account."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from facetcare.pathway.models import Episode, ProcedureRecord
from facetcare.pathway.procedures import record_procedure
from facetcare.patients.models import Patient
from facetcare.portal.models import PortalAccount
from facetcare.rehab.models import Programme
from facetcare.rehab.services import start_programme
from tests.pathway.world import (
    ClinicalWorld,
    assess,
    bare_episode,
    cw,
    make_appointment,
    procedure_details,
)

__all__ = ["cw"]

# A Tuesday in March; London is on GMT, so the local date is the UTC date.
INJECTED_AT = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)
INJECTED_ON = date(2027, 3, 2)


def injected(cw: ClinicalWorld, **assessment: Any) -> tuple[Episode, ProcedureRecord]:
    """An assessed cervical episode with a therapeutic facet injection on 2 March 2027."""
    episode = bare_episode(cw, "procedure_considered")
    assess(cw, episode, **assessment)
    procedure = record_procedure(
        episode=episode,
        appointment=make_appointment(cw, INJECTED_AT),
        details=procedure_details(),
        acting_user=cw.consultant,
    )
    return episode, procedure


def start_after_injection(cw: ClinicalWorld, **changes: Any) -> Programme:
    episode, procedure = injected(cw)
    values: dict[str, Any] = {
        "episode": episode,
        "pathway": "post_injection",
        "procedure": procedure,
        "started_on": procedure.performed_on,
        "goals": ["Turn my head to reverse the car"],
        "cautions": [],
        "clinic": cw.clinic,
        "acting_user": cw.physio,
    }
    return start_programme(**(values | changes))


def portal_user(patient: Patient, username: str = "patient") -> User:
    user = User.objects.create_user(username=username)
    PortalAccount.objects.create(patient=patient, user=user, created_at=timezone.now())
    return user


@pytest.fixture
def programme(cw: ClinicalWorld) -> Programme:
    return start_after_injection(cw)
