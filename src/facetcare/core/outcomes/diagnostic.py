"""Diagnostic blocks (``mbb_diagnostic``, ``ia_diagnostic``): section 3 of RD-1.

The diary is every score with ``0 < elapsed <= 48 h`` after the block, elapsed
being real time (instant minus instant), never wall-clock time: an entry at
03:30 BST after a block at 22:30 GMT on 28 March 2026 is 4 h later, not 5 h.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from facetcare.core.outcomes.parameters import AgentWindow, Parameters, Threshold
from facetcare.core.outcomes.results import Concordance, Point, Suggestion


def in_diary(point: Point, parameters: Parameters) -> bool:
    return 0 < point.elapsed_hours <= parameters.diary_hours


def best_in_window(peak: Sequence[Point]) -> Point:
    """The highest relief in the peak window; the earliest wins a tie."""
    best = peak[0]
    for point in peak[1:]:
        if point.relief > best.relief:
            best = point
    return best


def concordance(
    threshold: Threshold,
    *,
    peak: Sequence[Point],
    diary: Sequence[Point],
    agent: str,
    window: AgentWindow,
    parameters: Parameters,
) -> Concordance:
    """The suggestion at ``threshold`` (steps 1-6 of section 3).

    ``peak`` and ``diary`` hold same-scale scores in time order, ``peak`` those inside
    the agent's peak window. The relief run starts at the first peak score meeting
    the threshold and goes on through later diary scores while they meet it.
    """
    found = Concordance(
        threshold, Suggestion.NOT_APPLICABLE, agent, window.expected_hours, len(peak)
    )
    first = next((point for point in peak if threshold.met_by(point.relief)), None)
    if first is None:
        return found
    last, ended_by = first, None
    for point in diary[diary.index(first) + 1 :]:
        if not threshold.met_by(point.relief):
            ended_by = point
            break
        last = point
    lasted: Fraction = last.elapsed_hours
    ended: Fraction | None = None if ended_by is None else ended_by.elapsed_hours
    return Concordance(
        threshold,
        _suggest(lasted, ended, window, len(peak), parameters),
        agent,
        window.expected_hours,
        len(peak),
        lasted,
        ended,
    )


def _suggest(
    lasted: Fraction,
    ended: Fraction | None,
    window: AgentWindow,
    peak_scores: int,
    parameters: Parameters,
) -> Suggestion:
    if window.expected_hours is None:
        return Suggestion.CANNOT_TELL
    lower, upper = window.expected_hours
    if lasted > upper or (ended is not None and ended < lower):
        # Relief outlasted the agent, or ended before the agent could wear off.
        return Suggestion.DISCORDANT
    if peak_scores < parameters.min_peak_scores_for_concordance:
        return Suggestion.CANNOT_TELL
    if lower <= lasted <= upper:
        return Suggestion.CONCORDANT
    return Suggestion.CANNOT_TELL
