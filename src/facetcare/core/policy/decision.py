"""What an evaluation returns: a Decision explained rule by rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Precedence, highest first: the first of these that any rule produced is the case decision.
DECISIONS: tuple[str, ...] = (
    "refer_urgently",
    "not_eligible",
    "needs_more_information",
    "eligible",
)
OUTCOMES: tuple[str, ...] = ("pass", "fail", "missing", "not_applicable", "advisory")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class RuleResult:
    """One rule's verdict on one case.

    ``outcome`` is pass, fail, missing, not_applicable or advisory; ``decision`` is
    what the rule produced (None when it produced nothing, as for pass).
    """

    id: str
    outcome: str
    decision: str | None
    message: str
    facts_used: Mapping[str, Any]
    sources: tuple[Source, ...]
    description: str = ""
    severity: str = "required"
    confidence: str = ""
    action: str | None = None

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "outcome": self.outcome,
            "decision": self.decision,
            "message": self.message,
            "source": list(self.source_ids),
            "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in self.sources],
            "facts_used": dict(self.facts_used),
            "description": self.description,
            "severity": self.severity,
            "confidence": self.confidence,
            "action": self.action,
        }


@dataclass(frozen=True)
class Decision:
    """The decision on one case under one pack, with every rule's result in pack order.

    ``deciding_rules`` are the ids of the rules that produced the winning decision
    (empty when the case is eligible). ``case_id`` is the caller's label, if any.
    """

    pack_id: str
    pack_version: str
    decision: str
    deciding_rules: tuple[str, ...]
    rules: tuple[RuleResult, ...]
    pack_title: str = ""
    case_id: str | None = None
    pack_origin: str = "shipped"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.case_id,
            "decision": self.decision,
            "deciding_rules": list(self.deciding_rules),
            "rules": [rule.to_dict() for rule in self.rules],
            "pack": {
                "id": self.pack_id,
                "version": self.pack_version,
                "title": self.pack_title,
                "origin": self.pack_origin,
            },
        }
