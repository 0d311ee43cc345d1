"""The patient's care in the portal: today's exercises and pain score, the programme by
phase and its handout, the pain chart and the questionnaires due, all of their own."""

from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from facetcare.audit.models import AccessLogEntry
from facetcare.outcomes.models import DueMeasure, PainScore, QuestionnaireResponse
from facetcare.rehab.models import ExerciseLog
from tests.factories import make_patient
from tests.pathway.world import ClinicalWorld
from tests.portal.care import GOALS, InCare, injected_days_ago
from tests.portal.support import patient_with_account, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def care(cw: ClinicalWorld) -> InCare:
    return injected_days_ago(cw, 3)


@pytest.fixture
def other(cw: ClinicalWorld) -> InCare:
    """Another patient of the same clinic, in the same kind of care."""
    patient = make_patient(first_name="Ola", last_name="Berg", email="ola@example.org")
    return injected_days_ago(cw, 5, patient=patient)


def test_today_shows_the_exercises_due_with_their_steps_and_dose(care: InCare) -> None:
    response = signed_in(care.account).get("/portal/")

    page = response.text
    exercises = care.exercises_today()
    assert exercises
    for row in exercises:
        assert f'id="exercise-{row.pk}"' in page
        assert f'action="/portal/exercises/{row.pk}/log/"' in page
    due = response.context["plan"].exercises
    assert due[0].card.name in page
    assert due[0].card.dose in page
    assert due[0].card.steps[0] in page


