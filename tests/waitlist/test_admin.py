"""The waiting list in the admin opens, searches, and offers nothing to edit."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from facetcare.booking.services import cancel_appointment
from tests.waitlist.conftest import Waitworld


@pytest.fixture
def boss(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "long-pw-12345"))
    return client


@pytest.mark.parametrize("model", ["waitlistentry", "waitlistoffer"])
def test_the_admin_lists_and_searches_without_an_add_button(
    waitworld: Waitworld, boss: Client, model: str, django_capture_on_commit_callbacks: object
) -> None:
    waitworld.join("Ada")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        cancel_appointment(appointment=waitworld.book(waitworld.at(10)))

    listing = boss.get(f"/admin/waitlist/{model}/", {"q": "Taylor"})
    adding = boss.get(f"/admin/waitlist/{model}/add/")

    assert listing.status_code == 200
    assert "Ada" in listing.content.decode()
    assert adding.status_code == 403
