"""Clinical pathway pages through the test client: status, content and database state."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from facetcare.audit.models import AccessLogEntry, RecordVersion
from facetcare.pathway.models import Assessment, Episode, PolicyOverride, ProcedureRecord
from tests.web.clinical_world import ClinicalWorld

pytestmark = pytest.mark.django_db

ASSESSMENT_POST = {
    "symptom_pattern": "axial",
    "red_flags_screened": "on",
    "radiculopathy": "none",
    "pain_duration_weeks": "20",
    "nrs_pain": "6",
    "disability_instrument": "ODI",
    "disability_score": "30",
    "conservative_care_weeks": "8",
    "conservative_care_modalities": ["exercise_programme"],
    "conservative_care_failed": "true",
    "functional_goals": "Walk the dog to the park\nSleep through the night",
    "impression": "Facet-mediated axial low back pain",
    "plan": "Physiotherapy for six weeks",
}
REQUEST = {
    "type": "ia_therapeutic",
    "levels": "L4-5",
    "side": "bilateral",
    "guidance": "fluoroscopy",
    "sedation": "none",
    # Today: the seeded injections are dated back from today, inside six months.
    "date": timezone.localdate().isoformat(),
    "injectate": ["local_anaesthetic", "corticosteroid"],
    "steroid_mg_mpde": "40",
}


def signed_in(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_an_assessment_with_cauda_equina_flags_shows_the_emergency_banner(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)
    url = f"/pathway/episodes/{world.new_episode.pk}/assessments/new/"
    post = {**ASSESSMENT_POST, "red_flags_cauda_equina": ["saddle_anaesthesia"]}

    response = client.post(url, post, follow=True)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="banner-danger" role="alert"' in body
    assert "Suspected cauda equina syndrome" in body
    assert "same-day referral" in body
    assessment = Assessment.objects.get(episode=world.new_episode)
    assert assessment.red_flags == ["saddle_anaesthesia"]
    assert assessment.functional_goals == ["Walk the dog to the park", "Sleep through the night"]
    episode_page = client.get(f"/pathway/episodes/{world.new_episode.pk}/").content.decode()
    assert "Suspected cauda equina syndrome" in episode_page


def test_an_invalid_assessment_is_refused_with_errors_beside_the_fields_and_nothing_saved(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)
    url = f"/pathway/episodes/{world.new_episode.pk}/assessments/new/"
    post = {**ASSESSMENT_POST, "nrs_pain": "11", "disability_score": ""}
    post.pop("red_flags_screened")
    post["red_flags_infection"] = ["fever_or_rigors"]

    response = client.post(url, post)

    assert response.status_code == 422
    form = response.context["form"]
    assert "nrs_pain" in form.errors
    assert form.errors["disability_score"] == ["Give the score for the chosen instrument."]
    assert "confirm the screen was done" in form.errors["red_flags_screened"][0]
    assert not Assessment.objects.filter(episode=world.new_episode).exists()
    assert Episode.objects.get(pk=world.new_episode.pk).state == "referred"


def test_amending_an_assessment_needs_a_reason_and_keeps_the_earlier_version(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.consultant)
    assessment = Assessment.objects.get(episode=world.injected_episode)
    url = f"/pathway/assessments/{assessment.pk}/amend/"
    changed = {**ASSESSMENT_POST, "nrs_pain": "8"}

    refused = client.post(url, changed)
    accepted = client.post(url, {**changed, "reason": "Patient corrected the pain score"})
    history = client.get(f"/pathway/history/assessment/{assessment.pk}/")

    assert refused.status_code == 422
    assert "reason" in refused.context["form"].errors
    assert accepted.status_code == 302
    assessment.refresh_from_db()
    assert assessment.nrs_pain == 8
    versions = RecordVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(Assessment), object_id=assessment.pk
    ).order_by("version")
    assert [v.snapshot["nrs_pain"] for v in versions] == [7, 8]
    body = history.content.decode()
    assert "Patient corrected the pain score" in body
    assert "Anil Patel" in body


def test_the_policy_panel_explains_why_a_fourth_steroid_injection_is_refused(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.consultant)

    response = client.get(
        f"/pathway/episodes/{world.injected_episode.pk}/policy/",
        REQUEST,
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    decision = response.context["decision"]
    assert decision.decision == "not_eligible"
    assert "UK-STER-01" in decision.deciding_rules
    body = response.content.decode()
    assert '<div id="policy-panel">' in body
    assert "<html" not in body
    ster = next(rule for rule in decision.rules if rule.id == "UK-STER-01")
    assert ster.message in body
    assert "Override and allow" in body


def test_an_override_without_a_reason_is_refused_and_none_is_saved(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.consultant)
    url = f"/pathway/episodes/{world.injected_episode.pk}/override/"

    response = client.post(url, {**REQUEST, "reason": "  "}, headers={"HX-Request": "true"})

    assert response.status_code == 422
    assert "reason" in response.context["override_form"].errors
    assert not PolicyOverride.objects.exists()


def test_a_consultant_override_with_a_reason_is_recorded(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.consultant)
    url = f"/pathway/episodes/{world.injected_episode.pk}/override/"

    response = client.post(url, {**REQUEST, "reason": "Severe pain, RFA contraindicated"})

    assert response.status_code == 200
    override = PolicyOverride.objects.get()
    assert override.reason == "Severe pain, RFA contraindicated"
    assert "UK-STER-01" in override.deciding_rules
    assert override.consultant == world.consultant


def test_a_physiotherapist_cannot_override_the_policy(client: Client, world: ClinicalWorld) -> None:
    signed_in(client, world.physio)
    url = f"/pathway/episodes/{world.injected_episode.pk}/override/"

    response = client.post(url, {**REQUEST, "reason": "I think it is fine"})

    assert response.status_code == 403
    assert not PolicyOverride.objects.exists()


RISKS = [
    "nerve_injury_with_weakness",
    "numbness",
    "post_dural_puncture_headache",
    "bleeding",
    "infection",
    "steroid_effects",
]


def procedure_post(world: ClinicalWorld, **changes: object) -> dict[str, object]:
    post: dict[str, object] = {
        "appointment": str(world.procedure_appointment.pk),
        "type": "ia_therapeutic",
        "region": "lumbar",
        "levels": "L4-5",
        "side": "bilateral",
        "guidance": "fluoroscopy",
        "sedation": "none",
        "agent_1": "methylprednisolone",
        "dose_1": "40",
        "agent_2": "bupivacaine",
        "dose_2": "10",
        "steroid_mg_mpde": "40",
        "consent_obtained": "on",
        "risks_discussed": [
            "nerve_injury_with_weakness",
            "numbness",
            "post_dural_puncture_headache",
            "bleeding",
            "infection",
            "steroid_effects",
        ],
        "started": "08:05",
        "ended": "08:25",
        "pre_pain_nrs": "7",
        "post_pain_nrs": "2",
        "same_day_discharge": "on",
        "aftercare": "Walk daily; physiotherapy from day 3",
    }
    post.update(changes)
    return post


def test_a_procedure_without_consent_is_refused_and_nothing_is_written(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.consultant)
    before = ProcedureRecord.objects.count()
    url = f"/pathway/episodes/{world.injected_episode.pk}/procedures/new/"

    response = client.post(url, procedure_post(world, consent_obtained="", dose_2=""))

    assert response.status_code == 422
    assert "dose_2" in response.context["form"].errors
    response = client.post(url, procedure_post(world, consent_obtained=""))
    assert response.status_code == 422
    assert "without consent" in response.content.decode()
    assert ProcedureRecord.objects.count() == before


def test_a_recorded_procedure_and_its_response_are_saved(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.consultant)
    url = f"/pathway/episodes/{world.injected_episode.pk}/procedures/new/"

    response = client.post(url, procedure_post(world))

    assert response.status_code == 302
    record = ProcedureRecord.objects.get(appointment=world.procedure_appointment)
    assert record.injectate == [
        {"agent": "methylprednisolone", "dose_mg": 40.0},
        {"agent": "bupivacaine", "dose_mg": 10.0},
    ]
    assert record.started_at is not None
    assert record.ended_at is not None
    response_url = f"/pathway/procedures/{record.pk}/response/"
    bad = client.post(response_url, {"relief_percent": "140"})
    assert bad.status_code == 422
    good = client.post(response_url, {"relief_percent": "70", "relief_duration_days": "95"})
    assert good.status_code == 302
    record.refresh_from_db()
    assert (record.relief_percent, record.relief_duration_days) == (70, 95)


def test_a_receptionist_sees_demographics_and_bookings_but_not_episodes(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.receptionist)

    page = client.get(f"/patients/{world.injected_patient.pk}/")
    episode = client.get(f"/pathway/episodes/{world.injected_episode.pk}/")

    assert page.status_code == 200
    body = page.content.decode()
    assert "Oliver" in body
    assert "Lumbar facet joint injection" in body
    assert "Episodes of care" not in body
    assert episode.status_code == 403


def test_a_clinician_sees_the_episodes_and_the_read_is_logged(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)

    page = client.get(f"/patients/{world.injected_patient.pk}/")

    assert page.status_code == 200
    assert "Episodes of care" in page.content.decode()
    assert AccessLogEntry.objects.filter(
        user=world.physio, patient=world.injected_patient, action="read", object_type="patient"
    ).exists()


def test_the_access_log_is_for_managers_and_filters_by_patient(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio).get(f"/patients/{world.injected_patient.pk}/")
    client.logout()
    signed_in(client, world.manager)

    found = client.get(
        "/audit/access-log/", {"patient": world.injected_patient.pk, "action": "read"}
    )
    bad_range = client.get(
        "/audit/access-log/", {"date_from": "2026-03-10", "date_to": "2026-03-01"}
    )

    assert found.status_code == 200
    entries = found.context["entries"]
    assert entries
    assert all(e.patient_id == world.injected_patient.pk for e in entries)
    assert "Sam Lee" in found.content.decode()
    assert bad_range.status_code == 400
    assert "before the start date" in bad_range.content.decode()


def test_the_access_log_is_closed_to_clinicians(client: Client, world: ClinicalWorld) -> None:
    signed_in(client, world.consultant)

    assert client.get("/audit/access-log/").status_code == 403


def test_pages_ask_anonymous_visitors_to_sign_in(client: Client, world: ClinicalWorld) -> None:
    response = client.get(f"/pathway/episodes/{world.injected_episode.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_clinician_moves_an_episode_along_the_pathway(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.consultant)
    url = f"/pathway/episodes/{world.injected_episode.pk}/transition/"

    response = client.post(url, {"to_state": "conservative_care"})

    assert response.status_code == 302
    assert Episode.objects.get(pk=world.injected_episode.pk).state == "conservative_care"


def test_a_transition_the_pathway_does_not_allow_is_refused_without_a_change(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.physio)
    url = f"/pathway/episodes/{world.new_episode.pk}/transition/"

    skipped = client.post(url, {"to_state": "procedure"})
    no_reason = client.post(url, {"to_state": "referred_on", "reason": ""})

    assert skipped.status_code == 409
    assert "cannot move from referred to procedure" in skipped.content.decode()
    assert no_reason.status_code == 422
    assert "Say why the patient is referred on" in no_reason.content.decode()
    assert Episode.objects.get(pk=world.new_episode.pk).state == "referred"


def test_patient_search_finds_by_the_start_of_the_last_name(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.receptionist)

    found = client.get("/patients/", {"q": "re"}, headers={"HX-Request": "true"})
    too_short = client.get("/patients/", {"q": "r"})

    assert found.status_code == 200
    assert "Reed, Oliver" in found.content.decode()
    assert "Quinn" not in found.content.decode()
    assert "<html" not in found.content.decode()
    assert too_short.status_code == 400
    assert "at least 2 characters" in too_short.content.decode()


def test_history_of_an_unknown_kind_of_record_is_not_found(
    client: Client, world: ClinicalWorld
) -> None:
    signed_in(client, world.consultant)

    assert client.get("/pathway/history/invoice/1/").status_code == 404
