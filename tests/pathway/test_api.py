"""The pathway API through the test client: status, body and database state."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from facetcare.audit.models import AccessLogEntry
from facetcare.pathway.models import Episode, PolicyOverride, ProcedureRecord
from tests.pathway.test_facts import build_pc38_history, public_case
from tests.pathway.world import RISKS, ClinicalWorld, assess, bare_episode, make_appointment

ASSESSMENT = {
    "symptom_pattern": "axial",
    "red_flags_screened": True,
    "red_flags": [],
    "radiculopathy": "none",
    "pain_duration_weeks": 20,
    "nrs_pain": 6,
    "disability_instrument": "ODI",
    "disability_score": 34,
    "functional_goals": ["walk the dog for an hour"],
}


def call(cw: ClinicalWorld, role: str, method: str, path: str, body: Any = None) -> Any:
    client = Client()
    headers = {"Authorization": f"Bearer {cw.tokens[role]}"}
    if body is None:
        return getattr(client, method)(f"/api/v1{path}", headers=headers)
    return getattr(client, method)(
        f"/api/v1{path}", body, content_type="application/json", headers=headers
    )


def test_a_physio_opens_an_episode_and_assesses_with_a_red_flag_banner(cw: ClinicalWorld) -> None:
    opened = call(cw, "physiotherapist", "post", f"/patients/{cw.patient.pk}/episodes",
                  {"region": "lumbar", "side": "bilateral", "referral_source": "gp"})  # fmt: skip
    assert opened.status_code == 201, opened.content
    episode_id = opened.json()["id"]
    assert opened.json()["state"] == "referred"
    assert opened.json()["policy_pack_id"] == "uk_nice_ng59_clinic"

    assessed = call(cw, "physiotherapist", "post", f"/episodes/{episode_id}/assessments",
                    ASSESSMENT | {"red_flags": ["urinary_retention"]})  # fmt: skip

    assert assessed.status_code == 201, assessed.content
    [banner] = assessed.json()["banners"]
    assert banner["category"] == "cauda_equina"
    assert banner["action"].startswith("Emergency: same-day referral")
    assert Episode.objects.get(pk=episode_id).state == "assessed"


def test_an_amendment_through_the_api_keeps_both_versions(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw))

    amended = call(cw, "consultant", "post", f"/assessments/{assessment.pk}/amendments",
                   {"changes": {"nrs_pain": 3}, "reason": "re-scored"})  # fmt: skip
    versions = call(cw, "manager", "get", f"/assessments/{assessment.pk}/versions")

    assert amended.status_code == 200
    assert amended.json()["nrs_pain"] == 3
    assert [(v["version"], v["snapshot"]["nrs_pain"]) for v in versions.json()] == [(1, 7), (2, 3)]
    assert versions.json()[1]["changed_by"] == cw.consultant.username


def test_a_receptionist_gets_403_for_an_assessment(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw))

    response = call(cw, "receptionist", "get", f"/assessments/{assessment.pk}")

    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_unknown_ids_are_404(cw: ClinicalWorld) -> None:
    assert call(cw, "manager", "get", "/episodes/999999").status_code == 404
    assert call(cw, "manager", "get", "/assessments/999999").status_code == 404
    assert call(cw, "manager", "get", "/procedures/999999").status_code == 404
    assert call(cw, "manager", "get", "/patients/999999/episodes").status_code == 404


def test_bad_input_is_422_naming_the_fields(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw)

    bad = call(cw, "physiotherapist", "post", f"/episodes/{episode.pk}/assessments",
               ASSESSMENT | {"nrs_pain": 11, "symptom_pattern": "sore"})  # fmt: skip
    bad_code = call(cw, "physiotherapist", "post", f"/episodes/{episode.pk}/assessments",
                    ASSESSMENT | {"red_flags": ["sore_back"]})  # fmt: skip

    assert bad.status_code == 422
    assert {"nrs_pain", "symptom_pattern"} <= set(bad.json()["fields"])
    assert bad_code.status_code == 422
    assert set(bad_code.json()["fields"]) == {"red_flags"}


def test_an_illegal_transition_is_409_with_the_allowed_states(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw, "referred")

    response = call(cw, "physiotherapist", "post", f"/episodes/{episode.pk}/transition",
                    {"to_state": "procedure"})  # fmt: skip

    assert response.status_code == 409
    assert "allowed: assessed, discharged, referred_on" in response.json()["detail"]


def test_a_consultant_records_a_procedure_and_its_response(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw, "procedure_considered")
    appointment = make_appointment(cw, datetime(2026, 6, 1, 9, tzinfo=UTC))
    body = {
        "appointment_id": appointment.pk, "type": "mbb_diagnostic", "region": "cervical",
        "levels": ["c5-6"], "side": "right", "guidance": "fluoroscopy",
        "injectate": [{"agent": "lidocaine", "dose_mg": 10}], "consent_obtained": True,
        "risks_discussed": RISKS,
    }  # fmt: skip

    recorded = call(cw, "consultant", "post", f"/episodes/{episode.pk}/procedures", body)
    again = call(cw, "consultant", "post", f"/episodes/{episode.pk}/procedures", body)
    response = call(cw, "physiotherapist", "post", f"/procedures/{recorded.json()['id']}/response",
                    {"relief_percent": 85, "duration_concordant_with_agent": True,
                     "same_pain_scale_as_baseline": True})  # fmt: skip

    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["levels"] == ["C5-6"]
    assert again.status_code == 409
    assert response.json()["relief_percent"] == 85
    assert ProcedureRecord.objects.count() == 1


def test_a_procedure_without_consent_is_422(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw, "procedure_considered")
    appointment = make_appointment(cw, datetime(2026, 6, 1, 9, tzinfo=UTC))

    response = call(cw, "consultant", "post", f"/episodes/{episode.pk}/procedures", {
        "appointment_id": appointment.pk, "type": "mbb_diagnostic", "region": "cervical",
        "levels": ["C5-6"], "side": "right", "guidance": "fluoroscopy",
    })  # fmt: skip

    assert response.status_code == 422
    assert "consent" in response.json()["fields"]
    assert not ProcedureRecord.objects.exists()


def _pc38_query() -> str:
    return (
        "type=ia_therapeutic&levels=C5-6&side=right&date=2026-01-20&steroid_mg_mpde=40"
        "&injectate=local_anaesthetic,corticosteroid"
        "&not_rfa_candidate_reason=implantable%20cardioverter-defibrillator"
    )


def test_the_policy_decision_for_an_episode_explains_its_rules(cw: ClinicalWorld) -> None:
    episode = build_pc38_history(cw)

    response = call(cw, "consultant", "get", f"/episodes/{episode.pk}/policy?{_pc38_query()}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "not_eligible"
    assert body["deciding_rules"] == ["UK-STER-01"]
    assert body["episode_pack_version"] == episode.policy_pack_version
    assert AccessLogEntry.objects.filter(object_type="policy_facts", user=cw.consultant).exists()


def test_a_policy_query_with_a_bad_level_is_422(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw)
    query = "type=mbb_diagnostic&levels=L4-6&side=left&date=2026-01-20"

    response = call(cw, "consultant", "get", f"/episodes/{episode.pk}/policy?{query}")

    assert response.status_code == 422
    assert "levels" in response.json()["fields"]


@pytest.mark.parametrize(("role", "reason", "status"), [
    ("consultant", "ICD in situ; benefit outweighs steroid risk", 201),
    ("consultant", "", 422),
    ("physiotherapist", "clinically indicated", 403),
])  # fmt: skip
def test_overrides_need_a_consultant_and_a_reason(
    cw: ClinicalWorld, role: str, reason: str, status: int
) -> None:
    episode = build_pc38_history(cw)
    requested = public_case("PC-38")["facts"]["request"]
    requested = {k: v for k, v in requested.items() if k not in {"sedation_necessity_documented"}}

    response = call(cw, role, "post", f"/episodes/{episode.pk}/overrides",
                    {"requested": requested, "reason": reason})  # fmt: skip

    assert response.status_code == status, response.content
    assert PolicyOverride.objects.exists() == (status == 201)


def test_without_a_token_it_is_401(cw: ClinicalWorld) -> None:
    assert Client().get(f"/api/v1/episodes/{bare_episode(cw).pk}").status_code == 401


def test_listing_a_patients_episodes_takes_a_fixed_number_of_queries(
    cw: ClinicalWorld, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        bare_episode(cw)

    with django_assert_max_num_queries(12):
        response = call(cw, "manager", "get", f"/patients/{cw.patient.pk}/episodes")

    assert len(response.json()) == 5
