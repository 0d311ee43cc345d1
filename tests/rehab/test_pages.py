"""The clinician pages through the test client: status, content and what is written."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from facetcare.rehab.models import Programme, ProgrammeExercise
from facetcare.rehab.selectors import exercise_card
from facetcare.web.roles import Role
from tests.rehab.conftest import portal_user
from tests.web.clinical_world import ClinicalWorld, build_clinical_world
from tests.web.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> ClinicalWorld:
    return build_clinical_world()


def signed_in(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def start_post(world: ClinicalWorld, **changes: object) -> dict[str, object]:
    procedure = world.injected_episode.procedures.order_by("-performed_on").first()
    assert procedure is not None
    values: dict[str, object] = {
        "pathway": "post_injection",
        "procedure": procedure.pk,
        "started_on": procedure.performed_on.isoformat(),
        "goals": "Pick up my granddaughter\nSit through a meeting",
        "cautions": ["knee_pain"],
        "clinic": world.clinic.pk,
    }
    return values | changes


def started(client: Client, world: ClinicalWorld) -> Programme:
    response = client.post(f"/rehab/episodes/{world.injected_episode.pk}/start/", start_post(world))
    assert response.status_code == 302
    return Programme.objects.get()


def test_the_start_form_is_prefilled_from_the_latest_injection_and_assessment(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)

    response = client.get(f"/rehab/episodes/{world.injected_episode.pk}/start/")

    assert response.status_code == 200
    form = response.context["form"]
    latest = timezone.localdate() - timedelta(days=50)
    assert form.initial["started_on"] == latest
    assert form.initial["procedure"].performed_on == latest
    assert form.initial["pathway"] == "post_injection"
    assert form.initial["goals"] == "Pick up my granddaughter"
    assert form.initial["clinic"] == world.clinic
    assert "Start a rehabilitation programme" in response.content.decode()


def test_a_physiotherapist_starts_a_programme_and_sees_it_by_phase(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)

    programme = started(client, world)
    page = client.get(f"/rehab/programmes/{programme.pk}/")

    assert page.status_code == 200
    body = page.content.decode()
    for text in ("Phase 1: Settle the pain", "Phase 4:", "“Pick up my granddaughter”", "Knee pain"):
        assert text in body
    assert "3 to 5 days after the injection" in body
    assert 'lang="en-GB"' in body
    slugs = set(
        ProgrammeExercise.objects.filter(phase__programme=programme).values_list(
            "exercise_slug", flat=True
        )
    )
    assert not slugs & {"cat-and-camel", "childs-pose", "hip-flexor-stretch", "step-ups"}
    episode_page = client.get(f"/pathway/episodes/{world.injected_episode.pk}/").content.decode()
    assert f"/rehab/programmes/{programme.pk}/" in episode_page
    assert "Start a rehabilitation programme" not in episode_page


def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)
    url = f"/rehab/episodes/{world.injected_episode.pk}/start/"

    no_injection = client.post(url, start_post(world, procedure=""))
    bad_caution = client.post(url, start_post(world, cautions=["vertigo"]))
    long_goal = client.post(url, start_post(world, goals="walk " * 60))

    assert no_injection.status_code == 422
    assert no_injection.context["form"].errors["procedure"] == [
        "Choose the injection the programme follows"
    ]
    assert bad_caution.status_code == 422
    assert "cautions" in bad_caution.context["form"].errors
    assert long_goal.status_code == 422
    assert "under 200 characters" in long_goal.context["form"].errors["goals"][0]
    assert not Programme.objects.exists()


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.REFERRER])
def test_a_receptionist_or_referrer_cannot_open_a_programme(
    client: Client, world: ClinicalWorld, role: Role
) -> None:
    programme = started(signed_in(Client(), world.physio), world)
    signed_in(client, make_staff("other", role))

    assert client.get(f"/rehab/programmes/{programme.pk}/").status_code == 403
    assert client.get(f"/rehab/programmes/{programme.pk}/handout.pdf").status_code == 403
    assert client.get(f"/rehab/episodes/{world.injected_episode.pk}/start/").status_code == 403


def test_a_manager_reads_but_cannot_change_a_programme(
    client: Client, world: ClinicalWorld
) -> None:
    programme = started(signed_in(Client(), world.physio), world)
    row = ProgrammeExercise.objects.filter(phase__programme=programme).first()
    assert row is not None
    signed_in(client, world.manager)

    page = client.get(f"/rehab/programmes/{programme.pk}/")

    assert page.status_code == 200
    assert "Move to next phase" not in page.content.decode()
    assert client.get(f"/rehab/programme-exercises/{row.pk}/").status_code == 403


def test_an_unknown_programme_is_a_404(client: Client, world: ClinicalWorld) -> None:
    signed_in(client, world.physio)

    assert client.get("/rehab/programmes/987654/").status_code == 404
    assert client.get("/rehab/programme-exercises/987654/").status_code == 404


def test_a_dose_change_saves_and_a_bad_one_is_refused_beside_its_field(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)
    programme = started(client, world)
    row = ProgrammeExercise.objects.filter(phase__programme=programme).order_by("pk").first()
    assert row is not None
    url = f"/rehab/programme-exercises/{row.pk}/"
    good = {"sets": "3", "reps": "8", "per_week": "4", "reason": "Progressing"}

    both = client.post(url, {**good, "per_day": "2"})
    row.refresh_from_db()
    unchanged = (row.sets, row.reps)
    saved = client.post(url, good)

    assert both.status_code == 422
    assert both.context["form"].errors["per_day"] == ["Give how often: times a day or times a week"]
    assert unchanged != (3, 8)
    assert saved.status_code == 302
    row.refresh_from_db()
    assert (row.sets, row.reps, row.per_day, row.per_week) == (3, 8, None, 4)
    history = client.get(f"/rehab/programme-exercises/{row.pk}/history/").content.decode()
    assert "Progressing" in history


def test_the_add_page_offers_only_suitable_exercises(client: Client, world: ClinicalWorld) -> None:
    signed_in(client, world.physio)
    programme = started(client, world)
    phase = programme.phases.get(number=2)
    url = f"/rehab/phases/{phase.pk}/add/"

    page = client.get(url)
    offered = {slug for slug, _ in page.context["form"].fields["exercise"].choices if slug}
    refused = client.post(url, {"exercise": "gentle-neck-turns"})
    added = client.post(url, {"exercise": sorted(offered)[0], "clinician_note": "Gently"})

    assert page.status_code == 200
    assert offered
    assert not offered & {"gentle-neck-turns", "hip-flexor-stretch", "golf-half-swings"}
    assert refused.status_code == 422
    assert added.status_code == 302
    assert phase.exercises.filter(exercise_slug=sorted(offered)[0], clinician_note="Gently")


def test_removing_an_exercise_needs_a_reason(client: Client, world: ClinicalWorld) -> None:
    signed_in(client, world.physio)
    programme = started(client, world)
    row = ProgrammeExercise.objects.filter(phase__programme=programme).first()
    assert row is not None
    url = f"/rehab/programme-exercises/{row.pk}/remove/"

    refused = client.post(url, {"reason": ""})
    removed = client.post(url, {"reason": "Flares the back"})

    assert refused.status_code == 422
    assert removed.status_code == 302
    row.refresh_from_db()
    assert row.removed_reason == "Flares the back"


def test_moving_to_the_next_phase_takes_a_review_date_and_note(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)
    programme = started(client, world)
    url = f"/rehab/programmes/{programme.pk}/advance/"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    ahead = client.post(url, {"reviewed_on": tomorrow, "note": "Too soon"})
    moved = client.post(url, {"reviewed_on": timezone.localdate().isoformat(), "note": "Ready"})

    assert ahead.status_code == 422
    assert ahead.context["advance_form"].errors["reviewed_on"] == [
        "The review cannot be dated in the future"
    ]
    assert moved.status_code == 302
    programme.refresh_from_db()
    assert programme.current_phase == 2


def test_the_handout_pdf_names_the_clinic_the_patient_the_phases_and_exercises(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)
    programme = started(client, world)
    first = ProgrammeExercise.objects.filter(phase__programme=programme, phase__number=1)
    names = [exercise_card(row).name for row in first]

    response = client.get(f"/rehab/programmes/{programme.pk}/handout.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "London Bridge",
        "1 Bridge Street, London",
        "020 0000 0000",
        "Oliver Reed",
        "Phase 1: Settle the pain and start moving",
        "Phase 4: Your own goals and looking after yourself",
        "Pick up my granddaughter",
        "3 to 5 days after the injection",
    ):
        assert expected in text, expected
    assert all(name in text for name in names), names


def test_a_signed_in_patient_cannot_open_the_clinician_pages_of_any_programme(
    client: Client, world: ClinicalWorld
) -> None:
    programme = started(signed_in(Client(), world.physio), world)
    signed_in(client, portal_user(world.new_patient, "nora"))

    for url in (
        f"/rehab/programmes/{programme.pk}/",
        f"/rehab/programmes/{programme.pk}/handout.pdf",
        f"/rehab/programmes/{programme.pk + 1}/",
    ):
        assert client.get(url).status_code == 403, url
