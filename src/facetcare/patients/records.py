"""The patient's record outside the clinical episodes: demographics, GP, funding, consents.

Reads take the acting user, check what that user may see and log the access;
writes are versioned like every clinical record.
"""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from facetcare.audit.actors import Actor, authenticated
from facetcare.audit.services import log_access, record_version
from facetcare.errors import Forbidden, InvalidInput, NotFound
from facetcare.pathway.access import DEMOGRAPHIC_READERS, can_read_demographics, require_role
from facetcare.patients.models import Consent, Patient
from facetcare.validation import full_clean_or_invalid

# Identity (name, date of birth) is corrected through the same path, because a
# wrong identity is how one patient's record reaches another.
EDITABLE_FIELDS = frozenset(
    f.name for f in Patient._meta.concrete_fields if f.name not in {"id", "created_at"}
)


def normalise_nhs_number(value: str) -> str:
    """Digits only, so "943 476 5919" and "943-476-5919" are stored as "9434765919"."""
    return "".join(ch for ch in value if ch not in " -")


def get_patient(*, patient_id: int, acting_user: Actor) -> Patient:
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise NotFound(f"No patient {patient_id}")
    if not can_read_demographics(acting_user, patient.pk):
        raise Forbidden("You may not see this patient's record")
    log_access(
        user=acting_user, action="read", patient_id=patient.pk, object_type="patient",
        object_id=patient.pk,
    )  # fmt: skip
    return patient


@transaction.atomic
def update_patient_details(
    *, patient: Patient, changes: Mapping[str, Any], reason: str, acting_user: Actor
) -> Patient:
    """Change demographics, contact preferences, GP, identifiers or funding; versioned."""
    require_role(acting_user, *DEMOGRAPHIC_READERS, doing="change a patient's details")
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown patient fields: {', '.join(unknown)}", field=unknown[0])
    current = Patient.objects.select_for_update().get(pk=patient.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    current.nhs_number = normalise_nhs_number(current.nhs_number)
    # The model-wide checks concern the funding details.
    full_clean_or_invalid(current, non_field="funding_source")
    current.save()
    record_version(instance=current, changed_by=acting_user, reason=reason or "details changed")
    log_access(
        user=acting_user, action="amend", patient_id=current.pk, object_type="patient",
        object_id=current.pk,
    )  # fmt: skip
    return current


@transaction.atomic
def record_consent(
    *, patient: Patient, kind: str, given: bool, acting_user: Actor, note: str = ""
) -> Consent:
    """Record a consent given or withdrawn; earlier decisions stay as they were."""
    require_role(acting_user, *DEMOGRAPHIC_READERS, doing="record a consent")
    if kind not in Consent.Kind.values:
        raise InvalidInput(f"Unknown consent kind {kind!r}", field="kind")
    consent = Consent.objects.create(
        patient=patient,
        kind=kind,
        given=given,
        recorded_at=timezone.now(),
        recorded_by=authenticated(acting_user),
        note=note,
    )
    record_version(instance=consent, changed_by=acting_user, reason="recorded")
    log_access(
        user=acting_user, action="create", patient_id=patient.pk, object_type="consent",
        object_id=consent.pk,
    )  # fmt: skip
    return consent


def current_consents(*, patient: Patient, acting_user: Actor) -> dict[str, Consent]:
    """The consent in force for each kind recorded (the latest decision of that kind)."""
    if not can_read_demographics(acting_user, patient.pk):
        raise Forbidden("You may not see this patient's record")
    latest: dict[str, Consent] = {}
    for consent in patient.consents.order_by("kind", "-recorded_at", "-id"):
        latest.setdefault(consent.kind, consent)
    log_access(
        user=acting_user, action="read", patient_id=patient.pk, object_type="consent_list",
        object_id=None,
    )  # fmt: skip
    return latest
