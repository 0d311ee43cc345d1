"""When each outcome measure is due: local dates in the clinic's zone.

After an injection (``post_procedure``): a daily pain score for 14 days (to see
the usual 3-5 day onset of a steroid's relief), then weekly to 12 weeks; the
Patient-Specific Functional Scale and the disability questionnaire at baseline,
6 and 12 weeks and 6 months; the global rating of change at each follow-up.
Conservative care (``conservative``) has no daily diary: pain weekly to 12
weeks, the rest as above.

Dates are calendar arithmetic on the local date of the anchor instant (day 0),
never added 24-hour periods, so a procedure the day before the clocks change
gets its daily scores on consecutive local dates, none skipped or doubled.
"6 months" is the same day six calendar months on (clamped to a shorter
month's end).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from facetcare.core.outcomes.types import require_aware


class Measure(StrEnum):
    PAIN = "NRS-11"
    PSFS = "PSFS"
    DISABILITY = "disability"
    GLOBAL_CHANGE = "GROC"


class Pathway(StrEnum):
    POST_PROCEDURE = "post_procedure"
    CONSERVATIVE = "conservative"


@dataclass(frozen=True)
class ScheduleSpec:
    """A schedule as data: the defaults are issue 13's."""

    daily_pain_days: int = 14
    weekly_pain_until_week: int = 12
    follow_up_weeks: tuple[int, ...] = (6, 12)
    follow_up_months: tuple[int, ...] = (6,)
    # How many local days a measure stays open from its due date (inclusive).
    daily_window_days: int = 1
    weekly_window_days: int = 3
    questionnaire_window_days: int = 7


DEFAULT_SPEC = ScheduleSpec()


@dataclass(frozen=True, order=True)
class DueItem:
    """One measure due on a local date; ``closes_on`` is the last local date it is open."""

    due_on: date
    measure: Measure
    label: str
    closes_on: date

    @property
    def key(self) -> str:
        """Stable name within one schedule (idempotent scheduling)."""
        return f"{self.measure}:{self.due_on.isoformat()}"


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def anchor_date(instant: datetime, zone: tzinfo) -> date:
    """Day 0: the local date of ``instant`` (aware) in ``zone``."""
    return require_aware(instant, "anchor").astimezone(zone).date()


def plan_measures(
    anchor: datetime,
    zone: tzinfo,
    *,
    pathway: Pathway = Pathway.POST_PROCEDURE,
    spec: ScheduleSpec = DEFAULT_SPEC,
) -> list[DueItem]:
    """Every measure due after ``anchor`` (the procedure's or assessment's instant),
    in due-date order. Raises NaiveDatetime for a naive ``anchor``."""
    day0 = anchor_date(anchor, zone)
    items: list[DueItem] = []

    def due(offset: date, measure: Measure, label: str, window: int) -> None:
        items.append(DueItem(offset, measure, label, offset + timedelta(days=window - 1)))

    first_weekly = 1
    if pathway is Pathway.POST_PROCEDURE:
        for k in range(1, spec.daily_pain_days + 1):
            due(day0 + timedelta(days=k), Measure.PAIN, f"Day {k}", spec.daily_window_days)
        first_weekly = spec.daily_pain_days // 7 + 1
    for week in range(first_weekly, spec.weekly_pain_until_week + 1):
        due(day0 + timedelta(weeks=week), Measure.PAIN, f"Week {week}", spec.weekly_window_days)
    window = spec.questionnaire_window_days
    for measure in (Measure.PSFS, Measure.DISABILITY):
        due(day0, measure, "Baseline", window)
    follow_ups = [(day0 + timedelta(weeks=w), f"Week {w}") for w in spec.follow_up_weeks]
    follow_ups += [(add_months(day0, m), f"Month {m}") for m in spec.follow_up_months]
    for when, label in follow_ups:
        for measure in (Measure.PSFS, Measure.DISABILITY, Measure.GLOBAL_CHANGE):
            due(when, measure, label, window)
    return sorted(items)