def test_ticking_an_exercise_logs_the_whole_dose_for_today_as_the_patient(care: InCare) -> None:
    client = signed_in(care.account)
    row = care.exercises_today()[0]

    response = client.post(f"/portal/exercises/{row.pk}/log/", {"done": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/portal/#exercise-{row.pk}"
    log = ExerciseLog.objects.get(programme_exercise=row)
    assert log.sets_done == row.sets
    assert log.recorded_by == care.account.user
    page = client.get("/portal/").text
    assert "Done today" in page


def test_unticking_records_it_as_not_done(care: InCare) -> None:
    client = signed_in(care.account)
    row = care.exercises_today()[0]
    client.post(f"/portal/exercises/{row.pk}/log/", {"done": "1"})

    client.post(f"/portal/exercises/{row.pk}/log/", {"done": "0"})

    assert ExerciseLog.objects.get(programme_exercise=row).sets_done == 0
    assert "Done today" not in client.get("/portal/").text


def test_with_htmx_the_tick_swaps_the_exercise_card_in_place(care: InCare) -> None:
    row = care.exercises_today()[0]

    response = signed_in(care.account).post(
        f"/portal/exercises/{row.pk}/log/", {"done": "1"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li class="exercise done" id="exercise-{row.pk}">')
    assert "Done today" in response.text


def test_a_tick_without_a_choice_is_refused_and_logs_nothing(care: InCare) -> None:
    row = care.exercises_today()[0]

    response = signed_in(care.account).post(
        f"/portal/exercises/{row.pk}/log/", {"done": "maybe"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 422
    assert "Say whether you did it" in response.text
    assert not ExerciseLog.objects.exists()


def test_another_patients_exercise_id_is_not_found_and_nothing_is_logged(
    care: InCare, other: InCare
) -> None:
    client = signed_in(care.account)
    theirs = other.exercises_today()[0]

    for done in ("1", "0"):
        response = client.post(f"/portal/exercises/{theirs.pk}/log/", {"done": done})
        assert response.status_code == 404
    assert client.post("/portal/exercises/999999/log/", {"done": "1"}).status_code == 404
    assert not ExerciseLog.objects.exists()


def test_a_patient_id_slipped_into_a_post_changes_nothing(care: InCare, other: InCare) -> None:
    client = signed_in(care.account)
    row = care.exercises_today()[0]

    client.post(
        f"/portal/exercises/{row.pk}/log/",
        {"done": "1", "patient": other.account.patient_id, "patient_id": other.account.patient_id},
    )
    client.post("/portal/pain/", {"score": "4", "patient": other.account.patient_id})

    assert ExerciseLog.objects.get().programme_exercise.phase.programme == care.programme
    assert PainScore.objects.get().patient_id == care.account.patient_id


def test_another_patients_programme_never_shows(care: InCare, other: InCare) -> None:
    client = signed_in(care.account)

    today = client.get("/portal/")
    programme = client.get("/portal/programme/")

    theirs = {row.pk for row in other.exercises_today()}
    assert not theirs & {due.programme_exercise.pk for due in today.context["plan"].exercises}
    assert programme.context["plan"].programme == care.programme


def test_the_pain_score_due_is_offered_as_eleven_buttons(care: InCare) -> None:
    page = signed_in(care.account).get("/portal/").text

    assert "Your pain score is due" in page
    for value in range(11):
        assert f'name="score" value="{value}" aria-label="{value} out of 10"' in page


def test_recording_a_pain_score_completes_the_one_due_and_shows_on_the_chart(
    care: InCare,
) -> None:
    client = signed_in(care.account)
    assert "Your pain chart will appear here" in client.get("/portal/progress/").text

    response = client.post("/portal/pain/", {"score": "4"})

    assert response.status_code == 302
    score = PainScore.objects.get()
    assert (score.value, score.source, score.patient_id) == (4, "patient", care.account.patient_id)
    assert DueMeasure.objects.get(pain_score=score).completed_at is not None
    assert "Your pain score is due" not in client.get("/portal/").text
    chart = client.get("/portal/progress/")
    assert "<svg" in chart.text
    assert "1 pain scores" in chart.text
    assert chart.context["chart"].recent[0].value == 4


def test_with_htmx_the_pain_card_says_thank_you_in_place(care: InCare) -> None:
    response = signed_in(care.account).post(
        "/portal/pain/", {"score": "7"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "your pain score of 7 out of 10 is recorded" in response.text


@pytest.mark.parametrize("score", ["11", "-1", "seven", ""])
def test_a_score_outside_nought_to_ten_is_refused_and_nothing_is_written(
    care: InCare, score: str
) -> None:
    response = signed_in(care.account).post(
        "/portal/pain/", {"score": score}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 422
    assert "Choose a number from 0 to 10" in response.text
    assert not PainScore.objects.exists()


def test_the_programme_page_shows_every_phase_with_the_current_one_marked(care: InCare) -> None:
    response = signed_in(care.account).get("/portal/programme/")

    page = response.text
    phases = response.context["plan"].phases
    assert [phase.row.number for phase in phases] == [1, 2, 3, 4]
    assert [phase.is_current for phase in phases] == [True, False, False, False]
    assert page.count('aria-current="step"') == 1
    assert "You are here" in page
    for goal in GOALS:
        assert goal in page


def test_the_handout_is_a_pdf_with_the_clinic_the_patient_and_the_exercises(
    care: InCare, cw: ClinicalWorld
) -> None:
    response = signed_in(care.account).get("/portal/programme/handout.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert cw.clinic.name in text
    assert "Robin" in text
    for due in signed_in(care.account).get("/portal/").context["plan"].exercises:
        assert due.card.name in text
    assert AccessLogEntry.objects.filter(
        user=care.account.user, action="export", object_type="programme_handout"
    ).exists()


def test_a_patient_without_a_programme_is_told_it_will_appear(client: Client) -> None:
    account = patient_with_account()
    client = signed_in(account)

    assert "Your programme will appear here" in client.get("/portal/").text
    assert "Your programme will appear here" in client.get("/portal/programme/").text
    assert client.get("/portal/programme/handout.pdf").status_code == 404


def test_every_read_of_the_record_is_logged_as_the_patient(care: InCare) -> None:
    client = signed_in(care.account)
    client.post("/portal/pain/", {"score": "5"})
    before = AccessLogEntry.objects.count()

    for path in ("/portal/", "/portal/programme/", "/portal/progress/"):
        client.get(path)

    entries = AccessLogEntry.objects.order_by("id")[before:]
    assert {entry.user_id for entry in entries} == {care.account.user_id}
    assert {entry.patient_id for entry in entries} == {care.account.patient_id}
    read = {(entry.path, entry.object_type) for entry in entries if entry.action == "read"}
    assert ("/portal/", "programme") in read
    assert ("/portal/", "due_measures") in read
    assert ("/portal/programme/", "programme") in read
    assert ("/portal/progress/", "pain_series") in read


def test_the_psfs_due_is_answered_in_the_patients_own_words(care: InCare) -> None:
    client = signed_in(care.account)
    assert 'href="/portal/questionnaires/PSFS/"' in client.get("/portal/").text

    page = client.get("/portal/questionnaires/PSFS/")
    assert page.status_code == 200
    questions = page.context["questionnaire"].questions
    assert GOALS[0].lower() in page.text.lower()
    answers = {question.link_id: "3" for question in questions}

    saved = client.post("/portal/questionnaires/PSFS/", answers)

    assert saved.status_code == 302
    response = QuestionnaireResponse.objects.get()
    assert response.patient_id == care.account.patient_id
    assert client.get("/portal/questionnaires/PSFS/").status_code == 404, "no longer due"


def test_a_questionnaire_with_an_answer_missing_says_which(care: InCare) -> None:
    client = signed_in(care.account)
    questions = client.get("/portal/questionnaires/PSFS/").context["questionnaire"].questions

    assert len(questions) == len(GOALS)
    assert all(question.required for question in questions)

    response = client.post("/portal/questionnaires/PSFS/", {questions[0].link_id: "3"})

    assert response.status_code == 400
    assert "Choose an answer to this question" in response.text
    assert not QuestionnaireResponse.objects.exists()


def test_a_questionnaire_not_due_is_not_found(care: InCare) -> None:
    client = signed_in(care.account)

    assert client.get("/portal/questionnaires/GROC/").status_code == 404
    assert client.get("/portal/questionnaires/NRS-11/").status_code == 404
    assert client.get("/portal/questionnaires/whatever/").status_code == 404


def test_the_today_page_asks_the_database_the_same_number_of_times_however_much_is_logged(
    care: InCare, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(care.account)
    client.get("/portal/")
    with CaptureQueriesContext(connection) as before:
        client.get("/portal/")
    counted = len(before.captured_queries)
    assert counted > 0
    for row in care.exercises_today():
        client.post(f"/portal/exercises/{row.pk}/log/", {"done": "1"})
    for score in (6, 5, 4):
        client.post("/portal/pain/", {"score": str(score)})

    with django_assert_max_num_queries(counted):
        client.get("/portal/")
