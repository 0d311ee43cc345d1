"""Whether earlier blocks at each requested joint meet a relief requirement.

Used for "two diagnostic MBBs of at least 80% before RFA", "a positive MBB within
six months" and the like. A block whose relief or agent-concordance is not
recorded might count: when only such blocks stand between failing and passing,
the answer is "missing" (ask for the record), not "fail".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from facetcare.core.policy.anatomy import describe_pairs
from facetcare.core.policy.facts import Procedure
from facetcare.core.policy.procedures import describe_blocks, spaced_count
from facetcare.core.policy.registry import (
    Check,
    Status,
    at_least_text,
    failed,
    fmt,
    meets,
    missing,
    passed,
)


@dataclass(frozen=True)
class Requirement:
    min_blocks: int
    min_percent: float
    exclusive: bool = False
    min_days_apart: int = 0
    concordance: bool = False

    def describe(self) -> str:
        threshold = at_least_text(self.min_percent, exclusive=self.exclusive)
        text = f"{self.min_blocks} block(s) with {threshold}% relief"
        if self.concordance:
            text += ", duration concordant with the agent"
        if self.min_blocks > 1 and self.min_days_apart:
            text += f", at least {self.min_days_apart} days apart"
        return text

    def certain(self, block: Procedure) -> bool:
        relief = block.relief_percent
        if relief is None or not meets(relief, self.min_percent, exclusive=self.exclusive):
            return False
        return not self.concordance or block.duration_concordant_with_agent is True

    def possible(self, block: Procedure) -> bool:
        relief = block.relief_percent
        if relief is None:
            return block.duration_concordant_with_agent is not False or not self.concordance
        if not meets(relief, self.min_percent, exclusive=self.exclusive):
            return False
        return not self.concordance or block.duration_concordant_with_agent is not False


def joint_status(blocks: Iterable[Procedure], joint: tuple[str, str], need: Requirement) -> Status:
    covering = [b for b in blocks if joint in b.pairs]
    certain = [b.date for b in covering if need.certain(b)]
    if spaced_count(certain, need.min_days_apart) >= need.min_blocks:
        return Status.PASS
    possible = [b.date for b in covering if need.possible(b)]
    if spaced_count(possible, need.min_days_apart) >= need.min_blocks:
        return Status.MISSING
    return Status.FAIL


def check_joints(
    blocks: Sequence[Procedure],
    joints: Iterable[tuple[str, str]],
    need: Requirement,
    *,
    purpose: str,
) -> Check:
    """Pass when every joint has the required blocks; name the joints that do not."""
    joints = sorted(joints)
    by_status: dict[Status, list[tuple[str, str]]] = {}
    for joint in joints:
        by_status.setdefault(joint_status(blocks, joint, need), []).append(joint)
    relevant = [b for b in blocks if b.pairs & set(joints)]
    used = {
        "blocks": [
            {
                "path": b.path,
                "date": b.date.isoformat(),
                "type": b.type,
                "relief_percent": b.relief_percent,
                "duration_concordant_with_agent": b.duration_concordant_with_agent,
            }
            for b in relevant
        ]
    }
    text = f"{purpose} needs {need.describe()} at each of {describe_pairs(joints)}; " + (
        f"blocks found: {describe_blocks(relevant)}"
    )
    if Status.FAIL in by_status:
        return failed(f"{text}. Not met at {describe_pairs(by_status[Status.FAIL])}.", **used)
    if Status.MISSING in by_status:
        return missing(
            f"{text}. Relief or agent concordance not recorded for "
            f"{describe_pairs(by_status[Status.MISSING])}.",
            **used,
        )
    return passed(f"{text}. Met.", **used)


def relief_text(block: Procedure) -> str:
    days = block.relief_duration_days
    duration = "duration not recorded" if days is None else f"for {days} days"
    return f"{fmt(block.relief_percent)}% relief {duration}"
