"""Spinal facet levels written the clinical way ("L4-5", "C5-6", "T12-L1", "L5-S1").

A level is one facet joint pair between two adjacent vertebrae. Parsing checks
adjacency, so "L4-6" or "L5-L4" are refused instead of being stored as text.
"""

import re

_SEGMENTS = (
    [f"C{n}" for n in range(1, 8)]
    + [f"T{n}" for n in range(1, 13)]
    + [f"L{n}" for n in range(1, 6)]
    + ["S1"]
)
_INDEX = {name: i for i, name in enumerate(_SEGMENTS)}
_PATTERN = re.compile(r"^([CTLS])(\d{1,2})-([CTLS]?)(\d{1,2})$")
_REGION_OF_LETTER = {"C": "cervical", "T": "thoracic", "L": "lumbar"}


def canonical_level(text: str) -> str:
    """The canonical spelling of a facet level, or ValueError saying what is wrong.

    The lower vertebra's letter is omitted when it repeats the upper's ("L4-5"),
    and kept when the level crosses regions ("T12-L1", "L5-S1", "C7-T1").
    """
    match = _PATTERN.match(text.strip().upper())
    if not match:
        raise ValueError(f"{text!r} is not a facet level such as L4-5, C5-6, T12-L1 or L5-S1")
    upper_letter, upper_number, lower_letter, lower_number = match.groups()
    upper = f"{upper_letter}{int(upper_number)}"
    lower = f"{lower_letter or upper_letter}{int(lower_number)}"
    if upper not in _INDEX or lower not in _INDEX or _INDEX[lower] != _INDEX[upper] + 1:
        raise ValueError(f"{text!r} is not a level between two adjacent vertebrae")
    if lower[0] == upper[0]:
        return f"{upper}-{lower[1:]}"
    return f"{upper}-{lower}"


def regions_of_level(level: str) -> frozenset[str]:
    """The spinal regions a canonical level belongs to.

    Junctional levels (C7-T1, T12-L1) belong to both neighbours, so a T12-L1
    block may be recorded as lumbar, as the Medicare contractor's billing
    article counts it; L5-S1 is lumbar.
    """
    upper, lower = level.split("-", maxsplit=1)
    regions = {_REGION_OF_LETTER[upper[0]]}
    if lower[0].isalpha() and lower[0] != upper[0] and lower[0] in _REGION_OF_LETTER:
        regions.add(_REGION_OF_LETTER[lower[0]])
    if lower.startswith("S"):
        regions = {"lumbar"}
    return frozenset(regions)


def validate_levels(levels: list[str], *, region: str) -> list[str]:
    """Canonical, distinct levels that all lie in ``region``; ValueError otherwise."""
    if not levels:
        raise ValueError("Give at least one level, e.g. L4-5")
    canonical = [canonical_level(level) for level in levels]
    if len(set(canonical)) != len(canonical):
        raise ValueError("A level is listed twice")
    outside = [level for level in canonical if region not in regions_of_level(level)]
    if outside:
        raise ValueError(f"Levels {', '.join(outside)} are not in the {region} spine")
    return canonical
