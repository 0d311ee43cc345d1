"""Which rows are about a patient, found from the models themselves.

A row belongs to a patient's record when a chain of foreign keys leads from it
to the patient: an appointment (``patient``), an assessment
(``episode__patient``), a reminder (``appointment__patient``). Some tables
record a person by their details instead of a link (a waiting-list entry: names,
date of birth, email); their rows belong to the patient with the same details,
matched as a booking matches a patient (names and email ignoring case, the same
date of birth). The chains are found by walking every installed model, so a
table added later with a foreign key to a patient, or to something of a
patient's, is part of the subject access export and of erasure without anyone
remembering to add it.
"""

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

from facetcare.patients.models import Patient

# Long enough for patient <- episode <- procedure <- (a row about a procedure).
MAX_DEPTH = 4
# The details a booking matches a patient by; a table with all of them records a person.
IDENTITY_FIELDS = ("first_name", "last_name", "date_of_birth", "email")
# Foreign keys that point at a patient's row without the row being that patient's.
NOT_OWNERSHIP = {
    # The cancelled booking whose time is offered: its patient is not the one offered it.
    ("waitlist", "waitlistoffer", "freed_by"),
}

type ModelClass = type[models.Model]


@dataclass(frozen=True, slots=True)
class Link:
    """One way from a model's rows to their patient.

    ``lookup`` is an ORM path: to the patient's id (``episode__patient``) when
    ``by_identity`` is false, else to the row holding the person's details
    (``entry__``; empty for the model itself).
    """

    lookup: str
    by_identity: bool = False

    def condition(self, patient: Patient) -> Q:
        if not self.by_identity:
            return Q(**{self.lookup: patient.pk})
        return Q(
            **{
                f"{self.lookup}first_name__iexact": patient.first_name,
                f"{self.lookup}last_name__iexact": patient.last_name,
                f"{self.lookup}date_of_birth": patient.date_of_birth,
                f"{self.lookup}email__iexact": patient.email,
            }
        )

    def describe(self) -> str:
        """``episode__patient``, or ``entry__ (names, date of birth, email)``."""
        if not self.by_identity:
            return self.lookup
        return f"{self.lookup} (names, date of birth, email)".strip()

    def through(self, field: str) -> "Link":
        """This link reached from a model pointing here through ``field``."""
        if self.by_identity:
            return Link(f"{field}__{self.lookup}", by_identity=True)
        return Link(f"{field}__{self.lookup}" if self.lookup else field)


def _foreign_keys(model: ModelClass) -> Iterator[Any]:
    meta = model._meta
    for field in meta.get_fields():
        if not (field.concrete and (field.many_to_one or field.one_to_one)):
            continue
        if (meta.app_label, meta.model_name, field.name) in NOT_OWNERSHIP:
            continue
        yield field


def _records_a_person(model: ModelClass) -> bool:
    names = {field.name for field in model._meta.get_fields()}
    return model is not Patient and all(name in names for name in IDENTITY_FIELDS)


@functools.cache
def patient_owned_models() -> dict[ModelClass, tuple[Link, ...]]:
    """Every model with rows about a patient, with each link to that patient.

    ``{Appointment: (Link("patient"),), ProcedureRecord: (Link("episode__patient"),
    Link("appointment__patient")), ...}``, many-to-many tables included. A
    model's link to itself (a rescheduled appointment's ``rescheduled_from``) is
    not followed: the row reaches its patient directly anyway.
    """
    every = [m for m in apps.get_models(include_auto_created=True) if m is not Patient]
    links: dict[ModelClass, tuple[Link, ...]] = {Patient: (Link(""),)}
    links.update({m: (Link("", by_identity=True),) for m in every if _records_a_person(m)})
    for _ in range(MAX_DEPTH):
        changed = False
        for model in every:
            found = list(links.get(model, ()))
            for field in _foreign_keys(model):
                target = field.related_model
                if target is model or target not in links:
                    continue
                found += [link.through(field.name) for link in links[target]]
            unique = tuple(dict.fromkeys(found))
            if unique and unique != links.get(model):
                links[model] = unique
                changed = True
        if not changed:
            break
    del links[Patient]
    return links


def rows_of(model: ModelClass, patient: Patient) -> QuerySet[Any]:
    """The rows of ``model`` about ``patient``, by any of its links, in key order."""
    condition = Q(pk__in=[])
    for link in patient_owned_models()[model]:
        condition |= link.condition(patient)
    return model._default_manager.filter(condition).distinct().order_by("pk")
