"""The demo leaves the worker one reminder and one waitlist offer to send."""

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from facetcare.booking.reminders import sweep_reminders
from facetcare.demo import loader
from facetcare.demo.showcase import WAITING_PATIENT
from facetcare.waitlist.models import WaitlistOffer

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_waitlist_offer_and_a_reminder_for_the_worker_to_send(
    capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert loader.main([]) == 0
    printed = capsys.readouterr().out

    # Tasks run at once in tests: the offer the demo queued has gone out.
    offer = WaitlistOffer.objects.get(entry__email=WAITING_PATIENT.email)
    assert offer.status == WaitlistOffer.Status.PENDING
    offers = [m for m in mail.outbox if m.to == [WAITING_PATIENT.email]]
    assert len(offers) == 1
    assert "has come up" in offers[0].subject
    assert "a waitlist offer to Nadia Okafor" in printed

    mail.outbox.clear()
    sweep_reminders(now=timezone.now())
    reminded = [address for message in mail.outbox for address in message.to]
    if "a reminder to" in printed:
        assert len(reminded) == 1
    else:  # no demo appointment in the next 20 hours (a quiet night), so nothing is due
        assert reminded == []


def test_a_second_load_sets_up_no_second_offer() -> None:
    loader.main([])
    loader.main([])

    assert WaitlistOffer.objects.filter(entry__email=WAITING_PATIENT.email).count() == 1
