"""The clinical record's one link to the policy engine: which pack, which version, a decision."""

import importlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from facetcare.errors import InvalidInput

DEFAULT_PACK_ID = "uk_nice_ng59_clinic"


def _policy() -> Any:
    # Imported on use: the engine's packs load from files, and the models and
    # admin must import without them.
    return importlib.import_module("facetcare.core.policy")


def default_pack_id() -> str:
    """The pack a new episode follows unless one is named.

    Setting ``FACETCARE_DEFAULT_POLICY_PACK``; the UK clinic pack otherwise.
    """
    return str(getattr(settings, "FACETCARE_DEFAULT_POLICY_PACK", DEFAULT_PACK_ID))


def load(pack_id: str) -> Any:
    """The policy pack ``pack_id``, or InvalidInput naming the field if there is none."""
    policy = _policy()
    try:
        return policy.load_pack(pack_id, extra_dirs=(settings.FACETCARE_POLICY_PACK_DIR,))
    except (LookupError, ValueError, OSError) as error:
        raise InvalidInput(
            f"Unknown policy pack {pack_id!r}: {error}", field="policy_pack_id"
        ) from None


def pack_version(pack_id: str) -> str:
    return str(load(pack_id).version)


def evaluate(facts: Mapping[str, Any], pack: Any) -> Any:
    """The engine's decision for ``facts``; a facts error becomes InvalidInput."""
    policy = _policy()
    try:
        return policy.evaluate(facts, pack)
    except policy.FactsError as error:
        raise InvalidInput(f"The facts are incomplete or invalid: {error}", field="facts") from None
