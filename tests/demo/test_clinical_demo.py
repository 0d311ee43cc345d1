"""The demo's clinical record: the five cases a clinician walks through, built through the
services (so versioned and logged), and never twice."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from facetcare.audit.models import AccessLogEntry, RecordVersion
from facetcare.booking.models import Appointment
from facetcare.clinics.models import Practitioner, Room, Service
from facetcare.demo.clinical import Case
from facetcare.demo.loader import Loaded, load_demo, main
from facetcare.errors import PolicyRefused
from facetcare.pathway.facts import decide, get_policy_decision
from facetcare.pathway.models import Assessment, Episode, PolicyOverride, ProcedureRecord
from facetcare.pathway.procedure_booking import book_planned_procedure
from facetcare.pathway.procedures import record_policy_override
from facetcare.pathway.selectors import latest_assessment, list_episodes, red_flag_banners

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def loaded() -> Loaded:
    return load_demo()


def case(loaded: Loaded, key: str) -> Case:
    return next(c for c in loaded.cases if c.key == key)


def user(username: str) -> User:
    return User.objects.get(username=username)


def requested(episode: Episode, kind: str, day: date) -> dict[str, object]:
    return {**episode.procedure_plan, "type": kind, "region": episode.region, "date": day}


def test_the_clinical_logins_are_manchester_practitioners_with_a_fluoroscopy_list(
    loaded: Loaded,
) -> None:
    consultant = Practitioner.objects.get(user__username="consultant")
    physio = Practitioner.objects.get(user__username="physio")
    manchester = consultant.clinics.get(slug="manchester")

    assert physio.clinics.filter(slug="manchester").exists()
    assert Room.objects.filter(clinic=manchester, equipment=["fluoroscopy"]).exists()
    offered = set(consultant.services.values_list("slug", flat=True))
    assert {
        "cervical-facet-injection",
        "cervical-medial-branch-block",
        "lumbar-facet-injection",
        "lumbar-medial-branch-block",
    } <= offered


def test_the_newly_referred_patient_waits_for_an_assessment_and_the_referrer_sees_them(
    loaded: Loaded,
) -> None:
    referred = case(loaded, "a")

    assert referred.episode.state == "referred"
    assert latest_assessment(referred.episode) is None
    assert referred.episode.policy_pack_id == "uk_nice_ng59_clinic"
    assert list_episodes(patient_id=referred.patient.pk, acting_user=user("referrer")) == [
        referred.episode
    ]


def test_the_red_flagged_patient_carries_a_cauda_equina_banner(loaded: Loaded) -> None:
    assessment = latest_assessment(case(loaded, "b").episode)
    assert assessment is not None

    banners = red_flag_banners(assessment)

    assert banners[0].category == "cauda_equina"
    assert banners[0].urgency == "emergency"
    assert set(banners[0].codes) == {"saddle_anaesthesia", "urinary_retention"}


def test_a_fourth_steroid_injection_for_the_cervical_patient_is_refused_under_uk_ster_01(
    loaded: Loaded,
) -> None:
    cervical = case(loaded, "c").episode
    today = timezone.now().astimezone(LONDON).date()

    decision = get_policy_decision(
        episode=cervical,
        requested=requested(cervical, "ia_therapeutic", today),
        acting_user=user("consultant"),
    )

    assert cervical.state == "procedure_considered"
    assert cervical.procedure_plan["levels"] == ["C5-6"]
    assert decision.decision == "not_eligible"
    assert decision.deciding_rules == ("UK-STER-01",)
    message = next(rule.message for rule in decision.rules if rule.id == "UK-STER-01")
    assert message.startswith("4th steroid-containing spinal injection session in 6 months")


def test_the_steroid_history_lies_inside_six_months_of_today_with_one_epidural_elsewhere(
    loaded: Loaded,
) -> None:
    patient = case(loaded, "c").patient
    today = timezone.now().astimezone(LONDON).date()
    steroid = ProcedureRecord.objects.filter(episode__patient=patient, steroid_mg_mpde__gt=0)

    ages = sorted((today - p.performed_on).days for p in steroid)

    assert len(ages) == 3
    assert ages[0] == 40
    assert ages[-1] < 155
    assert steroid.exclude(performed_elsewhere="").get().type == "epidural_steroid"
    blocks = ProcedureRecord.objects.filter(episode__patient=patient, type="mbb_diagnostic")
    assert sorted(b.relief_percent for b in blocks) == [85, 90]


def test_the_first_block_patient_is_eligible_and_booked_in_the_coming_days(
    loaded: Loaded,
) -> None:
    lumbar = case(loaded, "d").episode
    booked = Appointment.objects.get(patient=lumbar.patient)
    day = booked.start.astimezone(LONDON).date()

    assert decide(lumbar, requested(lumbar, "mbb_diagnostic", day)).decision == "eligible"
    assert booked.service.slug == "lumbar-medial-branch-block"
    assert booked.practitioner.user == user("consultant")
    assert booked.status == "booked"
    assert timezone.now() < booked.start < timezone.now() + timedelta(days=15)


def test_the_us_patient_follows_the_medicare_pack_at_west_hills(loaded: Loaded) -> None:
    us = case(loaded, "e")

    assert us.episode.policy_pack_id == "medicare_lcd_l38773"
    booked = Appointment.objects.get(patient=us.patient)
    assert booked.clinic.slug == "west-hills"
    assert booked.clinic.time_zone == "America/Los_Angeles"


def test_booking_the_cervical_injection_needs_the_consultants_override(
    loaded: Loaded,
) -> None:
    cervical = case(loaded, "c").episode
    consultant = user("consultant")
    service = Service.objects.get(slug="cervical-facet-injection")

    with pytest.raises(PolicyRefused, match="UK-STER-01"):
        book_planned_procedure(episode=cervical, service=service, acting_user=consultant)
    today = timezone.now().astimezone(LONDON).date()
    record_policy_override(
        episode=cervical,
        requested=requested(cervical, "ia_therapeutic", today),
        reason="Pain stops work; RF contraindicated by an ICD",
        acting_user=consultant,
    )
    booked = book_planned_procedure(episode=cervical, service=service, acting_user=consultant)

    assert booked.patient == cervical.patient
    assert booked.channel == "staff"
    assert booked.booked_by == consultant


def test_every_clinical_record_has_its_first_version_and_a_logged_creation(
    loaded: Loaded,
) -> None:
    for model in (Episode, Assessment, ProcedureRecord):
        kind = ContentType.objects.get_for_model(model)
        for pk, patient_id in _rows(model):
            assert RecordVersion.objects.filter(content_type=kind, object_id=pk, version=1).exists()
            assert AccessLogEntry.objects.filter(
                action="create", object_id=pk, patient_id=patient_id
            ).exists()


def _rows(model: type[Episode] | type[Assessment] | type[ProcedureRecord]) -> list[tuple[int, int]]:
    if model is Episode:
        return list(Episode.objects.values_list("pk", "patient_id"))
    return list(model.objects.values_list("pk", "episode__patient_id"))


def _clinical_counts() -> dict[str, int]:
    return {
        "episodes": Episode.objects.count(),
        "assessments": Assessment.objects.count(),
        "procedures": ProcedureRecord.objects.count(),
        "overrides": PolicyOverride.objects.count(),
        "versions": RecordVersion.objects.count(),
        "access log": AccessLogEntry.objects.count(),
        "appointments": Appointment.objects.count(),
    }


def test_loading_the_clinical_cases_twice_adds_nothing(loaded: Loaded) -> None:
    before = _clinical_counts()

    again = load_demo()

    assert _clinical_counts() == before
    assert again.summary["clinical cases added"] == 0
    assert [c.episode.pk for c in again.cases] == [c.episode.pk for c in loaded.cases]


def test_reset_rebuilds_the_clinical_cases(loaded: Loaded) -> None:
    before = _clinical_counts()

    assert main(["--reset"]) == 0

    assert _clinical_counts() == before


def test_the_summary_names_the_patients_and_logins_to_try(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out

    assert "5 clinical cases added" in out
    for name in ("Harriet Ainscough", "Graham Postlethwaite", "Martin Birtwistle"):
        assert name in out
    assert "consultant: Martin Birtwistle" in out
    assert "UK-STER-01" in out
    assert "/api/v1/docs" in out
    assert "/audit/access-log/" in out
