"""Book an episode's planned procedure on the acting consultant's own list.

The booking goes through ``booking.services.book_appointment``, so the clinical
policy gate runs on it: a procedure the policy refuses is booked only after a
consultant's override with a reason stands for that episode and procedure type.
"""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from facetcare.audit.actors import Actor
from facetcare.booking.models import Appointment
from facetcare.booking.selectors import get_availability
from facetcare.booking.services import book_appointment
from facetcare.clinics.models import Clinic, Service
from facetcare.errors import Conflict, InvalidInput
from facetcare.pathway.access import require_episode_reader, require_role
from facetcare.pathway.models import Episode
from facetcare.pathway.services import practitioner_for
from facetcare.web.roles import Role

# Far enough to find a slot on a weekly fluoroscopy list, near enough that the
# policy's rolling windows are judged on a date close to the one checked on the page.
SEARCH_DAYS = 14


def list_bookable_procedures(*, episode: Episode) -> QuerySet[Service]:
    """Active procedure services for the episode's region (or for any region)."""
    return Service.objects.filter(
        Q(region=episode.region) | Q(region=""),
        category=Service.Category.PROCEDURE,
        is_active=True,
    ).order_by("name")


def book_planned_procedure(
    *,
    episode: Episode,
    service: Service,
    acting_user: Actor,
    now: datetime | None = None,
) -> Appointment:
    """Book ``service`` for the episode's patient at the next free slot on the acting
    consultant's list within ``SEARCH_DAYS`` days, as a staff booking.

    Raises Forbidden for anyone but a consultant, InvalidInput (field ``service``)
    for a service that is not a procedure for this region or not one the consultant
    offers, Conflict when the episode is closed or no slot is free, and
    PolicyRefused (from the booking gate) when the policy refuses and no override
    stands.
    """
    require_role(acting_user, Role.CONSULTANT, doing="book a procedure")
    require_episode_reader(acting_user, episode)
    if not episode.is_open:
        raise Conflict("The episode is closed", field="episode")
    if not list_bookable_procedures(episode=episode).filter(pk=service.pk).exists():
        raise InvalidInput(f"{service.name} is not a procedure for this episode", field="service")
    practitioner = practitioner_for(acting_user)
    if not practitioner.services.filter(pk=service.pk).exists():
        raise InvalidInput(f"{service.name} is not on your list of services", field="service")
    when = now or timezone.now()
    slots = get_availability(
        service=service, practitioner=practitioner, days=SEARCH_DAYS, limit=1, now=when
    )
    if not slots:
        raise Conflict(
            f"No free {service.name} slot on your list in the next {SEARCH_DAYS} days",
            field="service",
        )
    slot = slots[0]
    result = book_appointment(
        service=service,
        clinic=Clinic.objects.get(pk=slot.clinic_id),
        practitioner=practitioner,
        start=slot.start,
        patient=episode.patient,
        channel=Appointment.Channel.STAFF,
        booked_by=acting_user,
        now=when,
    )
    return result.appointment
