"""Therapeutic injections and RF (``ia_therapeutic``, ``mbb_therapeutic``, ``rfa``):
section 4 of RD-1.

Days are the clinic's local calendar dates (day 0 = the procedure's date), so a
23- or 25-hour daylight-saving day is still one day; elapsed 24-hour periods
are never counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from facetcare.core.outcomes.parameters import Parameters, Threshold
from facetcare.core.outcomes.results import Bound, Duration, DurationStatus, Point


def day_values(points: Sequence[Point], parameters: Parameters) -> list[Point]:
    """One value per local day ``k >= 1``, the last score recorded that day (a later
    entry corrects an earlier one), ignoring scores less than 12 h after the
    procedure (the local anaesthetic's effect). ``points`` are in time order."""
    by_day: dict[int, Point] = {}
    for point in points:
        if point.day >= 1 and point.elapsed_hours >= parameters.ignore_first_hours:
            by_day[point.day] = point
    return [by_day[day] for day in sorted(by_day)]


def best_sustained(values: Sequence[Point], run: int) -> tuple[Fraction, Point]:
    """The highest, over every run of ``run`` consecutive day values, of the lowest
    relief in the run; with the first point of the (earliest) best run."""
    best: tuple[Fraction, Point] | None = None
    for start in range(len(values) - run + 1):
        lowest = min(point.relief for point in values[start : start + run])
        if best is None or lowest > best[0]:
            best = (lowest, values[start])
    if best is None:
        raise ValueError(f"Sustained relief needs at least {run} day values")
    return best


def duration(
    threshold: Threshold, values: Sequence[Point], *, onset_window_days: int, parameters: Parameters
) -> Duration:
    """Relief duration at ``threshold``: from the first day value meeting it on a day
    ``k <= onset_window_days``, through single lows (bridged), until 2 consecutive
    lows (``ended``), a gap of more than 14 days (``gap``) or the end of the diary
    (``open``). Inclusive: last relief day - onset day + 1."""
    onset = next(
        (
            index
            for index, point in enumerate(values)
            if point.day <= onset_window_days and threshold.met_by(point.relief)
        ),
        None,
    )
    if onset is None:
        return Duration(threshold, 0, Bound.EXACT, DurationStatus.NO_ONSET)
    onset_day = last_relief = previous = values[onset].day
    lows, status = 0, DurationStatus.OPEN
    for point in values[onset + 1 :]:
        if point.day - previous > parameters.max_gap_days:
            status = DurationStatus.GAP
            break
        previous = point.day
        if threshold.met_by(point.relief):
            last_relief, lows = point.day, 0
            continue
        lows += 1
        if lows >= parameters.lows_to_end:
            status = DurationStatus.ENDED
            break
    bound = Bound.EXACT if status is DurationStatus.ENDED else Bound.AT_LEAST
    return Duration(threshold, last_relief - onset_day + 1, bound, status, onset_day, last_relief)
