"""NHS numbers are checked with the modulus-11 check digit."""

import pytest

from facetcare.errors import InvalidInput
from facetcare.patients.models import nhs_number_is_valid
from facetcare.patients.records import update_patient_details
from tests.pathway.world import ClinicalWorld


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9999999999"])
def test_it_accepts_numbers_whose_check_digit_is_right(number: str) -> None:
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("9434765918", "wrong check digit"),
        ("4010232138", "wrong check digit"),
        ("1000000010", "remainder gives check 10: never issued"),
        ("943476591", "nine digits"),
        ("94347659190", "eleven digits"),
        ("94347659A9", "a letter"),
    ],
)
def test_it_refuses_numbers_that_fail_the_check(number: str, why: str) -> None:
    assert not nhs_number_is_valid(number), why


def test_a_check_digit_of_eleven_is_written_as_zero() -> None:
    # 2000000010: weighted sum 2*10 + 1*2 = 22, remainder 0, 11 - 0 = 11, written 0.
    assert nhs_number_is_valid("2000000010")
    assert not nhs_number_is_valid("2000000011")


def test_a_patient_record_refuses_an_invalid_nhs_number_naming_the_field(
    cw: ClinicalWorld,
) -> None:
    with pytest.raises(InvalidInput) as error:
        update_patient_details(
            patient=cw.patient,
            changes={"nhs_number": "943 476 5918"},
            reason="from the GP letter",
            acting_user=cw.receptionist,
        )

    assert error.value.field == "nhs_number"
    cw.patient.refresh_from_db()
    assert cw.patient.nhs_number == ""


def test_a_patient_record_stores_a_valid_nhs_number_without_spaces(cw: ClinicalWorld) -> None:
    update_patient_details(
        patient=cw.patient,
        changes={"nhs_number": "943 476 5919"},
        reason="from the GP letter",
        acting_user=cw.receptionist,
    )

    cw.patient.refresh_from_db()
    assert cw.patient.nhs_number == "9434765919"
