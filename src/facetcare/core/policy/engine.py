"""Evaluating a case against a pack.

Every rule is evaluated and reported, in pack order (the shared triage first).
The case decision is the first of refer_urgently > not_eligible >
needs_more_information > eligible that any rule produced; advisory rules never
change it. The deciding rules are those that produced the winning decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facetcare.core.policy.decision import DECISIONS, Decision, RuleResult
from facetcare.core.policy.facts import Facts
from facetcare.core.policy.packs import Pack, Rule
from facetcare.core.policy.parsing import parse_facts
from facetcare.core.policy.registry import PREDICATES, Args, Check, Status


def _not_applicable_reason(rule: Rule, facts: Facts) -> str | None:
    request = facts.request
    if rule.applies_to is not None and request.type not in rule.applies_to:
        return f"Applies only to {', '.join(rule.applies_to)} requests."
    if rule.applies_to_regions is not None and request.region not in rule.applies_to_regions:
        return f"Applies only to {', '.join(rule.applies_to_regions)} requests."
    return None


def _result(rule: Rule, pack: Pack, outcome: str, decision: str | None, check: Check) -> RuleResult:
    return RuleResult(
        id=rule.id,
        outcome=outcome,
        decision=decision,
        message=check.message,
        facts_used=dict(check.facts_used),
        sources=tuple(pack.sources[s] for s in rule.sources),
        description=rule.description,
        severity=rule.severity,
        confidence=rule.confidence,
        action=rule.action if outcome in ("fail", "missing") else None,
    )


def evaluate_rule(rule: Rule, facts: Facts, pack: Pack) -> RuleResult:
    """One rule's result for already-parsed facts."""
    if rule.severity == "advisory":
        return _result(rule, pack, "advisory", None, Check(Status.NOT_APPLICABLE, rule.description))
    reason = _not_applicable_reason(rule, facts)
    if reason is not None:
        return _result(rule, pack, "not_applicable", None, Check(Status.NOT_APPLICABLE, reason))
    check = PREDICATES[rule.predicate].function(facts, Args(pack.arguments_for(rule)))
    decision = {Status.FAIL: rule.on_fail, Status.MISSING: rule.on_missing}.get(check.status)
    return _result(rule, pack, check.status.value, decision, check)


def evaluate(facts: Mapping[str, Any], pack: Pack, *, case_id: str | None = None) -> Decision:
    """The decision on ``facts`` (the reference mapping format) under ``pack``.

    Raises FactsError, naming the dotted field, when a fact is malformed or the
    request lacks its date, type, region, levels or side. Missing patient facts
    are not errors: the rules that need them report needs_more_information.
    """
    parsed = parse_facts(facts, red_flag_codes=pack.red_flag_codes or None)
    results = tuple(evaluate_rule(rule, parsed, pack) for rule in pack.rules)
    produced = {r.decision for r in results if r.decision is not None}
    decision = next((d for d in DECISIONS if d in produced), "eligible")
    deciding = tuple(r.id for r in results if r.decision == decision)
    return Decision(
        pack_id=pack.id,
        pack_version=pack.version,
        decision=decision,
        deciding_rules=deciding,
        rules=results,
        pack_title=pack.title,
        case_id=case_id,
        pack_origin=pack.origin,
    )
