"""The offer email, handed to the task backend once the offer has committed.

The task gets only the offer's id, so the email describes the offer as it
stands when it is sent: an offer that has gone or expired by then is not sent.
"""

from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.tasks import task
from django.urls import reverse

from facetcare import locales
from facetcare.phones import display_phone
from facetcare.waitlist.models import WaitlistOffer
from facetcare.waitlist.tokens import offer_link_token


def queue_offer_email(offer: WaitlistOffer) -> None:
    """Email ``offer`` once the current transaction commits."""
    transaction.on_commit(partial(send_offer_email.enqueue, offer.pk), robust=True)


def offer_url(offer: WaitlistOffer) -> str:
    """The full address of ``offer``'s accept link, for its email."""
    path = reverse("waitlist:offer", kwargs={"token": offer_link_token(offer)})
    return f"{settings.FACETCARE_SITE_URL}{path}"


@task
def send_offer_email(offer_id: int) -> bool:
    """Send the offer if it is still open; whether it was sent."""
    offer = (
        WaitlistOffer.objects.select_related("entry", "service", "clinic", "practitioner")
        .filter(pk=offer_id, status=WaitlistOffer.Status.PENDING)
        .first()
    )
    if offer is None:
        return False
    mailers.default.send_messages([offer_email(offer)])
    return True


def offer_email(offer: WaitlistOffer) -> EmailMessage:
    """The offer as an email to the waiting person: the time in the clinic's zone and
    locale, the accept link, until when it stands, and how to leave the list."""
    clinic = offer.clinic
    zone = ZoneInfo(clinic.time_zone)
    when = locales.format_datetime(offer.start.astimezone(zone), clinic.locale)
    until = locales.format_datetime(offer.expires_at.astimezone(zone), clinic.locale)
    phone = display_phone(clinic.phone, clinic.locale)
    body = "\n".join(
        [
            f"Dear {offer.entry.first_name},",
            "",
            f"A time has come up for {offer.service.name}, which you are waiting for:",
            "",
            f"  {when}",
            f"  with {offer.practitioner.display_name}",
            f"  at {clinic.name}, {clinic.address}",
            "",
            "We have offered it to the first few people on our waiting list at once,",
            "so it goes to whoever accepts first. To take it, open this link:",
            offer_url(offer),
            "",
            f"The offer lasts until {until}. If this time does not suit you, do",
            "nothing: you keep your place on the waiting list.",
            "",
            f"To leave the waiting list, call {clinic.name} on {phone}.",
        ]
    )
    return EmailMessage(
        subject=f"A time for {offer.service.name} has come up: {when}",
        body=body + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[offer.entry.email],
    )
