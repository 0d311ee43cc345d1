"""A clinic's own details are checked as a patient's are."""

import pytest
from django.core.exceptions import ValidationError

from facetcare.phones import EXAMPLE_PHONE
from tests.booking.conftest import World


@pytest.mark.parametrize("phone", ["0161 496 0300", "+44 161 496 0300", "+447700900123"])
def test_a_clinic_phone_not_valid_in_e164_form_is_refused_naming_the_field(
    world: World, phone: str
) -> None:
    world.clinic.phone = phone

    with pytest.raises(ValidationError) as refused:
        world.clinic.full_clean()

    assert list(refused.value.message_dict) == ["phone"]


def test_a_clinic_phone_in_e164_form_is_accepted(world: World) -> None:
    world.clinic.phone = EXAMPLE_PHONE

    world.clinic.full_clean()
