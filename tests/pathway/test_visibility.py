"""What each role may see: clinicians and managers the clinical record, receptionists
demographics only, referrers only the patients they referred."""

import pytest

from facetcare.errors import Forbidden
from facetcare.pathway.selectors import (
    get_assessment,
    get_episode,
    list_assessments,
    list_episodes,
)
from facetcare.pathway.services import open_episode
from facetcare.patients.records import get_patient
from tests.factories import make_patient
from tests.pathway.world import ClinicalWorld, assess, bare_episode


def test_a_receptionist_cannot_read_an_assessment(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw))

    with pytest.raises(Forbidden):
        get_assessment(assessment_id=assessment.pk, acting_user=cw.receptionist)
    with pytest.raises(Forbidden):
        list_episodes(patient_id=cw.patient.pk, acting_user=cw.receptionist)


def test_a_receptionist_can_read_demographics(cw: ClinicalWorld) -> None:
    assert get_patient(patient_id=cw.patient.pk, acting_user=cw.receptionist) == cw.patient


@pytest.mark.parametrize("role", ["physio", "consultant", "manager"])
def test_clinicians_and_managers_read_the_clinical_record(cw: ClinicalWorld, role: str) -> None:
    episode = bare_episode(cw)
    assessment = assess(cw, episode)
    user = getattr(cw, role)

    assert get_assessment(assessment_id=assessment.pk, acting_user=user) == assessment
    assert list_assessments(episode=episode, acting_user=user) == [assessment]


def test_a_referrer_sees_only_the_episodes_they_referred(cw: ClinicalWorld) -> None:
    theirs = bare_episode(cw, referrer=cw.referrer)
    other = bare_episode(cw)
    assessment = assess(cw, theirs)

    assert list_episodes(patient_id=cw.patient.pk, acting_user=cw.referrer) == [theirs]
    assert get_assessment(assessment_id=assessment.pk, acting_user=cw.referrer) == assessment
    with pytest.raises(Forbidden):
        get_episode(episode_id=other.pk, acting_user=cw.referrer)


def test_a_referrer_cannot_see_a_patient_they_did_not_refer(cw: ClinicalWorld) -> None:
    stranger = make_patient(first_name="Kim", email="kim@example.org")
    bare_episode(cw, patient=stranger)

    with pytest.raises(Forbidden):
        get_patient(patient_id=stranger.pk, acting_user=cw.referrer)
    assert list_episodes(patient_id=stranger.pk, acting_user=cw.referrer) == []


def test_a_referrer_opening_an_episode_is_recorded_as_its_referrer(cw: ClinicalWorld) -> None:
    episode = open_episode(
        patient=cw.patient,
        region="lumbar",
        side="left",
        referral_source="solicitor",
        acting_user=cw.referrer,
        referrer=cw.physio,
    )

    assert episode.referrer == cw.referrer
    assert episode.policy_pack_id == "uk_nice_ng59_clinic"
    assert episode.policy_pack_version
    assert get_patient(patient_id=cw.patient.pk, acting_user=cw.referrer) == cw.patient


def test_an_episode_with_an_unknown_policy_pack_is_refused_naming_the_field(
    cw: ClinicalWorld,
) -> None:
    from facetcare.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        open_episode(
            patient=cw.patient, region="lumbar", side="left", referral_source="gp",
            acting_user=cw.physio, policy_pack_id="no_such_pack",
        )  # fmt: skip
    assert error.value.field == "policy_pack_id"
    assert not cw.patient.episodes.exists()
