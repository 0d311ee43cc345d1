"""Facet levels are parsed, canonicalised and checked against the region."""

import pytest

from facetcare.pathway.levels import canonical_level, validate_levels


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("L4-5", "L4-5"), ("l4-l5", "L4-5"), ("C5-6", "C5-6"), ("T12-L1", "T12-L1"),
     ("L5-S1", "L5-S1"), ("C7-T1", "C7-T1")],
)  # fmt: skip
def test_it_reads_levels_the_clinical_way(text: str, canonical: str) -> None:
    assert canonical_level(text) == canonical


@pytest.mark.parametrize("text", ["L4-6", "L5-4", "X1-2", "L6-S1", "C8-T1", "L4"])
def test_it_refuses_a_level_that_is_not_two_adjacent_vertebrae(text: str) -> None:
    with pytest.raises(ValueError, match="level"):
        canonical_level(text)


def test_it_refuses_levels_outside_the_region_so_the_wrong_spine_is_not_recorded() -> None:
    with pytest.raises(ValueError, match="not in the cervical spine"):
        validate_levels(["L4-5"], region="cervical")


def test_a_junctional_level_belongs_to_both_regions() -> None:
    assert validate_levels(["T12-L1"], region="lumbar") == ["T12-L1"]
    assert validate_levels(["T12-L1"], region="thoracic") == ["T12-L1"]


def test_a_level_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        validate_levels(["L4-5", "l4-l5"], region="lumbar")
