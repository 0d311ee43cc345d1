"""Spinal levels, regions and the (level, side) pairs procedures cover.

A level is one facet joint level such as ``L4-5``: the joint pair, so a
bilateral procedure at one level is one level and two joints. Medicare's
frequency limits are "per covered spinal region", encoded as two groups,
cervical_thoracic and lumbar_sacral, with T12-L1 and L1-2 counted as lumbar
(CGS billing article A58364, January 2025 clarification).
"""

import re
from collections.abc import Iterable

LEVEL_PATTERN = re.compile(r"^(?P<upper>[CTL])(?P<n>\d{1,2})-(?P<lower>[CTLS])?(?P<m>\d{1,2})$")
SIDES = ("left", "right", "bilateral")
GROUP_OF_REGION = {
    "cervical": "cervical_thoracic",
    "thoracic": "cervical_thoracic",
    "lumbar": "lumbar_sacral",
}


def is_level(text: str) -> bool:
    return LEVEL_PATTERN.match(text) is not None


def region_of_level(level: str) -> str:
    """``cervical``, ``thoracic`` or ``lumbar`` for a valid level string.

    The junction T12-L1 is lumbar (it is treated and billed with the lumbar levels);
    C7-T1 is cervical.
    """
    match = LEVEL_PATTERN.match(level)
    if match is None:
        raise ValueError(f"not a spinal level: {level!r}")
    upper, number = match["upper"], int(match["n"])
    if upper == "C":
        return "cervical"
    if upper == "T" and number < 12:
        return "thoracic"
    return "lumbar"


def group_of_level(level: str) -> str:
    return GROUP_OF_REGION[region_of_level(level)]


def groups_of(levels: Iterable[str]) -> set[str]:
    return {group_of_level(level) for level in levels}


def regions_of(levels: Iterable[str]) -> set[str]:
    return {region_of_level(level) for level in levels}


def joint_pairs(levels: Iterable[str], side: str | None) -> frozenset[tuple[str, str]]:
    """The (level, side) joints covered: bilateral covers left and right."""
    sides = ("left", "right") if side in (None, "bilateral") else (side or "",)
    return frozenset((level, s) for level in levels for s in sides)


def describe_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """``L4-5 left, L4-5 right`` in spinal order for messages."""
    return ", ".join(f"{level} {side}" for level, side in sorted(pairs))
