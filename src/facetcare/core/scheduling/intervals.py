"""Interval arithmetic on half-open spans of integer microseconds since the epoch (UTC).

Lists of spans are kept sorted and disjoint ("normal"), so every operation is a
single linear sweep, and membership questions are a binary search.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

Span = tuple[int, int]

# Sorts after every real span that starts at the same instant.
_FOREVER = 1 << 80


def normalise(spans: Iterable[Span]) -> list[Span]:
    """Sort ``spans``, drop empty ones and join those that overlap or touch."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def intersect(left: Sequence[Span], right: Sequence[Span]) -> list[Span]:
    """Spans covered by both normal lists."""
    out: list[Span] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            out.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(base: Sequence[Span], holes: Sequence[Span]) -> list[Span]:
    """Spans of normal list ``base`` not covered by normal list ``holes``."""
    if not holes:
        return list(base)
    out: list[Span] = []
    j = 0
    for start, end in base:
        while j < len(holes) and holes[j][1] <= start:
            j += 1
        k = j
        cursor = start
        while k < len(holes) and holes[k][0] < end:
            if holes[k][0] > cursor:
                out.append((cursor, holes[k][0]))
            cursor = max(cursor, holes[k][1])
            k += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def covering(spans: Sequence[Span], start: int, end: int) -> bool:
    """Whether one span of normal list ``spans`` contains ``[start, end)``."""
    i = bisect_right(spans, (start, _FOREVER)) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def overlapping(spans: Sequence[Span], start: int, end: int) -> bool:
    """Whether any span of normal list ``spans`` overlaps ``[start, end)``."""
    i = bisect_right(spans, (start, _FOREVER))
    if i > 0 and spans[i - 1][1] > start:
        return True
    return i < len(spans) and spans[i][0] < end
