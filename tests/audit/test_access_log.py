"""Every read and write of a patient's record is logged, and managers can search the log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from facetcare.audit.context import access_path
from facetcare.audit.models import AccessLogEntry
from facetcare.audit.selectors import search_access_log
from facetcare.errors import Forbidden, InvalidInput
from facetcare.pathway.selectors import get_assessment, get_episode, list_episodes
from facetcare.pathway.services import amend_assessment
from facetcare.patients.records import get_patient, record_consent
from tests.pathway.world import ClinicalWorld, assess, bare_episode


def _entries(cw: ClinicalWorld) -> list[tuple[str, str, str]]:
    return [
        (e.user.username, e.action, e.object_type)
        for e in AccessLogEntry.objects.filter(patient=cw.patient).order_by("id")
    ]


def test_a_write_and_a_read_are_both_logged_with_user_and_path(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw, "assessed")
    with access_path("/staff/episodes/1/assessments/new/"):
        assessment = assess(cw, episode)
    get_assessment(assessment_id=assessment.pk, acting_user=cw.consultant)

    create, read = AccessLogEntry.objects.filter(patient=cw.patient).order_by("id")
    assert (create.user, create.action, create.object_type) == (cw.physio, "create", "assessment")
    assert create.path == "/staff/episodes/1/assessments/new/"
    assert create.object_id == assessment.pk
    assert (read.user, read.action, read.object_id) == (cw.consultant, "read", assessment.pk)


def test_an_amendment_is_logged_as_an_amend(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw, "assessed"))

    amend_assessment(
        assessment=assessment, changes={"plan": "MBB C5-6"}, reason="plan", acting_user=cw.physio
    )

    assert _entries(cw)[-1] == (cw.physio.username, "amend", "assessment")


def test_reads_of_episodes_demographics_and_consents_are_logged(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw)
    get_episode(episode_id=episode.pk, acting_user=cw.manager)
    list_episodes(patient_id=cw.patient.pk, acting_user=cw.manager)
    get_patient(patient_id=cw.patient.pk, acting_user=cw.receptionist)
    record_consent(patient=cw.patient, kind="treatment", given=True, acting_user=cw.receptionist)

    assert _entries(cw) == [
        (cw.manager.username, "read", "episode"),
        (cw.manager.username, "read", "episode_list"),
        (cw.receptionist.username, "read", "patient"),
        (cw.receptionist.username, "create", "consent"),
    ]


def test_a_refused_read_is_not_served(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw, "assessed"))

    with pytest.raises(Forbidden):
        get_assessment(assessment_id=assessment.pk, acting_user=cw.receptionist)
    assert (cw.receptionist.username, "read", "assessment") not in _entries(cw)


def test_managers_search_the_log_by_user_patient_action_and_dates(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw)
    get_episode(episode_id=episode.pk, acting_user=cw.physio)
    get_episode(episode_id=episode.pk, acting_user=cw.consultant)
    assess(cw, episode)
    today = timezone.localdate()

    by_user = search_access_log(acting_user=cw.manager, user_id=cw.consultant.pk)
    reads = search_access_log(acting_user=cw.manager, patient_id=cw.patient.pk, action="read")
    in_range = search_access_log(acting_user=cw.manager, date_from=today, date_to=today)
    tomorrow = search_access_log(acting_user=cw.manager, date_from=today + timedelta(days=1))

    assert [e.user for e in by_user] == [cw.consultant]
    assert {e.user for e in reads} == {cw.physio, cw.consultant}
    assert in_range.count() == AccessLogEntry.objects.count()
    assert not tomorrow.exists()


def test_only_managers_may_search_the_log(cw: ClinicalWorld) -> None:
    with pytest.raises(Forbidden):
        search_access_log(acting_user=cw.consultant)


def test_a_search_with_an_unknown_action_names_the_field(cw: ClinicalWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        search_access_log(acting_user=cw.manager, action="delete")
    assert error.value.field == "action"
