"""The episode page on the demo data: the policy panel starts from the plan, and
"Book this procedure" is refused by the policy until a consultant overrides."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Service
from facetcare.demo.loader import Loaded, load_demo
from facetcare.pathway.models import Episode
from facetcare.pathway.procedures import record_policy_override

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> Loaded:
    return load_demo()


def episode_of(loaded: Loaded, key: str) -> Episode:
    return next(c.episode for c in loaded.cases if c.key == key)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def book(client: Client, episode: Episode, slug: str = "cervical-facet-injection") -> Any:
    service = Service.objects.get(slug=slug)
    return client.post(f"/pathway/episodes/{episode.pk}/procedures/book/", {"service": service.pk})


def test_the_policy_panel_starts_from_the_procedure_plan(loaded: Loaded) -> None:
    cervical = episode_of(loaded, "c")

    response = signed_in("consultant").get(f"/pathway/episodes/{cervical.pk}/")

    assert response.status_code == 200
    form = response.context["policy_form"]
    assert form.initial["levels"] == "C5-6"
    assert form.initial["injectate"] == ["local_anaesthetic", "corticosteroid"]
    assert form.initial["steroid_mg_mpde"] == 40
    assert "Book this procedure" in response.content.decode()


def test_the_policy_check_counts_the_plans_documentation_and_refuses_on_steroids_alone(
    loaded: Loaded,
) -> None:
    cervical = episode_of(loaded, "c")
    query = {
        "type": "ia_therapeutic",
        "levels": "C5-6",
        "side": "right",
        "guidance": "fluoroscopy",
        "sedation": "none",
        "date": timezone.localdate().isoformat(),
        "injectate": ["local_anaesthetic", "corticosteroid"],
        "steroid_mg_mpde": "40",
    }

    response = signed_in("consultant").get(f"/pathway/episodes/{cervical.pk}/policy/", query)

    assert response.status_code == 200
    assert response.context["decision"].deciding_rules == ("UK-STER-01",)


def test_booking_before_an_override_is_refused_with_the_rule(loaded: Loaded) -> None:
    cervical = episode_of(loaded, "c")
    before = Appointment.objects.filter(patient=cervical.patient).count()

    response = book(signed_in("consultant"), cervical)

    assert response.status_code == 409
    assert "UK-STER-01" in response.content.decode()
    assert Appointment.objects.filter(patient=cervical.patient).count() == before


def test_after_the_override_the_next_free_slot_is_booked_on_the_consultants_list(
    loaded: Loaded,
) -> None:
    cervical = episode_of(loaded, "c")
    consultant = User.objects.get(username="consultant")
    record_policy_override(
        episode=cervical,
        requested={
            **cervical.procedure_plan,
            "type": "ia_therapeutic",
            "region": "cervical",
            "date": timezone.localdate(),
        },
        reason="Pain stops work; RF contraindicated by an ICD",
        acting_user=consultant,
    )

    client = signed_in("consultant")
    response = book(client, cervical)

    assert response.status_code == 302
    booked = Appointment.objects.get(patient=cervical.patient, status="booked")
    assert booked.service.slug == "cervical-facet-injection"
    assert booked.practitioner.user == consultant
    page = client.get(response["Location"])
    assert "Booked Cervical facet joint injection" in page.content.decode()


def test_only_a_consultant_may_book_a_procedure(loaded: Loaded) -> None:
    response = book(signed_in("physio"), episode_of(loaded, "d"), "lumbar-medial-branch-block")

    assert response.status_code == 403


def test_a_procedure_for_another_region_is_refused_on_the_form(loaded: Loaded) -> None:
    response = book(signed_in("consultant"), episode_of(loaded, "c"), "lumbar-facet-injection")

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
