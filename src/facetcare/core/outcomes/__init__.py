"""FacetCare's outcome core: method RD-1 (relief facts from pain scores) and the
schedules of outcome measures. Pure Python, no Django.

    derivation = derive_response(procedure, scores, zone=zone, region_procedures=others)
    plan_measures(procedure_instant, zone)  # what is due, as local dates

See ``response-derivation.md`` (clinical reference) for the method, and
``docs/architecture.md`` for where the Django app stores and shows the results.
"""

from facetcare.core.outcomes.derive import attributed_scores, derive_response, find_baseline
from facetcare.core.outcomes.local_time import NonexistentLocalTime, instant_from_local
from facetcare.core.outcomes.parameters import DEFAULT_PARAMETERS, Parameters, Threshold
from facetcare.core.outcomes.procedure_facts import RecordFacts, integer_for_record, record_facts
from facetcare.core.outcomes.relief import relief_fraction, stored_relief
from facetcare.core.outcomes.results import (
    METHOD,
    Bound,
    Concordance,
    Derivation,
    Duration,
    DurationStatus,
    Point,
    Reason,
    Suggestion,
)
from facetcare.core.outcomes.schedule import DueItem, Measure, Pathway, plan_measures
from facetcare.core.outcomes.types import Kind, NaiveDatetime, Procedure, Scale, Score

__all__ = [
    "DEFAULT_PARAMETERS",
    "METHOD",
    "Bound",
    "Concordance",
    "Derivation",
    "DueItem",
    "Duration",
    "DurationStatus",
    "Kind",
    "Measure",
    "NaiveDatetime",
    "NonexistentLocalTime",
    "Parameters",
    "Pathway",
    "Point",
    "Procedure",
    "Reason",
    "RecordFacts",
    "Scale",
    "Score",
    "Suggestion",
    "Threshold",
    "attributed_scores",
    "derive_response",
    "find_baseline",
    "instant_from_local",
    "integer_for_record",
    "plan_measures",
    "record_facts",
    "relief_fraction",
    "stored_relief",
]
