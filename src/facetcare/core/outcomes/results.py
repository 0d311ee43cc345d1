"""What a derivation gives back: relief, concordance suggestions, durations and the
series it used, each able to say itself as plain JSON-ready values (section 6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from facetcare.core.outcomes.parameters import Threshold
from facetcare.core.outcomes.relief import stored_hours, stored_relief
from facetcare.core.outcomes.types import Kind, Scale

METHOD = "RD-1"


class Reason(StrEnum):
    """Why nothing (or not everything) was derived for a procedure."""

    PROCEDURE_TIME_MISSING = "procedure_time_missing"
    NOT_A_FACET_PROCEDURE = "not_a_facet_procedure"
    NO_BASELINE = "no_baseline"
    BASELINE_ZERO = "baseline_zero"
    NO_SCORES_IN_PEAK_WINDOW = "no_scores_in_peak_window"
    TOO_FEW_SCORES = "too_few_scores"


class Suggestion(StrEnum):
    """A diagnostic block's duration against its agent: only ever a suggestion."""

    CONCORDANT = "concordant"
    DISCORDANT = "discordant"
    CANNOT_TELL = "cannot_tell"
    NOT_APPLICABLE = "not_applicable"


class Bound(StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"


class DurationStatus(StrEnum):
    ENDED = "ended"
    GAP = "gap"
    OPEN = "open"
    NO_ONSET = "no_onset"


def _hours(value: Fraction | None) -> str | None:
    return None if value is None else str(stored_hours(value))


@dataclass(frozen=True)
class Point:
    """One score as a derivation used it: hours after the procedure (diagnostic diary)
    or its local day index (therapeutic and RF), and its exact relief."""

    score_id: int | str
    recorded_at: datetime
    value: int
    scale: Scale
    relief: Fraction
    elapsed_hours: Fraction
    day: int

    @property
    def stored_relief(self) -> Decimal:
        return stored_relief(self.relief)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score_id": self.score_id,
            "recorded_at": self.recorded_at.isoformat(),
            "value": self.value,
            "scale": str(self.scale),
            "relief": str(self.stored_relief),
            "hours": _hours(self.elapsed_hours),
            "day": self.day,
        }


@dataclass(frozen=True)
class Concordance:
    """Section 3's suggestion at one threshold: L (``lasted_hours``) and U
    (``ended_by_hours``) are exact; stored to two decimals."""

    threshold: Threshold
    suggestion: Suggestion
    agent: str
    expected_hours: tuple[int, int] | None
    peak_scores: int
    lasted_hours: Fraction | None = None
    ended_by_hours: Fraction | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold.label,
            "suggestion": str(self.suggestion),
            "agent": self.agent,
            "expected_hours": list(self.expected_hours) if self.expected_hours else None,
            "peak_scores": self.peak_scores,
            "lasted_hours": _hours(self.lasted_hours),
            "ended_by_hours": _hours(self.ended_by_hours),
        }


@dataclass(frozen=True)
class Duration:
    """Section 4's duration of relief at one threshold, in whole days counted from onset.

    ``bound`` is ``at_least`` when the walk stopped at a gap or the diary is still
    open: then ``days`` is a lower bound ("at least D days")."""

    threshold: Threshold
    days: int
    bound: Bound
    status: DurationStatus
    onset_day: int | None = None
    last_relief_day: int | None = None

    @property
    def text(self) -> str:
        unit = "day" if self.days == 1 else "days"
        prefix = "at least " if self.bound is Bound.AT_LEAST else ""
        return f"{prefix}{self.days} {unit}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold.label,
            "days": self.days,
            "bound": str(self.bound),
            "status": str(self.status),
            "onset_day": self.onset_day,
            "last_relief_day": self.last_relief_day,
        }


@dataclass(frozen=True)
class Derivation:
    """RD-1's result for one procedure. ``derivable`` is False when ``reasons`` name
    why nothing was derived; a derived ``relief_percent`` is floored at 0."""

    procedure_id: int | str
    kind: Kind | None
    parameters_version: str
    reasons: tuple[Reason, ...] = ()
    baseline: Point | None = None
    relief: Fraction | None = None
    relief_at: Point | None = None
    same_pain_scale_as_baseline: bool | None = None
    concordance: tuple[Concordance, ...] = ()
    durations: tuple[Duration, ...] = ()
    series: tuple[Point, ...] = ()

    @property
    def derivable(self) -> bool:
        return self.relief is not None

    @property
    def relief_percent(self) -> Decimal | None:
        if self.relief is None:
            return None
        return stored_relief(max(self.relief, Fraction(0)))

    def duration_at(self, threshold: Threshold) -> Duration | None:
        return next((d for d in self.durations if d.threshold == threshold), None)

    def concordance_at(self, threshold: Threshold) -> Concordance | None:
        return next((c for c in self.concordance if c.threshold == threshold), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": METHOD,
            "procedure_id": self.procedure_id,
            "kind": str(self.kind) if self.kind else None,
            "parameters_version": self.parameters_version,
            "derivable": self.derivable,
            "reasons": [str(reason) for reason in self.reasons],
            "relief_percent": None if self.relief_percent is None else str(self.relief_percent),
            "relief_at": self.relief_at.as_dict() if self.relief_at else None,
            "baseline": self.baseline.as_dict() if self.baseline else None,
            "same_pain_scale_as_baseline": self.same_pain_scale_as_baseline,
            "concordance": [c.as_dict() for c in self.concordance],
            "durations": [d.as_dict() for d in self.durations],
            "series": [p.as_dict() for p in self.series],
        }
