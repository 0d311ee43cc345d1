"""Follow-up schedules: what each patient is due to record, and when.

``schedule_after_procedure(*, procedure, acting_user=None, now=None)`` is the hook
the pathway (or the clinician's "Start follow-up" button, or the demo) calls once
a procedure is recorded; calling it again returns the schedule it made.
``schedule_conservative_care(*, episode, acting_user, now=None)`` does the same for
an episode without a procedure. Dates come from ``core.outcomes.schedule`` as
local dates in the clinic's zone; each measure's reminder may be emailed from
18:00 local on its due date (pain: "how was today?") or 09:00 (questionnaires).
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from facetcare.audit.actors import Actor, authenticated
from facetcare.core.outcomes import Measure, Pathway, plan_measures
from facetcare.core.outcomes.local_time import local_at
from facetcare.errors import Conflict
from facetcare.outcomes.models import DueMeasure, MeasureSchedule
from facetcare.outcomes.places import zone_for_patient, zone_for_procedure
from facetcare.pathway.access import require_role
from facetcare.pathway.models import Episode, ProcedureRecord
from facetcare.web.roles import CLINICAL_ROLES

REMIND_AT = {Measure.PAIN: time(18, 0)}
REMIND_QUESTIONNAIRES_AT = time(9, 0)


def procedure_instant(procedure: ProcedureRecord, zone: ZoneInfo) -> datetime:
    """When the procedure was done: its recorded start, else its appointment's start,
    else midday local on its date."""
    if procedure.started_at is not None:
        return procedure.started_at
    if procedure.appointment_id is not None and procedure.appointment is not None:
        return procedure.appointment.start
    return local_at(procedure.performed_on, time(12, 0), zone)


def _create(
    *,
    episode: Episode,
    procedure: ProcedureRecord | None,
    pathway: Pathway,
    anchor: datetime,
    zone: ZoneInfo,
    acting_user: Actor | None,
    now: datetime,
) -> MeasureSchedule:
    items = plan_measures(anchor, zone, pathway=pathway)
    schedule = MeasureSchedule.objects.create(
        patient_id=episode.patient_id,
        episode=episode,
        procedure=procedure,
        pathway=pathway.value,
        anchor_at=anchor,
        anchor_date=anchor.astimezone(zone).date(),
        time_zone=str(zone),
        created_by=authenticated(acting_user) if acting_user is not None else None,
        created_at=now,
    )
    DueMeasure.objects.bulk_create(
        DueMeasure(
            schedule=schedule,
            patient_id=episode.patient_id,
            measure=item.measure.value,
            label=item.label,
            due_on=item.due_on,
            closes_on=item.closes_on,
            remind_at=local_at(
                item.due_on, REMIND_AT.get(item.measure, REMIND_QUESTIONNAIRES_AT), zone
            ),
        )
        for item in items
    )
    return schedule


@transaction.atomic
def schedule_after_procedure(
    *, procedure: ProcedureRecord, acting_user: Actor | None = None, now: datetime | None = None
) -> MeasureSchedule:
    """The follow-up schedule of ``procedure`` (made now if it has none): daily pain
    for 14 days, weekly to 12 weeks, PSFS and disability at baseline, 6 and 12 weeks
    and 6 months. ``acting_user`` None: the system (a hook or the demo)."""
    if acting_user is not None:
        require_role(acting_user, *CLINICAL_ROLES, doing="start a follow-up schedule")
    locked = (
        ProcedureRecord.objects.select_for_update(of=("self",))
        .select_related("episode", "appointment__clinic")
        .get(pk=procedure.pk)
    )
    existing = MeasureSchedule.objects.filter(procedure=locked).first()
    if existing is not None:
        return existing
    zone = zone_for_procedure(locked)
    return _create(
        episode=locked.episode,
        procedure=locked,
        pathway=Pathway.POST_PROCEDURE,
        anchor=procedure_instant(locked, zone),
        zone=zone,
        acting_user=acting_user,
        now=now or timezone.now(),
    )


@transaction.atomic
def schedule_conservative_care(
    *, episode: Episode, acting_user: Actor, now: datetime | None = None
) -> MeasureSchedule:
    """Weekly pain to 12 weeks and the questionnaires, from now, for an episode in
    conservative care; Conflict if it already has one."""
    require_role(acting_user, *CLINICAL_ROLES, doing="start a follow-up schedule")
    now = now or timezone.now()
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    if MeasureSchedule.objects.filter(episode=locked, procedure__isnull=True).exists():
        raise Conflict("This episode already has a conservative-care schedule")
    return _create(
        episode=locked,
        procedure=None,
        pathway=Pathway.CONSERVATIVE,
        anchor=now,
        zone=zone_for_patient(locked.patient_id),
        acting_user=acting_user,
        now=now,
    )
