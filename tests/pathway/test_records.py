"""Assessments and procedures: recorded with their screen and consent, amended without
losing the earlier version."""

from datetime import UTC, datetime

import pytest

from facetcare.audit.selectors import list_versions
from facetcare.errors import Conflict, Forbidden, InvalidInput
from facetcare.pathway.procedures import record_procedure, record_procedure_response
from facetcare.pathway.selectors import get_record_history, red_flag_banners
from facetcare.pathway.services import amend_assessment, plan_procedure
from tests.pathway.world import (
    ClinicalWorld,
    assess,
    bare_episode,
    make_appointment,
    procedure_details,
)


def test_an_assessment_moves_a_referred_episode_to_assessed(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw, "referred")

    assessment = assess(cw, episode)

    episode.refresh_from_db()
    assert episode.state == "assessed"
    assert assessment.assessed_by.user == cw.physio
    assert [v.version for v in list_versions(instance=assessment)] == [1]


def test_an_amendment_keeps_the_earlier_version_with_who_and_when(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw))

    amend_assessment(
        assessment=assessment,
        changes={"nrs_pain": 4, "impression": "improving"},
        reason="patient re-scored after the weekend",
        acting_user=cw.consultant,
    )

    assessment.refresh_from_db()
    assert assessment.nrs_pain == 4
    first, second = list_versions(instance=assessment)
    assert (first.version, first.snapshot["nrs_pain"], first.changed_by) == (1, 7, cw.physio)
    assert (second.version, second.snapshot["nrs_pain"]) == (2, 4)
    assert second.changed_by == cw.consultant
    assert second.reason == "patient re-scored after the weekend"
    assert second.changed_at >= first.changed_at


def test_an_amendment_needs_a_reason(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw))

    with pytest.raises(InvalidInput, match="why"):
        amend_assessment(
            assessment=assessment, changes={"nrs_pain": 3}, reason=" ", acting_user=cw.physio
        )
    assert len(list_versions(instance=assessment)) == 1


def test_a_red_flag_in_the_assessment_raises_the_cauda_equina_banner(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw), red_flags=["saddle_anaesthesia"])

    [banner] = red_flag_banners(assessment)
    assert banner.action.startswith("Emergency: same-day referral")


