"""A booking in progress, kept in the patient's session between the details and confirm steps.

The session holds the chosen time, the details typed and the idempotency key the
confirm form carries, so a slot taken meanwhile sends the person back to the
times with their details kept, and a repeated "Confirm booking" (a double click,
or back and submit again) finds the booking it already made. Once booked, only
the key and the confirmation link stay; the details are forgotten.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from facetcare.patients.services import PatientDetails

PENDING = "facetcare.public.pending"
DETAILS = "facetcare.public.details"
BOOKED = "facetcare.public.booked"
# Confirmation links of the latest bookings made in this session, by idempotency key.
BOOKED_KEPT = 5
DETAIL_FIELDS = ("first_name", "last_name", "date_of_birth", "email", "phone", "consent")


def new_key() -> str:
    """A fresh idempotency key; the prefix keeps web keys apart from API clients' own."""
    return f"web-{secrets.token_urlsafe(24)}"


@dataclass(frozen=True, slots=True)
class Pending:
    """The time chosen and the key that books it; the details are kept beside it."""

    clinic: str
    service: str
    start: datetime
    practitioner_id: int
    key: str

    @property
    def start_value(self) -> str:
        return self.start.isoformat()


def save_pending(session: SessionBase, pending: Pending, details: dict[str, Any]) -> None:
    session[PENDING] = {
        "clinic": pending.clinic,
        "service": pending.service,
        "start": pending.start.isoformat(),
        "practitioner": pending.practitioner_id,
        "key": pending.key,
    }
    keep_details(session, details)


def keep_details(session: SessionBase, details: dict[str, Any]) -> None:
    """Keep the details typed, to fill the form again for another time."""
    session[DETAILS] = {
        name: value.isoformat() if isinstance(value, date) else str(value)
        for name, value in details.items()
        if name in DETAIL_FIELDS
    }


def load_pending(session: SessionBase, *, clinic: str, service: str) -> Pending | None:
    """The booking in progress for this clinic and service, if its details are in too."""
    found = session.get(PENDING)
    if not isinstance(found, dict) or session.get(DETAILS) is None:
        return None
    if found.get("clinic") != clinic or found.get("service") != service:
        return None
    try:
        return Pending(
            clinic=clinic,
            service=service,
            start=datetime.fromisoformat(found["start"]),
            practitioner_id=int(found["practitioner"]),
            key=str(found["key"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def kept_details(session: SessionBase) -> dict[str, str]:
    """The details typed last in this session (to fill the form again), or {}."""
    found = session.get(DETAILS)
    return dict(found) if isinstance(found, dict) else {}


def patient_details(session: SessionBase) -> PatientDetails | None:
    found = kept_details(session)
    try:
        return PatientDetails(
            first_name=found["first_name"],
            last_name=found["last_name"],
            date_of_birth=date.fromisoformat(found["date_of_birth"]),
            email=found["email"],
            phone=found["phone"],
        )
    except (KeyError, ValueError):
        return None


def remember_booked(session: SessionBase, *, key: str, token: str) -> None:
    """Note the booking made with ``key`` and forget the details typed for it, so the
    next person at a shared computer does not find them filled in."""
    booked = dict(session.get(BOOKED) or {})
    booked[key] = token
    session[BOOKED] = dict(list(booked.items())[-BOOKED_KEPT:])
    session.pop(PENDING, None)
    session.pop(DETAILS, None)


def booked_token(session: SessionBase, key: str) -> str | None:
    """The confirmation token of the booking this session made with ``key``, if any."""
    found = session.get(BOOKED) or {}
    token = found.get(key) if isinstance(found, dict) else None
    return str(token) if token else None
