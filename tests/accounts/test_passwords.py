"""New staff passwords are checked by Django's validators."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("48213975406", "entirely numeric"),
    ],
)
def test_a_weak_password_is_refused(password: str, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert reason in " ".join(refused.value.messages)


def test_a_long_uncommon_password_is_accepted() -> None:
    validate_password("facet joints ache at dawn")
