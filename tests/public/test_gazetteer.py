import pytest

from facetcare.public.gazetteer import find_place


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("M3 4ZZ", "Deansgate, Manchester"),
        ("m34zz", "Deansgate, Manchester"),
        ("  wa14  2ab ", "Altrincham"),
        ("BL1", "Bolton, north and west"),
        ("SW1A 1AA", "Westminster"),
        ("M99 1AA", "Manchester"),
        ("91307", "West Hills, CA"),
        ("93001-1234", "Ventura, CA"),
        ("93399", "Bakersfield, CA"),
        ("Bolton", "Bolton"),
        ("salford   quays", "Salford Quays"),
        ("Fresno, CA", "Fresno, CA"),
        ("Leeds, UK", "Leeds"),
        ("Lancaster", "Lancaster"),
        ("Lancaster, CA", "Lancaster, CA"),
    ],
)
def test_it_finds_postcodes_zip_codes_and_towns(typed: str, name: str) -> None:
    place = find_place(typed)

    assert place is not None
    assert place.name == name


def test_a_full_postcode_falls_back_to_its_district_then_its_area() -> None:
    district, area = find_place("M3 9XX"), find_place("M77 1AA")

    assert district is not None
    assert district.name == "Deansgate, Manchester"
    assert area is not None
    assert area.name == "Manchester"


@pytest.mark.parametrize("typed", ["", "   ", "Atlantis", "ZZ9 9ZZ", "00000", "United States"])
def test_unknown_places_are_not_guessed(typed: str) -> None:
    assert find_place(typed) is None


def test_coordinates_are_plausible_for_the_country() -> None:
    uk, us = find_place("M3 4ZZ"), find_place("91307")

    assert uk is not None
    assert 49 < uk.latitude < 61
    assert -9 < uk.longitude < 2
    assert us is not None
    assert 32 < us.latitude < 42
    assert -125 < us.longitude < -114
