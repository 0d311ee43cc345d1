"""The time list offers the waiting list when no time suits, or none is free."""

import pytest
from django.test import Client
from django.urls import reverse

from facetcare.clinics.models import Service
from tests.public.conftest import PublicWorld

pytestmark = pytest.mark.django_db


def _waitlist_link(world: PublicWorld) -> str:
    clinic, service = world.clinic, world.assessment
    return f"{reverse('waitlist:join')}?clinic={clinic.slug}&amp;service={service.slug}"


def test_the_time_list_offers_the_waiting_list_for_that_clinic_and_service(
    client: Client, world: PublicWorld
) -> None:
    response = client.get("/book/riverside/assessment/")

    assert response.status_code == 200
    assert _waitlist_link(world) in response.content.decode()


def test_with_no_time_free_online_the_waiting_list_is_offered_beside_the_phone(
    client: Client, world: PublicWorld
) -> None:
    Service.objects.filter(pk=world.assessment.pk).update(
        max_advance_days=1, min_notice_minutes=2 * 24 * 60
    )

    response = client.get("/book/riverside/assessment/")

    body = response.content.decode()
    assert "No appointments free online" in body
    assert _waitlist_link(world) in body
