"""Rows of every kind a patient can have, made generically from the model registry.

Which tables belong to a patient is worked out here independently of
``patients.ownership``: a table with a foreign key to a patient, or to a table
that belongs to one, or one that records a person by name, date of birth and
email. A new table is therefore tested the day it is added; if its constraints
need particular values, add them to ``VALID``.
"""

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from model_bakery import baker

from facetcare.clinics.models import Clinic, Practitioner, Room, Service
from facetcare.patients.models import Patient
from tests.pathway.world import ClinicalWorld

IDENTITY = ("first_name", "last_name", "date_of_birth", "email")
# Links that do not make a row its target's patient's (see patients.ownership).
NOT_OWNERSHIP = {("waitlist", "waitlistoffer", "freed_by")}
_hours = itertools.count()


def _appointment_times() -> dict[str, Any]:
    start = datetime(2026, 6, 1, 8, tzinfo=UTC) + timedelta(hours=next(_hours))
    return {
        "start": start,
        "end": start + timedelta(minutes=30),
        "occupied_start": start,
        "occupied_end": start + timedelta(minutes=30),
        "price": Decimal("60"),
        "discount": Decimal("0"),
        "status": "cancelled",
    }


# Values that a table's check constraints need, by "app.model".
def _phase() -> dict[str, Any]:
    first = date(2026, 6, 1)
    return {"number": 1, "planned_start": first, "planned_end": first + timedelta(days=13)}


VALID: dict[str, Callable[[], dict[str, Any]]] = {
    "booking.appointment": _appointment_times,
    "pathway.assessment": lambda: {"nrs_pain": 6},
    "pathway.procedurerecord": lambda: {"performed_elsewhere": "Another clinic"},
    "outcomes.painscore": lambda: {"value": 5, "scale": "NRS-11"},
    "outcomes.duemeasure": lambda: {"due_on": date(2026, 6, 1), "closes_on": date(2026, 6, 1)},
    "outcomes.derivedresponse": lambda: {"relief_percent": None, "derivable": False},
    "rehab.programme": lambda: {"current_phase": 1},
    "rehab.programmephase": _phase,
    "rehab.programmeexercise": lambda: {"exercise_slug": "chin-tuck", "custom_exercise": None},
    "rehab.exerciselog": lambda: {"sets_done": 2},
    # One sign-in user per portal account.
    "portal.portalaccount": lambda: {"user": baker.make(User)},
    "waitlist.waitlistentry": lambda: {"consent_to_contact": True, "weekdays": [0]},
    "waitlist.waitlistoffer": lambda: {
        "created_at": datetime(2026, 6, 1, tzinfo=UTC),
        "expires_at": datetime(2026, 6, 2, tzinfo=UTC),
    },
}


def _links(model: type[models.Model]) -> list[Any]:
    meta = model._meta
    return [
        field
        for field in meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.one_to_one)
        and (meta.app_label, meta.model_name, field.name) not in NOT_OWNERSHIP
        and field.related_model is not model
    ]


def _records_a_person(model: type[models.Model]) -> bool:
    names = {field.name for field in model._meta.get_fields()}
    return model is not Patient and set(IDENTITY) <= names


def patient_tables() -> list[type[models.Model]]:
    """Every table whose rows belong to a patient, parents before children."""
    every = apps.get_models(include_auto_created=True)
    owned: list[type[models.Model]] = [m for m in every if _records_a_person(m)]
    known = {Patient, *owned}
    while True:
        more = [
            m for m in every if m not in known and any(f.related_model in known for f in _links(m))
        ]
        if not more:
            return owned
        owned += more
        known |= set(more)


class RowMaker:
    """Makes one row of a table for a patient, with the parents it needs."""

    def __init__(self, cw: ClinicalWorld) -> None:
        self.shared: dict[type[models.Model], models.Model] = {
            Clinic: cw.clinic,
            Service: cw.injection,
            Practitioner: cw.consultant_practitioner,
            Room: cw.room,
            User: cw.manager,
        }

    def make(self, model: type[models.Model], patient: Patient) -> models.Model:
        values: dict[str, Any] = VALID.get(model._meta.label_lower, dict)()
        linked = _records_a_person(model)
        if linked:
            values |= {name: getattr(patient, name) for name in IDENTITY}
        owned = patient_tables()
        for field in _links(model):
            target = field.related_model
            if target is Patient:
                values[field.name], linked = patient, True
            elif target in self.shared:
                values.setdefault(field.name, self.shared[target])
            elif target in owned and not field.null:
                values[field.name], linked = self.make(target, patient), True
        if not linked:  # only optional links lead to the patient: fill the first
            owner = next(f for f in _links(model) if f.related_model in owned)
            values[owner.name] = self.make(owner.related_model, patient)
        return baker.make(model, **values)
