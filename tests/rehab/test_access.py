"""Who may read a programme through the selectors, and that every read is logged."""

import pytest

from facetcare.audit.models import AccessLogEntry
from facetcare.errors import Forbidden, NotFound
from facetcare.rehab.models import Programme
from facetcare.rehab.selectors import get_current_programme, get_programme, list_exercises_due
from tests.factories import make_patient
from tests.pathway.world import ClinicalWorld
from tests.rehab.conftest import INJECTED_ON, portal_user


@pytest.mark.parametrize("who", ["physio", "consultant", "manager"])
def test_clinicians_and_managers_read_a_programme_and_the_read_is_logged(
    programme: Programme, cw: ClinicalWorld, who: str
) -> None:
    user = getattr(cw, who)

    assert get_programme(programme_id=programme.pk, acting_user=user) == programme
    entry = AccessLogEntry.objects.filter(action="read", object_type="programme").get()
    assert (entry.user, entry.patient_id, entry.object_id) == (user, cw.patient.pk, programme.pk)


@pytest.mark.parametrize("who", ["receptionist", "referrer"])
def test_a_receptionist_or_referrer_cannot_read_a_programme(
    programme: Programme, cw: ClinicalWorld, who: str
) -> None:
    user = getattr(cw, who)

    with pytest.raises(Forbidden):
        get_programme(programme_id=programme.pk, acting_user=user)
    with pytest.raises(Forbidden):
        get_current_programme(patient_id=cw.patient.pk, acting_user=user)


def test_a_patient_reads_their_own_current_programme_and_no_one_elses(
    programme: Programme, cw: ClinicalWorld
) -> None:
    own = portal_user(cw.patient)
    stranger = portal_user(make_patient(first_name="Kim", email="kim@example.org"), "kim")

    found = get_current_programme(patient_id=cw.patient.pk, acting_user=own)

    assert found == programme
    assert [p.number for p in found.phases.all()] == [1, 2, 3, 4]
    with pytest.raises(Forbidden):
        get_current_programme(patient_id=cw.patient.pk, acting_user=stranger)
    with pytest.raises(Forbidden):
        get_programme(programme_id=programme.pk, acting_user=stranger)
    assert AccessLogEntry.objects.filter(user=own, action="read").count() == 1


def test_a_patient_without_a_programme_gets_none(cw: ClinicalWorld) -> None:
    assert get_current_programme(patient_id=cw.patient.pk, acting_user=cw.physio) is None


def test_an_unknown_programme_is_not_found(cw: ClinicalWorld) -> None:
    with pytest.raises(NotFound):
        get_programme(programme_id=999_999, acting_user=cw.physio)


def test_the_exercises_due_carry_their_card_and_the_weeks_count(
    programme: Programme, cw: ClinicalWorld, django_assert_max_num_queries
) -> None:
    found = get_current_programme(patient_id=cw.patient.pk, acting_user=cw.physio)
    assert found is not None

    with django_assert_max_num_queries(2):
        due = list_exercises_due(programme=found, day=INJECTED_ON)

    assert len(due) >= 4
    first = due[0]
    assert first.card.name
    assert first.card.steps
    assert first.card.dose.endswith(("a day", "a week"))
    assert first.log is None
    assert not first.done
    assert first.days_done_this_week == 0
    assert list_exercises_due(programme=found, day=INJECTED_ON.replace(day=1)) == []
