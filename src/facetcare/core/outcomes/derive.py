"""Method RD-1: derive relief facts for one procedure from the patient's pain scores.

    derivation = derive_response(procedure, scores, zone=ZoneInfo("Europe/London"),
                                 region_procedures=others)
    derivation.relief_percent, derivation.durations, derivation.reasons

Contract (``response-derivation.md``):

- ``scores`` are the patient's index-pain scores for the procedure's region, in any
  order; instants are aware (a naive one raises ``NaiveDatetime``).
- ``region_procedures`` are the patient's other facet procedures in that region:
  a score belongs to the latest of them performed before it, so a later
  procedure ends this one's series (attribution, section 0).
- ``zone`` is the clinic's time zone: it defines local dates (baseline day,
  day index); hours are always real elapsed time.
- Nothing is read from the clock. When nothing can be derived the result has
  ``relief is None`` and ``reasons`` say why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from fractions import Fraction

from facetcare.core.outcomes import diagnostic, sustained
from facetcare.core.outcomes.parameters import DEFAULT_PARAMETERS, Parameters
from facetcare.core.outcomes.relief import relief_fraction
from facetcare.core.outcomes.results import Derivation, Point, Reason
from facetcare.core.outcomes.types import FACET_TYPES, RF_TYPES, Kind, Procedure, Score, kind_of

_HOUR = timedelta(hours=1)
_MICROSECOND = timedelta(microseconds=1)
_MICROS_PER_HOUR = _HOUR // _MICROSECOND


def derive_response(
    procedure: Procedure,
    scores: Iterable[Score],
    *,
    zone: tzinfo,
    region_procedures: Iterable[Procedure] = (),
    parameters: Parameters = DEFAULT_PARAMETERS,
) -> Derivation:
    """RD-1's relief facts for ``procedure`` (see the module docstring)."""
    kind = kind_of(procedure.type)
    empty = Derivation(procedure.procedure_id, kind, parameters.version)
    if kind is None:
        return _without(empty, Reason.NOT_A_FACET_PROCEDURE)
    if procedure.performed_at is None:
        return _without(empty, Reason.PROCEDURE_TIME_MISSING)
    ordered = sorted(scores, key=lambda score: score.recorded_at)
    baseline = find_baseline(procedure, ordered, zone=zone, kind=kind, parameters=parameters)
    if baseline is None:
        return _without(empty, Reason.NO_BASELINE)
    if baseline.value == 0:
        return _without(empty, Reason.BASELINE_ZERO)
    later = attributed_scores(procedure, ordered, region_procedures)
    if kind is Kind.DIAGNOSTIC:
        return _diagnostic(procedure, baseline, later, zone, parameters)
    return _sustained(procedure, baseline, later, zone, parameters)


def find_baseline(
    procedure: Procedure,
    ordered: Sequence[Score],
    *,
    zone: tzinfo,
    kind: Kind,
    parameters: Parameters = DEFAULT_PARAMETERS,
) -> Score | None:
    """The latest score before the procedure, if its local date is the procedure's
    (diagnostic) or one of the 7 local days before it (therapeutic and RF)."""
    performed_at = _performed_at(procedure)
    before = [score for score in ordered if score.recorded_at < performed_at]
    if not before:
        return None
    latest = before[-1]
    gap = (performed_at.astimezone(zone).date() - latest.recorded_at.astimezone(zone).date()).days
    allowed = 0 if kind is Kind.DIAGNOSTIC else parameters.therapeutic_baseline_lookback_days
    return latest if gap <= allowed else None


def attributed_scores(
    procedure: Procedure, ordered: Sequence[Score], region_procedures: Iterable[Procedure]
) -> list[Score]:
    """Scores after ``procedure`` that belong to it: none performed at or after a later
    facet procedure in the same region (that procedure's series starts there)."""
    performed_at = _performed_at(procedure)
    cut_offs = [
        other.performed_at
        for other in region_procedures
        if other.performed_at is not None
        and other.type in FACET_TYPES
        and other.region == procedure.region
        and other.performed_at > performed_at
    ]
    ends = min(cut_offs, default=None)
    return [
        score
        for score in ordered
        if score.recorded_at > performed_at and (ends is None or score.recorded_at <= ends)
    ]


