"""Removes every demo row, children first, so ``facetcare demo --reset`` starts clean.

Clinical records are never deleted in use; the demo's are fiction about demo
patients, so a reset takes them, their versions and their access log with it.
A demo login that touched a real patient's record keeps the database's
protection: the reset then fails rather than cut that record's audit trail.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from facetcare.audit.models import RecordVersion
from facetcare.audit.services import discard_fictional_access_log
from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.demo.directory import demo_clinic_slugs, demo_registrations, demo_service_slugs
from facetcare.demo.outcomes import wipe_scores
from facetcare.demo.people import PATIENT_EMAIL_DOMAIN, demo_usernames
from facetcare.demo.portal import wipe_portal_accounts
from facetcare.demo.rehab import wipe_programmes
from facetcare.pathway.models import Assessment, Episode, PolicyOverride, ProcedureRecord
from facetcare.patients.models import Consent, Patient
from facetcare.waitlist.models import WaitlistEntry, WaitlistOffer


def wipe_demo() -> None:
    clinics = Clinic.objects.filter(slug__in=demo_clinic_slugs())
    patients = Patient.objects.filter(email__endswith=f"@{PATIENT_EMAIL_DOMAIN}")
    _wipe_clinical_records(patients)
    # After the access log about them is gone: the portal users logged the patients' own reads.
    wipe_portal_accounts(patients)
    services = Service.objects.filter(slug__in=demo_service_slugs())
    WaitlistOffer.objects.filter(clinic__in=clinics).delete()
    WaitlistEntry.objects.filter(service__in=services).delete()
    WaitlistEntry.objects.filter(email__endswith=f"@{PATIENT_EMAIL_DOMAIN}").delete()
    Appointment.objects.filter(clinic__in=clinics).update(rescheduled_from=None)
    Appointment.objects.filter(clinic__in=clinics).delete()
    Appointment.objects.filter(patient__in=patients).update(rescheduled_from=None)
    Appointment.objects.filter(patient__in=patients).delete()
    patients.delete()
    Practitioner.objects.filter(registration_number__in=demo_registrations()).delete()
    Service.objects.filter(slug__in=demo_service_slugs()).delete()
    clinics.delete()
    get_user_model().objects.filter(username__in=demo_usernames()).delete()


def _wipe_clinical_records(patients: QuerySet[Patient]) -> None:
    episodes = Episode.objects.filter(patient__in=patients)
    # Children before parents; the patients themselves go later, with their bookings.
    records: list[QuerySet[Any]] = [
        PolicyOverride.objects.filter(episode__in=episodes),
        ProcedureRecord.objects.filter(episode__in=episodes),
        Assessment.objects.filter(episode__in=episodes),
        episodes,
        Consent.objects.filter(patient__in=patients),
    ]
    wipe_programmes(patients)
    wipe_scores(patients)
    _wipe_versions(patients)
    for rows in records:
        _wipe_versions(rows)
        rows.delete()
    discard_fictional_access_log(patient_ids=patients.values_list("pk", flat=True))


def _wipe_versions(rows: QuerySet[Any]) -> None:
    RecordVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(rows.model),
        object_id__in=list(rows.values_list("pk", flat=True)),
    ).delete()
