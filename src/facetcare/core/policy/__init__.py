"""FacetCare's clinical policy engine: rules as versioned data, decisions explained.

    pack = load_pack("uk_nice_ng59_clinic")
    decision = evaluate(facts, pack)
    decision.decision, decision.deciding_rules, decision.to_dict()

Pure Python (standard library and PyYAML); see docs/policy-engine.md.
"""

from facetcare.core.policy.decision import DECISIONS, Decision, RuleResult, Source
from facetcare.core.policy.engine import evaluate
from facetcare.core.policy.errors import FactsError, PackError, PolicyError, UnknownPack
from facetcare.core.policy.packs import Pack, PackInfo, list_packs, load_pack

__all__ = [
    "DECISIONS",
    "Decision",
    "FactsError",
    "Pack",
    "PackError",
    "PackInfo",
    "PolicyError",
    "RuleResult",
    "Source",
    "UnknownPack",
    "evaluate",
    "list_packs",
    "load_pack",
]
