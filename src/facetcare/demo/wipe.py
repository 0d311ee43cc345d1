"""Removes every demo row, children first, so ``facetcare demo --reset`` starts clean."""

from django.contrib.auth import get_user_model

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.demo.directory import demo_clinic_slugs, demo_registrations, demo_service_slugs
from facetcare.demo.people import PATIENT_EMAIL_DOMAIN, demo_usernames
from facetcare.patients.models import Patient


def wipe_demo() -> None:
    clinics = Clinic.objects.filter(slug__in=demo_clinic_slugs())
    patients = Patient.objects.filter(email__endswith=f"@{PATIENT_EMAIL_DOMAIN}")
    Appointment.objects.filter(clinic__in=clinics).update(rescheduled_from=None)
    Appointment.objects.filter(clinic__in=clinics).delete()
    Appointment.objects.filter(patient__in=patients).update(rescheduled_from=None)
    Appointment.objects.filter(patient__in=patients).delete()
    patients.delete()
    Practitioner.objects.filter(registration_number__in=demo_registrations()).delete()
    Service.objects.filter(slug__in=demo_service_slugs()).delete()
    clinics.delete()
    get_user_model().objects.filter(username__in=demo_usernames()).delete()
