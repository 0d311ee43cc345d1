"""Value types of method RD-1: the scores and the procedure that go in.

Every instant is an aware ``datetime``; a naive one is refused with
``NaiveDatetime`` (use ``local_time.instant_from_local`` for a clinic-local
wall-clock time first). Scores are always the patient's *index* pain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Scale(StrEnum):
    """The two pain scales RD-1 reads, with their ranges."""

    NRS_11 = "NRS-11"
    VAS_100 = "VAS-100"

    @property
    def maximum(self) -> int:
        return 10 if self is Scale.NRS_11 else 100


class Kind(StrEnum):
    """Which part of RD-1 a procedure type falls under."""

    DIAGNOSTIC = "diagnostic"
    THERAPEUTIC = "therapeutic"
    RF = "rf"


DIAGNOSTIC_TYPES = frozenset({"mbb_diagnostic", "ia_diagnostic"})
THERAPEUTIC_TYPES = frozenset({"ia_therapeutic", "mbb_therapeutic"})
RF_TYPES = frozenset({"rfa"})
FACET_TYPES = DIAGNOSTIC_TYPES | THERAPEUTIC_TYPES | RF_TYPES


def kind_of(procedure_type: str) -> Kind | None:
    """RD-1's kind for a procedure type; None for anything it never derives
    (epidural, sacroiliac and peripheral joint injections: section 7)."""
    if procedure_type in DIAGNOSTIC_TYPES:
        return Kind.DIAGNOSTIC
    if procedure_type in THERAPEUTIC_TYPES:
        return Kind.THERAPEUTIC
    if procedure_type in RF_TYPES:
        return Kind.RF
    return None


class NaiveDatetime(ValueError):
    """A datetime without a UTC offset where an instant is needed."""


def require_aware(value: datetime, name: str) -> datetime:
    """``value`` unchanged if it carries an offset; NaiveDatetime naming ``name`` if not."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(f"{name} must carry a UTC offset (got {value.isoformat()})")
    return value


@dataclass(frozen=True)
class Score:
    """One recorded pain score: ``score_id`` names it in the series a derivation keeps."""

    score_id: int | str
    recorded_at: datetime
    value: int
    scale: Scale

    def __post_init__(self) -> None:
        require_aware(self.recorded_at, "recorded_at")
        if not 0 <= self.value <= self.scale.maximum:
            raise ValueError(f"{self.scale} score {self.value} is outside 0-{self.scale.maximum}")


@dataclass(frozen=True)
class Procedure:
    """A facet procedure as RD-1 reads it.

    ``performed_at`` is the instant of the injection or lesioning (None: nothing is
    derived); ``agent`` the local anaesthetic(s) as recorded ("lidocaine",
    "methylprednisolone+bupivacaine", ...).
    """

    procedure_id: int | str
    performed_at: datetime | None
    type: str
    region: str
    agent: str = ""

    def __post_init__(self) -> None:
        if self.performed_at is not None:
            require_aware(self.performed_at, "performed_at")
