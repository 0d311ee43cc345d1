"""Predicates for a single-positive-block pathway to radiofrequency denervation, with
thresholds that differ by region (UK clinic pack: lumbar NICE NG59, cervical local policy)."""

from __future__ import annotations

from facetcare.core.policy.anatomy import describe_pairs
from facetcare.core.policy.blocks import Requirement, check_joints, relief_text
from facetcare.core.policy.facts import Facts, Procedure
from facetcare.core.policy.months import add_months, in_window, months_elapsed
from facetcare.core.policy.procedures import at_site, latest, prior
from facetcare.core.policy.registry import (
    Args,
    Check,
    Kind,
    at_least_text,
    failed,
    meets,
    missing,
    not_applicable,
    passed,
    predicate,
)


def _threshold(facts: Facts, args: Args) -> tuple[float, bool] | None:
    region = facts.request.region
    minimum = args.for_region("min_percent", region)
    if minimum is None:
        return None
    return float(minimum), bool(args.for_region("exclusive", region))


def _rf_since(facts: Facts, block: Procedure) -> bool:
    return any(r.date > block.date and r.pairs & block.pairs for r in prior(facts, {"rfa"}))


@predicate(
    "no_confirmatory_mbb",
    min_percent=Kind.REGIONAL_NUMBER,
    exclusive=Kind.REGIONAL_FLAG,
    window_months=Kind.INTEGER,
)
def no_confirmatory_mbb(facts: Facts, args: Args) -> Check:
    threshold = _threshold(facts, args)
    if threshold is None:
        return not_applicable(f"No positive-block threshold for {facts.request.region} requests.")
    minimum, exclusive = threshold
    request, months = facts.request, args.integer("window_months")
    recent = [
        b
        for b in at_site(prior(facts, {"mbb_diagnostic"}), request.procedure.pairs)
        if in_window(b.date, request.date, months) and not _rf_since(facts, b)
    ]
    used = {f"{b.path}.relief_percent": b.relief_percent for b in recent}
    positive = [
        b
        for b in recent
        if b.relief_percent is not None and meets(b.relief_percent, minimum, exclusive=exclusive)
    ]
    if positive:
        block = positive[-1]
        return failed(
            f"The MBB of {block.date.isoformat()} at "
            f"{describe_pairs(block.pairs & request.procedure.pairs)} was positive "
            f"({block.relief_percent:g}%, {at_least_text(minimum, exclusive=exclusive)}% "
            f"required) within {months} months: a confirmatory block is not offered; refer "
            "for RF.",
            **used,
        )
    if any(b.relief_percent is None for b in recent):
        return missing("Relief after a recent MBB at this site is not recorded.", **used)
    return passed(
        f"No positive MBB at {describe_pairs(request.procedure.pairs)} within {months} months.",
        **used,
    )


@predicate(
    "positive_mbb_before_rf",
    min_percent=Kind.REGIONAL_NUMBER,
    exclusive=Kind.REGIONAL_FLAG,
    window_months=Kind.INTEGER,
    repeat_requires_new_mbb=Kind.FLAG,
)
def positive_mbb_before_rf(facts: Facts, args: Args) -> Check:
    threshold = _threshold(facts, args)
    if threshold is None:
        return not_applicable(f"No positive-block threshold for {facts.request.region} requests.")
    request, months = facts.request, args.integer("window_months")
    joints = set(request.procedure.pairs)
    if not args.flag("repeat_requires_new_mbb"):
        for ablation in prior(facts, {"rfa"}):
            joints -= ablation.pairs
        if not joints:
            return not_applicable("Repeat RF at every requested joint; no new MBB is required.")
    blocks = [
        b
        for b in prior(facts, {"mbb_diagnostic"})
        if in_window(b.date, request.date, months) and not _rf_since(facts, b)
    ]
    need = Requirement(min_blocks=1, min_percent=threshold[0], exclusive=threshold[1])
    start = add_months(request.date, -months).isoformat()
    return check_joints(
        blocks,
        joints,
        need,
        purpose=f"Initial RF (MBB window {start} exclusive to {request.date.isoformat()})",
    )


@predicate(
    "repeat_rf_by_region",
    min_months=Kind.REGIONAL_NUMBER,
    min_percent=Kind.REGIONAL_NUMBER,
    exclusive=Kind.REGIONAL_FLAG,
    min_days=Kind.REGIONAL_NUMBER,
)
def repeat_rf_by_region(facts: Facts, args: Args) -> Check:
    request = facts.request
    last = latest(at_site(prior(facts, {"rfa"}), request.procedure.pairs))
    if last is None:
        return not_applicable(f"No previous RF at {describe_pairs(request.procedure.pairs)}.")
    region = request.region
    months = int(args.for_region("min_months", region) or 0)
    minimum = float(args.for_region("min_percent", region) or 0)
    exclusive = bool(args.for_region("exclusive", region))
    min_days = args.for_region("min_days", region)
    used = {
        f"{last.path}.date": last.date.isoformat(),
        f"{last.path}.relief_percent": last.relief_percent,
        f"{last.path}.relief_duration_days": last.relief_duration_days,
    }
    needed = f"{at_least_text(minimum, exclusive=exclusive)}% relief"
    if min_days is not None:
        needed += f" for at least {int(min_days)} days"
    text = (
        f"Previous RF on {last.date.isoformat()} gave {relief_text(last)} (needs {needed}); "
        f"repeat allowed from {add_months(last.date, months).isoformat()} ({months} months)"
    )
    relief, days = last.relief_percent, last.relief_duration_days
    too_soon = not months_elapsed(last.date, request.date, months)
    weak = relief is not None and not meets(relief, minimum, exclusive=exclusive)
    short = min_days is not None and days is not None and days < min_days
    if too_soon or weak or short:
        return failed(f"{text}.", **used)
    if relief is None or (min_days is not None and days is None):
        return missing(f"{text}; relief is not fully recorded.", **used)
    return passed(f"{text}.", **used)


@predicate(
    "therapeutic_after_positive_mbb",
    min_percent=Kind.REGIONAL_NUMBER,
    exclusive=Kind.REGIONAL_FLAG,
)
def therapeutic_after_positive_mbb(facts: Facts, args: Args) -> Check:
    request = facts.request
    reason = request.not_rfa_candidate_reason
    if not reason:
        return failed(
            "A therapeutic facet injection needs RF to be documented as unsuitable; no reason "
            "is recorded.",
            **{"request.not_rfa_candidate_reason": None},
        )
    threshold = _threshold(facts, args)
    if threshold is None:
        return not_applicable(f"No positive-block threshold for {request.region} requests.")
    need = Requirement(min_blocks=1, min_percent=threshold[0], exclusive=threshold[1])
    outcome = check_joints(
        prior(facts, {"mbb_diagnostic"}),
        request.procedure.pairs,
        need,
        purpose=f"Therapeutic injection (RF unsuitable: {reason})",
    )
    return outcome
