"""The clinical record's one link to the policy engine: which pack, which version, a decision."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from facetcare.core import policy
from facetcare.errors import InvalidInput, NotFound
from facetcare.pathway import policy_packs


def default_pack_id() -> str:
    """The pack a new episode follows unless one is named (setting
    ``FACETCARE_DEFAULT_POLICY_PACK``, from the environment; the UK clinic pack by default)."""
    return str(settings.FACETCARE_DEFAULT_POLICY_PACK)


def load(pack_id: str) -> policy.Pack:
    """The policy pack ``pack_id`` (shipped, or the clinic's own; cached until its file
    changes), or InvalidInput naming ``policy_pack_id``."""
    try:
        return policy_packs.get_pack(pack_id)
    except (NotFound, InvalidInput) as error:
        raise InvalidInput(
            f"Policy pack {pack_id!r}: {error.detail}", field="policy_pack_id"
        ) from None


def pack_version(pack_id: str) -> str:
    return load(pack_id).version


def evaluate(facts: Mapping[str, Any], pack: policy.Pack) -> policy.Decision:
    """The engine's decision for ``facts``; a facts error becomes InvalidInput naming the fact."""
    try:
        return policy.evaluate(facts, pack)
    except policy.FactsError as error:
        field = getattr(error, "field", None) or "facts"
        raise InvalidInput(f"The facts are incomplete or invalid: {error}", field=field) from None
