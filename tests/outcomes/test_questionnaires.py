"""Questionnaires: the patient's own PSFS, the global rating of change, and a clinic's
licensed instrument loaded from a FHIR Questionnaire file."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from facetcare.errors import Forbidden, InvalidInput
from facetcare.outcomes.models import Instrument, QuestionnaireResponse
from facetcare.outcomes.questionnaires import MAX_VALUE, MIN_VALUE
from facetcare.outcomes.selectors import get_questionnaire
from facetcare.outcomes.services import (
    load_questionnaire,
    record_global_change,
    record_psfs,
    record_questionnaire_response,
)
from tests.pathway.world import ClinicalWorld, assess, open_cervical_episode

NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)
GOALS = ["turn my head to reverse the car", "sit through a meeting"]


def _episode(cw: ClinicalWorld) -> None:
    assess(cw, open_cervical_episode(cw), functional_goals=GOALS)


def test_only_free_instruments_are_shipped(db: None) -> None:
    shipped = set(Instrument.objects.filter(shipped=True).values_list("code", flat=True))
    assert shipped == {"NRS-11", "PSFS", "GROC"}
    assert Instrument.objects.get(code="NRS-11").loinc == "72514-3"


def test_the_psfs_asks_about_the_patients_own_goals(cw: ClinicalWorld) -> None:
    _episode(cw)
    view = get_questionnaire(patient_id=cw.patient.pk, measure="PSFS", acting_user=cw.physio)
    assert [question.text for question in view.questions] == GOALS
    response = record_psfs(
        patient=cw.patient,
        answers={"activity-1": 3, "activity-2": 6},
        answered_at=NOW,
        acting_user=cw.physio,
        source="clinician",
        now=NOW,
    )
    assert response.total == Decimal("4.50")
    assert response.answers[0] == {"linkId": "activity-1", "text": GOALS[0], "value": 3}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"activity-1": 3}, "answers.activity-2"),
        ({"activity-1": 11, "activity-2": 2}, "answers.activity-1"),
        ({"activity-1": 1, "activity-2": 2, "activity-9": 2}, "answers.activity-9"),
    ],
)
def test_a_bad_psfs_answer_names_the_question(
    cw: ClinicalWorld, answers: dict[str, int], field: str
) -> None:
    _episode(cw)
    with pytest.raises(InvalidInput) as raised:
        record_psfs(
            patient=cw.patient, answers=answers, answered_at=NOW, acting_user=cw.physio, now=NOW
        )
    assert raised.value.field == field
    assert not QuestionnaireResponse.objects.exists()


def test_the_global_rating_of_change_takes_1_to_7(cw: ClinicalWorld) -> None:
    _episode(cw)
    response = record_global_change(
        patient=cw.patient, value=2, answered_at=NOW, acting_user=cw.physio, now=NOW
    )
    assert response.answers[0]["value"] == 2
    with pytest.raises(InvalidInput) as raised:
        record_global_change(
            patient=cw.patient, value=8, answered_at=NOW, acting_user=cw.physio, now=NOW
        )
    assert raised.value.field == "answers.change"


ODI_LIKE = {
    "resourceType": "Questionnaire",
    "title": "Clinic's licensed back disability questionnaire",
    "item": [
        {
            "linkId": f"s{n}",
            "text": f"Section {n}",
            "type": "choice",
            "required": True,
            "answerOption": [
                {"valueCoding": {"code": str(v), "display": f"{v}"}} for v in range(6)
            ],
        }
        for n in range(1, 4)
    ],
}


def test_a_manager_loads_a_licensed_questionnaire_and_it_is_scored(cw: ClinicalWorld) -> None:
    _episode(cw)
    load_questionnaire(
        resource=ODI_LIKE,
        code="ODI",
        kind="disability",
        scoring="percent",
        licence="Licensed from the rights holder, agreement 2026-01",
        acting_user=cw.manager,
    )
    response = record_questionnaire_response(
        patient=cw.patient,
        instrument_code="ODI",
        answers={"s1": 5, "s2": 2, "s3": 2},
        answered_at=NOW,
        acting_user=cw.physio,
        now=NOW,
    )
    assert response.total == Decimal("60.00")


@pytest.mark.parametrize(
    "broken",
    [
        {"resourceType": "Patient", "title": "x", "item": []},
        {**ODI_LIKE, "item": [{"linkId": "a", "text": "A", "type": "choice"}]},
        {**ODI_LIKE, "item": [{"linkId": "a", "text": "A", "type": "integer"}]},
        {**ODI_LIKE, "item": [ODI_LIKE["item"][0], ODI_LIKE["item"][0]]},
        {**ODI_LIKE, "item": [{"linkId": "a", "type": "integer", "extension": [
            {"url": MIN_VALUE, "valueInteger": 0}, {"url": MAX_VALUE, "valueInteger": 4}]}]},
    ],
)  # fmt: skip
def test_a_questionnaire_of_the_wrong_shape_is_refused(cw: ClinicalWorld, broken: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        load_questionnaire(
            resource=broken, code="X", kind="other", licence="ours", acting_user=cw.manager
        )
    assert raised.value.field == "resource"
    assert not Instrument.objects.filter(code="X").exists()


def test_only_a_manager_loads_one_and_a_shipped_one_stays(cw: ClinicalWorld) -> None:
    with pytest.raises(Forbidden):
        load_questionnaire(
            resource=ODI_LIKE, code="ODI", kind="disability", licence="x", acting_user=cw.physio
        )
    with pytest.raises(InvalidInput) as raised:
        load_questionnaire(
            resource=ODI_LIKE, code="PSFS", kind="function", licence="x", acting_user=cw.manager
        )
    assert raised.value.field == "code"


def test_the_command_loads_a_file_and_reports_a_bad_one(db: None, tmp_path: Path) -> None:
    good = tmp_path / "odi.json"
    good.write_text(json.dumps(ODI_LIKE), encoding="utf-8")
    call_command(
        "outcomes",
        "load-questionnaire",
        str(good),
        "--code",
        "ODI",
        "--kind",
        "disability",
        "--licence",
        "ours",
    )
    assert Instrument.objects.get(code="ODI").shipped is False
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"resourceType": "Questionnaire"}), encoding="utf-8")
    with pytest.raises(CommandError, match="title"):
        call_command(
            "outcomes",
            "load-questionnaire",
            str(bad),
            "--code",
            "B",
            "--kind",
            "other",
            "--licence",
            "ours",
        )
