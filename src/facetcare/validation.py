"""Model validation as services use it: the first error becomes InvalidInput naming its field."""

from django.core.exceptions import ValidationError
from django.db import models

from facetcare.errors import InvalidInput


def full_clean_or_invalid(instance: models.Model, *, non_field: str = "body") -> None:
    """Run ``instance.full_clean()``; raise InvalidInput for the first field in error.

    An error that belongs to no single field (a model-wide check) is reported
    under ``non_field``, the form or API field a person would correct.
    """
    try:
        instance.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        name = non_field if field == "__all__" else field
        raise InvalidInput(f"{name}: {' '.join(messages)}", field=name) from None
