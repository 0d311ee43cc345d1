"""Reads of the patient register."""

from django.db.models import QuerySet

from facetcare.patients.models import Patient


def search_patients(*, query: str, limit: int = 20) -> QuerySet[Patient]:
    """Patients whose last name starts with ``query`` (case-insensitive), for staff look-up."""
    return Patient.objects.filter(last_name__istartswith=query.strip()).order_by(
        "last_name", "first_name", "date_of_birth"
    )[:limit]
