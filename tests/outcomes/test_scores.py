"""Recording pain scores: validation naming the field, nothing half-written, who may."""

from datetime import UTC, datetime, timedelta

import pytest

from facetcare.errors import Forbidden, InvalidInput
from facetcare.outcomes.models import PainScore
from facetcare.outcomes.services import record_pain_score
from facetcare.portal.models import PortalAccount
from tests.factories import make_patient
from tests.outcomes.world import at_local
from tests.pathway.world import ClinicalWorld, open_cervical_episode

NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)


def _record(cw: ClinicalWorld, **changes: object) -> PainScore:
    values: dict[str, object] = {
        "patient": cw.patient,
        "value": 6,
        "recorded_at": NOW - timedelta(hours=1),
        "acting_user": cw.physio,
        "source": "clinician",
        "now": NOW,
    }
    return record_pain_score(**(values | changes))  # type: ignore[arg-type]


def test_a_clinician_records_a_score_against_the_open_episode(cw: ClinicalWorld) -> None:
    episode = open_cervical_episode(cw)
    score = _record(cw)
    assert (score.value, score.scale, score.loinc, score.source) == (
        6,
        "NRS-11",
        "72514-3",
        "clinician",
    )
    assert (score.episode, score.region) == (episode, "cervical")
    assert score.recorded_at == NOW - timedelta(hours=1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": 11}, "value"),
        ({"value": -1}, "value"),
        ({"value": "5"}, "value"),
        ({"value": True}, "value"),
        ({"value": 101, "scale": "VAS-100"}, "value"),
        ({"scale": "VAS-10"}, "scale"),
        ({"recorded_at": NOW + timedelta(hours=1)}, "recorded_at"),
        ({"recorded_at": "yesterday"}, "recorded_at"),
        ({"recorded_at": datetime(2026, 3, 29, 1, 30)}, "recorded_at"),  # skipped hour in London
        ({"source": "robot"}, "source"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    cw: ClinicalWorld, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        _record(cw, **changes)
    assert raised.value.field == field
    assert not PainScore.objects.exists()


def test_a_score_for_another_patients_episode_is_refused(cw: ClinicalWorld) -> None:
    other = open_cervical_episode(cw, patient=make_patient(first_name="Ada"))
    with pytest.raises(InvalidInput) as raised:
        _record(cw, episode=other)
    assert raised.value.field == "episode"
    assert not PainScore.objects.exists()


def test_a_local_time_without_offset_is_read_in_the_clinics_zone(cw: ClinicalWorld) -> None:
    score = _record(cw, recorded_at=datetime(2026, 6, 10, 8, 0))
    assert score.recorded_at == at_local(NOW.date(), 8)  # 07:00 UTC in BST


def test_a_receptionist_may_not_record_a_score(cw: ClinicalWorld) -> None:
    with pytest.raises(Forbidden):
        _record(cw, acting_user=cw.receptionist)
    assert not PainScore.objects.exists()


def test_a_patient_records_their_own_score_but_not_anothers(cw: ClinicalWorld) -> None:
    from django.contrib.auth.models import User

    user = User.objects.create_user("portal-robin")
    PortalAccount.objects.create(patient=cw.patient, user=user, created_at=NOW)
    own = _record(cw, acting_user=user, source="patient")
    assert own.recorded_by == user
    with pytest.raises(Forbidden):
        _record(cw, acting_user=user, source="clinician")
    with pytest.raises(Forbidden):
        _record(cw, patient=make_patient(first_name="Ada"), acting_user=user, source="patient")
    assert PainScore.objects.count() == 1
