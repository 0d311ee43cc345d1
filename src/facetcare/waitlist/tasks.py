"""The waitlist's background tasks: offer a freed slot, and the worker's periodic sweep."""

from django.tasks import task
from django.utils import timezone

from facetcare.waitlist import services


@task
def offer_freed_slot(appointment_id: int) -> int:
    """Offer the slot cancelled appointment ``appointment_id`` left; how many were offered it."""
    return len(services.offer_freed_slot(appointment_id=appointment_id, now=timezone.now()))


@task
def sweep_waitlist_offers() -> int:
    """Close lapsed offers and pass their slots on to the next in line; new offers made."""
    return services.sweep_offers(now=timezone.now())
