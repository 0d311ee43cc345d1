"""Erasure on request, where the law allows it, and never while a record must be kept.

UK GDPR Article 17(3)(c) and (b) let a provider of health care keep records it
is obliged to keep. The retention periods come from NHS England's Records
Management Code of Practice 2023 (Appendix II, retention schedule): adult health
records for 8 years after the conclusion of treatment; children's records until
the patient's 25th birthday, or 26th if they were 17 when treatment ended, and
at least 8 years after it ended. So:

- a patient with any clinical record (an episode of care and what hangs from
  it) is refused: clinical records are reviewed for destruction under the
  clinic's retention schedule when the period ends, not erased on request;
- a patient who attended an appointment is refused until the retention period
  after the last attended one has passed;
- a patient with an upcoming booking is refused until it is cancelled;
- anyone else (bookings made and cancelled or missed, a waiting-list place,
  consents) is erased: their details are overwritten, everything else about
  them that is not kept for the clinic's own accounts is deleted, and the
  erasure is written to the access log.

Appointments stay, attached to the anonymised patient, because the diary and
the clinic's figures count them; what identified the person on them goes.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from facetcare.audit.actors import Actor
from facetcare.audit.models import AccessLogEntry, RecordVersion
from facetcare.audit.services import log_access, record_version
from facetcare.booking.models import Appointment
from facetcare.errors import Conflict, InvalidInput, NotFound
from facetcare.pathway.access import require_role
from facetcare.patients.models import Patient
from facetcare.patients.ownership import patient_owned_models, rows_of
from facetcare.web.roles import Role

SOURCE = (
    "NHS England Records Management Code of Practice 2023, Appendix II: adult health records "
    "8 years after the conclusion of treatment; children's until the 25th birthday "
    "(26th if 17 at the end of treatment)"
)
ADULT_YEARS = 8
# Apps whose rows are the clinical record.
CLINICAL_APPS = frozenset({"pathway", "outcomes", "rehab"})
TREATED = (Appointment.Status.ARRIVED, Appointment.Status.COMPLETED)
# Rows that stay, anonymised through the patient they point at.
KEPT = (Patient, Appointment, AccessLogEntry)


@dataclass(frozen=True)
class ErasureDecision:
    allowed: bool
    reasons: list[str]
    retain_until: date | None
    source: str = SOURCE


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def retention_ends(*, last_treatment: date, date_of_birth: date) -> date:
    """The first day a record of treatment ending on ``last_treatment`` may be destroyed."""
    ends = _years_after(last_treatment, ADULT_YEARS)
    age = last_treatment.year - date_of_birth.year
    if (last_treatment.month, last_treatment.day) < (date_of_birth.month, date_of_birth.day):
        age -= 1
    if age < 18:
        ends = max(ends, _years_after(date_of_birth, 26 if age == 17 else 25))
    return ends


def _clinical_counts(patient: Patient) -> dict[str, int]:
    counts = {}
    for model in patient_owned_models():
        if model._meta.app_label in CLINICAL_APPS and not model._meta.auto_created:
            found = rows_of(model, patient).count()
            if found:
                meta = model._meta
                counts[str(meta.verbose_name if found == 1 else meta.verbose_name_plural)] = found
    return counts


def _last_treatment(patient: Patient) -> date | None:
    last = patient.appointments.filter(status__in=TREATED).aggregate(last=Max("start"))["last"]
    return timezone.localdate(last) if last else None


def decide_erasure(*, patient: Patient, now: datetime) -> ErasureDecision:
    """Whether ``patient`` may be erased at ``now``, and if not, every reason why."""
    reasons = []
    last = _last_treatment(patient)
    retain_until = (
        retention_ends(last_treatment=last, date_of_birth=patient.date_of_birth) if last else None
    )
    clinical = _clinical_counts(patient)
    if clinical:
        held = ", ".join(f"{count} {name}" for name, count in clinical.items())
        reasons.append(
            f"The patient has a clinical record ({held}). It is kept for the retention period "
            "after the last treatment and then reviewed for destruction, not erased on request."
        )
    if retain_until and now.date() < retain_until:
        reasons.append(
            f"The patient attended an appointment on {last:%d %B %Y}; the record of treatment "
            f"must be kept until {retain_until:%d %B %Y}."
        )
    upcoming = patient.appointments.filter(status=Appointment.Status.BOOKED, end__gt=now).count()
    if upcoming:
        reasons.append(f"The patient has {upcoming} upcoming booking(s); cancel them first.")
    return ErasureDecision(allowed=not reasons, reasons=reasons, retain_until=retain_until)


def _delete_owned_rows(patient: Patient) -> None:
    # Found before the details are overwritten: some rows match the person by them.
    doomed = [
        (model, list(rows_of(model, patient).values_list("pk", flat=True)))
        for model in patient_owned_models()
        if model not in KEPT
    ]
    deepest_first = sorted(
        doomed, key=lambda item: -max(len(link.lookup) for link in patient_owned_models()[item[0]])
    )
    for model, pks in deepest_first:
        _delete_versions(model, pks)
        model._default_manager.filter(pk__in=pks).delete()


def _delete_versions(model: type[models.Model], pks: list[Any]) -> None:
    # Earlier versions of the person's details would name them still.
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    RecordVersion.objects.filter(content_type=content_type, object_id__in=pks).delete()


def _anonymise(patient: Patient) -> None:
    blank = {
        f.name: f.get_default()
        for f in Patient._meta.concrete_fields
        if f.name not in {"id", "created_at"}
    }
    for name, value in blank.items():
        setattr(patient, name, value)
    patient.first_name, patient.last_name = "Erased", f"patient {patient.pk}"
    patient.date_of_birth = date(1900, 1, 1)
    patient.email = f"erased-{patient.pk}@erased.invalid"
    patient.save()
    for appointment in patient.appointments.all():
        appointment.idempotency_key = None
        appointment.request_fingerprint = ""
        appointment.cancellation_reason = ""
        # A manage link sent to the person opens nothing any more.
        appointment.manage_secret = secrets.token_urlsafe(24)
        appointment.save(
            update_fields=[
                "idempotency_key", "request_fingerprint", "cancellation_reason", "manage_secret",
            ]
        )  # fmt: skip


def erase_patient(
    *, patient_id: int, reason: str, acting_user: Actor, now: datetime | None = None
) -> ErasureDecision:
    """Erase a patient who may be erased (see ``decide_erasure``); Conflict with the
    reasons otherwise. Managers only; ``reason`` (the request) is required."""
    require_role(acting_user, Role.MANAGER, doing="erase a patient")
    if not reason.strip():
        raise InvalidInput("Say why the patient is being erased (the request)", field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        # The row lock keeps a booking for this patient from landing meanwhile.
        patient = Patient.objects.select_for_update().filter(pk=patient_id).first()
        if patient is None:
            raise NotFound(f"No patient {patient_id}")
        decision = decide_erasure(patient=patient, now=now)
        if not decision.allowed:
            raise Conflict(" ".join(decision.reasons), field="reason")
        _delete_owned_rows(patient)
        _delete_versions(Patient, [patient.pk])
        _anonymise(patient)
        record_version(instance=patient, changed_by=acting_user, reason=f"erased: {reason}")
        log_access(
            user=acting_user, action="erase", patient_id=patient.pk, object_type="patient",
            object_id=patient.pk,
        )  # fmt: skip
    return decision
