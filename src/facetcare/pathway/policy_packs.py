"""The clinic's policy packs for the web tier: shipped packs plus the folder in
settings.FACETCARE_POLICY_PACK_DIR, loaded once and reused until the file changes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from facetcare.core import policy
from facetcare.errors import InvalidInput, NotFound


def pack_dir() -> Path:
    return Path(settings.FACETCARE_POLICY_PACK_DIR)


def _stamp(pack_id: str, directory: Path) -> float:
    # A clinic edits its pack in place; the file's mtime makes a fresh load follow the edit.
    path = directory / f"{pack_id}.yaml"
    return path.stat().st_mtime if path.is_file() else 0.0


@lru_cache(maxsize=32)
def _load(pack_id: str, directory: str, stamp: float) -> policy.Pack:
    return policy.load_pack(pack_id, extra_dirs=(Path(directory),))


def get_pack(pack_id: str) -> policy.Pack:
    """The validated pack ``pack_id``; NotFound if no pack has that id, InvalidInput if the
    clinic's pack file is broken (the message names the file and the rule)."""
    directory = pack_dir()
    try:
        return _load(pack_id, str(directory), _stamp(pack_id, directory))
    except policy.UnknownPack as error:
        raise NotFound(str(error), field="pack") from None
    except policy.PackError as error:
        raise InvalidInput(str(error), field="pack", code="invalid_pack") from None


def list_packs() -> list[policy.PackInfo]:
    return policy.list_packs(extra_dirs=(pack_dir(),))


def clear_cache() -> None:
    _load.cache_clear()