def _point(score: Score, baseline: Score, performed_at: datetime, zone: tzinfo) -> Point:
    elapsed = Fraction((score.recorded_at - performed_at) // _MICROSECOND, _MICROS_PER_HOUR)
    day = (score.recorded_at.astimezone(zone).date() - performed_at.astimezone(zone).date()).days
    return Point(
        score.score_id,
        score.recorded_at,
        score.value,
        score.scale,
        relief_fraction(baseline.value, score.value),
        elapsed,
        day,
    )


def _same_scale(baseline: Score, considered: Sequence[Score]) -> bool | None:
    if not considered:
        return None
    return all(score.scale == baseline.scale for score in considered)


def _diagnostic(
    procedure: Procedure,
    baseline: Score,
    later: Sequence[Score],
    zone: tzinfo,
    parameters: Parameters,
) -> Derivation:
    performed_at = _performed_at(procedure)
    base = _point(baseline, baseline, performed_at, zone)
    diary_scores = [
        score
        for score in later
        if score.recorded_at - performed_at <= parameters.diary_hours * _HOUR
    ]
    diary = [
        _point(score, baseline, performed_at, zone)
        for score in diary_scores
        if score.scale == baseline.scale
    ]
    agent, window = parameters.agent_window(procedure.agent)
    peak = [point for point in diary if point.elapsed_hours <= window.peak_hours]
    result = Derivation(
        procedure.procedure_id,
        Kind.DIAGNOSTIC,
        parameters.version,
        baseline=base,
        same_pain_scale_as_baseline=_same_scale(baseline, diary_scores),
        series=tuple(diary),
    )
    if not peak:
        return _without(result, Reason.NO_SCORES_IN_PEAK_WINDOW)
    best = diagnostic.best_in_window(peak)
    suggestions = tuple(
        diagnostic.concordance(
            threshold, peak=peak, diary=diary, agent=agent, window=window, parameters=parameters
        )
        for threshold in parameters.diagnostic_thresholds
    )
    return replace(result, relief=best.relief, relief_at=best, concordance=suggestions)


def _sustained(
    procedure: Procedure,
    baseline: Score,
    later: Sequence[Score],
    zone: tzinfo,
    parameters: Parameters,
) -> Derivation:
    performed_at = _performed_at(procedure)
    kind = Kind.RF if procedure.type in RF_TYPES else Kind.THERAPEUTIC
    points = [
        _point(score, baseline, performed_at, zone)
        for score in later
        if score.scale == baseline.scale
    ]
    values = sustained.day_values(points, parameters)
    result = Derivation(
        procedure.procedure_id,
        kind,
        parameters.version,
        baseline=_point(baseline, baseline, performed_at, zone),
        same_pain_scale_as_baseline=_same_scale(baseline, later),
        series=tuple(values),
    )
    if len(values) < parameters.sustained_run:
        return _without(result, Reason.TOO_FEW_SCORES)
    relief, at = sustained.best_sustained(values, parameters.sustained_run)
    window = (
        parameters.onset_window_days_rf
        if kind is Kind.RF
        else parameters.onset_window_days_injection
    )
    durations = tuple(
        sustained.duration(threshold, values, onset_window_days=window, parameters=parameters)
        for threshold in parameters.duration_thresholds
    )
    return replace(result, relief=relief, relief_at=at, durations=durations)


def _performed_at(procedure: Procedure) -> datetime:
    if procedure.performed_at is None:
        raise ValueError("The procedure has no performed_at")
    return procedure.performed_at


def _without(result: Derivation, reason: Reason) -> Derivation:
    return replace(result, reasons=(*result.reasons, reason))
