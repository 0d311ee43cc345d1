"""Rehabilitation phases to mark on the pain chart: a hook into the rehab app.

``phases_for(patient_id)`` asks ``facetcare.rehab.selectors.chart_phases(patient_id=...)``
when the rehab app provides it: an iterable of objects or mappings with
``label``, ``starts_on`` and ``ends_on`` (local dates; ``ends_on`` may be None).
Otherwise it reads the phases of the patient's rehab programmes
(``rehab.ProgrammePhase``: started on ``actual_start``, else ``planned_start``,
until ``planned_end``). Without the rehab app the chart shows no phases. Reading
phases needs no further access check: the outcomes selector calling this has
checked and logged the read.
"""

from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class PhaseBand:
    label: str
    starts_on: date
    ends_on: date | None


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def phases_for(patient_id: int) -> list[PhaseBand]:
    try:
        provider = import_module("facetcare.rehab.selectors").chart_phases
    except (ImportError, AttributeError):
        return _programme_phases(patient_id)
    bands = []
    for item in provider(patient_id=patient_id):
        starts = _field(item, "starts_on")
        if isinstance(starts, date):
            ends = _field(item, "ends_on")
            bands.append(
                PhaseBand(
                    str(_field(item, "label")), starts, ends if isinstance(ends, date) else None
                )
            )
    return bands


def _programme_phases(patient_id: int) -> list[PhaseBand]:
    try:
        phase_model: Any = import_module("facetcare.rehab.models").ProgrammePhase
    except (ImportError, AttributeError):
        return []
    rows = phase_model.objects.filter(programme__patient_id=patient_id).order_by(
        "planned_start", "number"
    )
    return [
        PhaseBand(f"Phase {row.number}", row.actual_start or row.planned_start, row.planned_end)
        for row in rows
    ]