def test_an_unknown_red_flag_code_is_refused_naming_the_field(cw: ClinicalWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        assess(cw, bare_episode(cw), red_flags=["sore_back"])
    assert error.value.field == "red_flags"


def test_an_nrs_above_ten_is_refused_naming_the_field(cw: ClinicalWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        assess(cw, bare_episode(cw), nrs_pain=11)
    assert error.value.field == "nrs_pain"


def test_a_receptionist_cannot_record_an_assessment(cw: ClinicalWorld) -> None:
    from facetcare.pathway.services import record_assessment

    with pytest.raises(Forbidden):
        record_assessment(episode=bare_episode(cw), details={}, acting_user=cw.receptionist)


def test_a_procedure_is_recorded_on_the_clinic_local_date_of_its_appointment(
    cw: ClinicalWorld,
) -> None:
    episode = bare_episode(cw, "procedure_considered")
    # 23:30 UTC on 28 June is 00:30 on 29 June in London (BST).
    appointment = make_appointment(cw, datetime(2026, 6, 28, 23, 30, tzinfo=UTC))

    record = record_procedure(
        episode=episode,
        appointment=appointment,
        details=procedure_details(),
        acting_user=cw.consultant,
    )

    assert str(record.performed_on) == "2026-06-29"
    assert record.operator == cw.consultant_practitioner
    episode.refresh_from_db()
    assert episode.state == "procedure"


def test_it_refuses_a_procedure_without_consent(cw: ClinicalWorld) -> None:
    appointment = make_appointment(cw, datetime(2026, 6, 1, 9, tzinfo=UTC))

    with pytest.raises(InvalidInput, match="without consent"):
        record_procedure(
            episode=bare_episode(cw, "procedure_considered"),
            appointment=appointment,
            details=procedure_details(consent_obtained=False),
            acting_user=cw.consultant,
        )


def test_it_refuses_a_procedure_whose_consent_left_out_a_risk(cw: ClinicalWorld) -> None:
    appointment = make_appointment(cw, datetime(2026, 6, 1, 9, tzinfo=UTC))
    risks = ["numbness", "bleeding", "infection", "post_dural_puncture_headache"]

    with pytest.raises(InvalidInput, match="nerve_injury_with_weakness, steroid_effects"):
        record_procedure(
            episode=bare_episode(cw, "procedure_considered"),
            appointment=appointment,
            details=procedure_details(risks_discussed=risks),
            acting_user=cw.consultant,
        )


def test_it_refuses_levels_from_the_wrong_region(cw: ClinicalWorld) -> None:
    appointment = make_appointment(cw, datetime(2026, 6, 1, 9, tzinfo=UTC))

    with pytest.raises(InvalidInput) as error:
        record_procedure(
            episode=bare_episode(cw, "procedure_considered"),
            appointment=appointment,
            details=procedure_details(levels=["L4-5"]),
            acting_user=cw.consultant,
        )
    assert error.value.field == "levels"


def test_it_refuses_an_appointment_for_another_patient(cw: ClinicalWorld) -> None:
    from tests.factories import make_patient

    appointment = make_appointment(cw, datetime(2026, 6, 1, 9, tzinfo=UTC))
    appointment.patient = make_patient(first_name="Other", email="other@example.org")
    appointment.save()

    with pytest.raises(InvalidInput, match="another patient"):
        record_procedure(
            episode=bare_episode(cw, "procedure_considered"),
            appointment=appointment,
            details=procedure_details(),
            acting_user=cw.consultant,
        )


def test_only_a_consultant_records_a_procedure_here(cw: ClinicalWorld) -> None:
    appointment = make_appointment(cw, datetime(2026, 6, 1, 9, tzinfo=UTC))

    with pytest.raises(Forbidden):
        record_procedure(
            episode=bare_episode(cw, "procedure_considered"),
            appointment=appointment,
            details=procedure_details(),
            acting_user=cw.physio,
        )


def test_the_response_is_a_new_version_of_the_procedure_record(cw: ClinicalWorld) -> None:
    record = record_procedure(
        episode=bare_episode(cw, "procedure_considered"),
        appointment=make_appointment(cw, datetime(2026, 6, 1, 9, tzinfo=UTC)),
        details=procedure_details(),
        acting_user=cw.consultant,
    )

    record_procedure_response(
        procedure=record,
        relief_percent=70,
        relief_duration_days=86,
        same_pain_scale_as_baseline=True,
        acting_user=cw.physio,
    )

    history = get_record_history(record=record, acting_user=cw.manager)
    assert [v.snapshot["relief_percent"] for v in history] == [None, 70]
    assert history[1].changed_by == cw.physio


def test_a_procedure_plan_has_canonical_levels_and_is_versioned(cw: ClinicalWorld) -> None:
    episode = plan_procedure(
        episode=bare_episode(cw, "procedure_considered"),
        plan={"levels": ["c5-c6"], "steroid_mg_mpde": 40},
        acting_user=cw.consultant,
    )

    assert episode.procedure_plan == {"levels": ["C5-6"], "side": "right", "steroid_mg_mpde": 40}
    assert list_versions(instance=episode).last().snapshot["procedure_plan"]["levels"] == ["C5-6"]


def test_a_procedure_plan_must_state_the_steroid_dose(cw: ClinicalWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        plan_procedure(
            episode=bare_episode(cw, "procedure_considered"),
            plan={"levels": ["C5-6"]},
            acting_user=cw.consultant,
        )
    assert error.value.field == "steroid_mg_mpde"


def test_a_closed_episode_takes_no_new_assessment(cw: ClinicalWorld) -> None:
    with pytest.raises(Conflict, match="closed"):
        assess(cw, bare_episode(cw, "discharged"))
