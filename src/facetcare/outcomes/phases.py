"""Rehabilitation phases to mark on the pain chart: a hook into the rehab app.

``phases_for(patient_id)`` asks ``facetcare.rehab.selectors.chart_phases(patient_id=...)``
when the rehab app provides it: an iterable of objects or mappings with
``label``, ``starts_on`` and ``ends_on`` (local dates; ``ends_on`` may be None).
Without it the chart shows no phases. Reading phases needs no further access
check: the outcomes selector calling this has checked and logged the read.
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
        return []
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
