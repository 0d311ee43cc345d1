"""From a derivation to the facts a procedure record holds for the policy engine.

The record keeps one ``relief_duration_days`` while RD-1 derives a duration per
threshold (section 4): a duration at ``>30`` never serves a 50% rule. So the
duration written is the one at the threshold of the rule that will read it,
chosen by pack, procedure type and region (``RULE_DURATIONS``, the rules of
section 4's table). A lower bound (``at_least``) is written only when it already
meets that rule's minimum; below it the fact stays missing, so the rule asks
for more information instead of refusing (section 6).

The record's ``relief_percent`` is a whole number while RD-1 stores one decimal
place. ``integer_for_record`` picks the whole number that falls on the same side
of every threshold that is a multiple of 10, inclusive or strict, as the exact
relief does (79.76... -> 79, fails >=80; 30.77 -> 31, meets >30; 87.5 -> 87).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from facetcare.core.outcomes.parameters import Threshold
from facetcare.core.outcomes.results import Bound, Derivation
from facetcare.core.outcomes.types import Kind

MEDICARE = "medicare_lcd_l38773"
UK = "uk_nice_ng59_clinic"
THERAPEUTIC = frozenset({"ia_therapeutic", "mbb_therapeutic"})
RF = frozenset({"rfa"})
AT_50 = Threshold(50, True)
OVER_30 = Threshold(30, False)


@dataclass(frozen=True)
class RuleDuration:
    """A pack rule that reads a prior procedure's relief duration."""

    rule_id: str
    pack_id: str
    types: frozenset[str]
    regions: frozenset[str] | None
    threshold: Threshold
    min_days: int | None


RULE_DURATIONS = (
    RuleDuration("MCR-TX-03", MEDICARE, THERAPEUTIC, None, AT_50, 90),
    RuleDuration("MCR-RFA-03", MEDICARE, RF, None, AT_50, 180),
    RuleDuration("UK-RF-03", UK, RF, frozenset({"lumbar"}), AT_50, None),
    RuleDuration("UK-RF-04", UK, RF, frozenset({"cervical"}), OVER_30, 90),
)


@dataclass(frozen=True)
class RecordFacts:
    """What a clinician's confirmation writes to the procedure record."""

    relief_percent: int
    relief_duration_days: int | None
    same_pain_scale_as_baseline: bool | None
    duration_threshold: Threshold | None
    duration_rule: str | None
    note: str


def rule_for(pack_id: str, procedure_type: str, region: str) -> RuleDuration | None:
    for rule in RULE_DURATIONS:
        if rule.pack_id != pack_id or procedure_type not in rule.types:
            continue
        if rule.regions is None or region in rule.regions:
            return rule
    return None


def integer_for_record(relief: Fraction) -> int:
    """A whole-number percentage on the same side as ``relief`` (0-100) of every
    multiple-of-10 threshold, inclusive or strict (see the module docstring)."""
    value = min(max(relief, Fraction(0)), Fraction(100))
    whole = math.floor(value)
    if value == whole or whole % 10 != 0:
        return whole
    # Just above a multiple of 10: meets the strict threshold there, so must the record.
    return whole + 1


def record_facts(
    derivation: Derivation, *, pack_id: str, procedure_type: str, region: str
) -> RecordFacts:
    """The record's facts from a derivable ``derivation`` (ValueError otherwise)."""
    if derivation.relief is None:
        raise ValueError("Nothing was derived for this procedure")
    relief = integer_for_record(derivation.relief)
    if derivation.kind is Kind.DIAGNOSTIC:
        return RecordFacts(relief, None, derivation.same_pain_scale_as_baseline, None, None, "")
    rule = rule_for(pack_id, procedure_type, region)
    threshold = rule.threshold if rule else AT_50
    found = derivation.duration_at(threshold)
    days: int | None = None
    note = ""
    if found is not None:
        days = found.days
        if found.bound is Bound.AT_LEAST and (
            rule is None or rule.min_days is None or days < rule.min_days
        ):
            days = None
            level = "at least" if threshold.inclusive else "more than"
            note = (
                f"Relief of {level} {threshold.percent}% has lasted {found.text} so far: the "
                "duration stays unrecorded until the diary shows how long it lasted."
            )
    return RecordFacts(
        relief,
        days,
        derivation.same_pain_scale_as_baseline,
        threshold,
        rule.rule_id if rule else None,
        note,
    )
