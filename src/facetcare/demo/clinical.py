"""The demo's clinical record, written through the pathway, patients and booking services.

Every episode, assessment, procedure, plan and booking here is made the way a
clinician's page makes it, acting as the demo logins, so versions and access
log entries are real. Only the appointments of procedures done months ago are
written directly, like the rest of the demo diary: the booking service rightly
refuses a start in the past. A case is built once, when its patient has no
episode yet, so loading twice adds nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from facetcare.booking.models import Appointment
from facetcare.booking.selectors import get_availability
from facetcare.booking.services import book_appointment
from facetcare.clinics.models import Clinic, Practitioner, Room
from facetcare.demo import clinical_data as data
from facetcare.demo.directory import Directory
from facetcare.demo.people import LINKED_PRACTITIONER
from facetcare.pathway.models import Episode
from facetcare.pathway.procedure_booking import book_planned_procedure
from facetcare.pathway.procedures import record_procedure, record_procedure_response
from facetcare.pathway.services import (
    open_episode,
    plan_procedure,
    record_assessment,
    transition_episode,
)
from facetcare.patients.models import Patient
from facetcare.patients.records import update_patient_details
from facetcare.patients.services import PatientDetails, find_or_create_patient

US_PACK = "medicare_lcd_l38773"


@dataclass(frozen=True)
class Cast:
    """Who acts, where, and when: the demo logins and the Manchester procedure list."""

    users: dict[str, User]
    consultant: Practitioner
    clinic: Clinic
    directory: Directory
    now: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.clinic.time_zone)).date()


@dataclass(frozen=True)
class Case:
    key: str
    patient: Patient
    episode: Episode


def load_clinical_cases(*, directory: Directory, now: datetime) -> tuple[int, list[Case]]:
    """Build the five demo cases that are missing; return how many were added and all five."""
    users = {u.username: u for u in User.objects.filter(username__in=LOGIN_NAMES)}
    cast = Cast(
        users=users,
        consultant=Practitioner.objects.get(registration_number=LINKED_PRACTITIONER["consultant"]),
        clinic=directory.clinics["manchester"],
        directory=directory,
        now=now,
    )
    added, cases = 0, []
    for who, build in BUILDERS:
        patient = _register(cast, who)
        episode = Episode.objects.filter(patient=patient).order_by("opened_at", "pk").first()
        if episode is None:
            episode = build(cast, patient)
            added += 1
        cases.append(Case(who.key, patient, episode))
    return added, cases


LOGIN_NAMES = ("physio", "consultant", "reception", "referrer")


def _register(cast: Cast, who: data.CasePatient) -> Patient:
    patient = find_or_create_patient(
        details=PatientDetails(who.first_name, who.last_name, who.born, who.email, who.phone)
    )
    if patient.sex != who.sex:
        patient = update_patient_details(
            patient=patient,
            changes={"sex": who.sex},
            reason="registered from the referral letter",
            acting_user=cast.users["reception"],
        )
    return patient


def _newly_referred(cast: Cast, patient: Patient) -> Episode:
    # The demo referrer sends this one, so the referrer login has a patient to follow.
    return open_episode(
        patient=patient,
        region="lumbar",
        side="left",
        referral_source="case_manager",
        referral_note="Low back pain since lifting at work in the spring; please assess.",
        acting_user=cast.users["referrer"],
    )


def _gp_referral_assessed(
    cast: Cast, patient: Patient, *, region: str, side: str, note: str, details: dict[str, Any]
) -> Episode:
    """A GP referral that reception opens and the physio assesses."""
    episode = open_episode(
        patient=patient,
        region=region,
        side=side,
        referral_source="gp",
        referral_note=note,
        acting_user=cast.users["reception"],
    )
    record_assessment(episode=episode, details=details, acting_user=cast.users["physio"])
    return episode


def _red_flagged(cast: Cast, patient: Patient) -> Episode:
    episode = _gp_referral_assessed(
        cast,
        patient,
        region="lumbar",
        side="bilateral",
        note="Three weeks of low back pain, now numb in both legs.",
        details=data.CAUDA_EQUINA_ASSESSMENT,
    )
    return _reread(episode)


def _steroid_limit(cast: Cast, patient: Patient) -> Episode:
    consultant = cast.users["consultant"]
    episode = _gp_referral_assessed(
        cast,
        patient,
        region="cervical",
        side="right",
        note="Right-sided neck pain; helped by facet injections before.",
        details=data.CERVICAL_ASSESSMENT,
    )
    _cervical_history(cast, episode)
    _epidural_elsewhere(cast, patient)
    transition_episode(
        episode=episode,
        to_state="procedure_considered",
        reason="Pain back after two facet injections; a third is asked for",
        acting_user=consultant,
    )
    plan_procedure(episode=episode, plan=data.CERVICAL_PLAN, acting_user=consultant)
    return _reread(episode)


def _cervical_history(cast: Cast, episode: Episode) -> None:
    """Two positive diagnostic blocks and two steroid facet injections on this list."""
    consultant = cast.users["consultant"]
    patient = episode.patient
    for days_ago, kind, anaesthetic, relief, lasted in data.CERVICAL_HISTORY:
        steroid = Decimal(40) if kind == "ia_therapeutic" else Decimal(0)
        injectate = [{"agent": anaesthetic, "dose_mg": 5}]
        if steroid:
            injectate.insert(0, {"agent": "methylprednisolone", "dose_mg": 40})
        appointment = _past_procedure_appointment(cast, patient, kind, days_ago)
        procedure = record_procedure(
            episode=episode,
            appointment=appointment,
            details={
                **_procedure(
                    kind,
                    region="cervical",
                    levels=["C5-6"],
                    side="right",
                    injectate=injectate,
                    steroid=steroid,
                ),
                # When it was done, to the minute: the pain diary's relief is timed from it.
                "started_at": appointment.start + timedelta(minutes=10),
                "ended_at": appointment.start + timedelta(minutes=25),
            },
            acting_user=consultant,
        )
        record_procedure_response(
            procedure=procedure,
            relief_percent=relief,
            relief_duration_days=lasted,
            duration_concordant_with_agent=True if lasted is None else None,
            same_pain_scale_as_baseline=True,
            acting_user=consultant,
        )


def _epidural_elsewhere(cast: Cast, patient: Patient) -> None:
    """A lumbar epidural at another clinic, on an earlier episode now closed: the steroid
    limits count it all the same."""
    physio = cast.users["physio"]
    lumbar = open_episode(
        patient=patient,
        region="lumbar",
        side="bilateral",
        referral_source="self",
        referral_note="Low back pain, treated elsewhere.",
        acting_user=physio,
    )
    day = cast.today - timedelta(days=data.EPIDURAL_ELSEWHERE_DAYS_AGO)
    dexamethasone = [{"agent": "dexamethasone", "dose_mg": 6.6}]
    details = _procedure(
        "epidural_steroid",
        region="lumbar",
        levels=["L5-S1"],
        side="bilateral",
        injectate=dexamethasone,
        steroid=Decimal(40),
    )
    record_procedure(
        episode=lumbar,
        performed_elsewhere="Private hospital, interlaminar epidural (discharge letter)",
        details={**details, "performed_on": day},
        acting_user=physio,
    )
    transition_episode(
        episode=lumbar,
        to_state="discharged",
        reason="Recorded for the history only",
        acting_user=physio,
    )


def _first_block(cast: Cast, patient: Patient) -> Episode:
    consultant = cast.users["consultant"]
    episode = _gp_referral_assessed(
        cast,
        patient,
        region="lumbar",
        side="bilateral",
        note="Chronic low back pain despite physiotherapy.",
        details=data.LUMBAR_ASSESSMENT,
    )
    transition_episode(
        episode=episode,
        to_state="procedure_considered",
        reason="Pain still stops rehabilitation after sixteen weeks",
        acting_user=consultant,
    )
    plan_procedure(episode=episode, plan=data.FIRST_BLOCK_PLAN, acting_user=consultant)
    book_planned_procedure(
        episode=episode,
        service=cast.directory.services["lumbar-medial-branch-block"],
        acting_user=consultant,
        now=cast.now,
    )
    return _reread(episode)


def _us_referral(cast: Cast, patient: Patient) -> Episode:
    """A Medicare patient referred to the West Hills site (Los Angeles), assessment booked."""
    reception = cast.users["reception"]
    episode = open_episode(
        patient=patient,
        region="lumbar",
        side="right",
        referral_source="gp",
        referral_note="Primary care referral: low back pain for a year, worse on standing.",
        policy_pack_id=US_PACK,
        acting_user=reception,
    )
    service = cast.directory.services["facet-joint-assessment"]
    clinic = cast.directory.clinics["west-hills"]
    slot = get_availability(service=service, clinic=clinic, days=14, limit=1, now=cast.now)
    if slot:
        book_appointment(
            service=service,
            clinic=clinic,
            practitioner=Practitioner.objects.get(pk=slot[0].practitioner_id),
            start=slot[0].start,
            patient=patient,
            channel=Appointment.Channel.REFERRAL,
            booked_by=reception,
            now=cast.now,
        )
    return episode


def _procedure(
    kind: str,
    *,
    region: str,
    levels: list[str],
    side: str,
    injectate: list[dict[str, Any]],
    steroid: Decimal,
) -> dict[str, Any]:
    return {
        "type": kind,
        "region": region,
        "levels": levels,
        "side": side,
        "guidance": "fluoroscopy",
        "sedation": "none",
        "injectate": injectate,
        "steroid_mg_mpde": steroid,
        "consent_obtained": True,
        "risks_discussed": data.CONSENT_RISKS,
        "pre_pain_nrs": 7,
        "post_pain_nrs": 2,
    }


PROCEDURE_SERVICE = {
    "mbb_diagnostic": "cervical-medial-branch-block",
    "ia_therapeutic": "cervical-facet-injection",
}


def _past_procedure_appointment(
    cast: Cast, patient: Patient, kind: str, days_ago: int
) -> Appointment:
    """A completed afternoon appointment on the consultant's fluoroscopy list, on the
    last list day at or before ``days_ago`` days back."""
    service = cast.directory.services[PROCEDURE_SERVICE[kind]]
    day = _list_day(cast, cast.today - timedelta(days=days_ago))
    zone = ZoneInfo(cast.clinic.time_zone)
    start = datetime.combine(day, time(14, 30), zone)
    end = start + timedelta(minutes=service.duration_minutes)
    return Appointment.objects.create(
        patient=patient,
        service=service,
        clinic=cast.clinic,
        practitioner=cast.consultant,
        room=Room.objects.get(clinic=cast.clinic, equipment=["fluoroscopy"]),
        start=start,
        end=end,
        occupied_start=start - timedelta(minutes=service.buffer_before_minutes),
        occupied_end=end + timedelta(minutes=service.buffer_after_minutes),
        session_key=f"demo-case:{patient.pk}:{start.isoformat()}",
        channel=Appointment.Channel.STAFF,
        status=Appointment.Status.COMPLETED,
        price=service.price,
        currency=cast.clinic.currency,
    )


def _list_day(cast: Cast, day: date) -> date:
    weekdays = set(
        cast.consultant.working_hours.filter(clinic=cast.clinic).values_list("weekday", flat=True)
    )
    closed = {(c.first_day, c.last_day) for c in cast.clinic.closures.filter(first_day__lte=day)}
    while day.weekday() not in weekdays or any(a <= day <= b for a, b in closed):
        day -= timedelta(days=1)
    return day


def _reread(episode: Episode) -> Episode:
    return Episode.objects.select_related("patient").get(pk=episode.pk)


BUILDERS: tuple[tuple[data.CasePatient, Callable[[Cast, Patient], Episode]], ...] = (
    (data.NEWLY_REFERRED, _newly_referred),
    (data.RED_FLAGGED, _red_flagged),
    (data.STEROID_LIMIT, _steroid_limit),
    (data.FIRST_BLOCK, _first_block),
    (data.US_REFERRAL, _us_referral),
)
