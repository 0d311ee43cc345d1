"""Predicates over earlier blocks and ablations at the requested joints (Medicare LCD)."""

from __future__ import annotations

from facetcare.core.policy.anatomy import describe_pairs
from facetcare.core.policy.blocks import Requirement, check_joints, relief_text
from facetcare.core.policy.facts import DIAGNOSTIC_TYPES, Facts
from facetcare.core.policy.months import add_months, months_elapsed, whole_months_between
from facetcare.core.policy.procedures import at_site, latest, prior
from facetcare.core.policy.registry import (
    Args,
    Check,
    Kind,
    failed,
    fmt,
    missing,
    not_applicable,
    passed,
    predicate,
)


def _site(facts: Facts) -> str:
    return describe_pairs(facts.request.procedure.pairs)


@predicate("confirmatory_block_follows_positive", min_percent=Kind.NUMBER)
def confirmatory_block_follows_positive(facts: Facts, args: Args) -> Check:
    pairs = facts.request.procedure.pairs
    first = latest(at_site(prior(facts, DIAGNOSTIC_TYPES), pairs))
    if first is None:
        return not_applicable(f"First diagnostic block at {_site(facts)}.")
    minimum = args.number("min_percent")
    used = {
        f"{first.path}.relief_percent": first.relief_percent,
        f"{first.path}.duration_concordant_with_agent": first.duration_concordant_with_agent,
    }
    head = f"Confirmatory block after the {first.type} of {first.date.isoformat()}"
    relief = first.relief_percent
    if relief is not None and relief < minimum:
        return failed(
            f"{head}, which gave {fmt(relief)}% relief (at least {minimum:g}% required).", **used
        )
    if first.duration_concordant_with_agent is False:
        return failed(f"{head}: relief duration was not concordant with the agent.", **used)
    if relief is None or first.duration_concordant_with_agent is None:
        return missing(f"{head}: relief or its concordance with the agent is not recorded.", **used)
    return passed(f"{head}, which gave {fmt(relief)}% relief, concordant with the agent.", **used)


@predicate("diagnostic_interval_at_least", min_days=Kind.INTEGER)
def diagnostic_interval_at_least(facts: Facts, args: Args) -> Check:
    request = facts.request
    first = latest(at_site(prior(facts, DIAGNOSTIC_TYPES), request.procedure.pairs))
    if first is None:
        return not_applicable(f"First diagnostic block at {_site(facts)}.")
    minimum = args.integer("min_days")
    days = (request.date - first.date).days
    used: dict[str, object] = {
        f"{first.path}.date": first.date.isoformat(),
        "request.date": request.date.isoformat(),
    }
    head = f"{days} days since the {first.type} of {first.date.isoformat()} (at least {minimum})"
    if days >= minimum:
        return passed(f"{head}.", **used)
    used["request.second_dx_interval_exception_documented"] = (
        request.second_dx_interval_exception_documented
    )
    if request.second_dx_interval_exception_documented:
        return passed(f"{head}; a documented exception allows the shorter interval.", **used)
    return failed(f"{head}; no exception is documented.", **used)


@predicate("no_diagnostic_at_recent_successful_rfa", min_percent=Kind.NUMBER, months=Kind.INTEGER)
def no_diagnostic_at_recent_successful_rfa(facts: Facts, args: Args) -> Check:
    request = facts.request
    ablations = at_site(prior(facts, {"rfa"}), request.procedure.pairs)
    if not ablations:
        return not_applicable(f"No previous RFA at {_site(facts)}.")
    months, minimum = args.integer("months"), args.number("min_percent")
    recent = [r for r in ablations if not months_elapsed(r.date, request.date, months)]
    used = {f"{r.path}.relief_percent": r.relief_percent for r in ablations}
    successful = [r for r in recent if r.relief_percent is not None and r.relief_percent >= minimum]
    if successful:
        r = successful[-1]
        return failed(
            f"Successful RFA ({fmt(r.relief_percent)}% relief) on {r.date.isoformat()} at this "
            f"site; diagnostic blocks there only from {add_months(r.date, months).isoformat()} "
            f"({months} months).",
            **used,
        )
    unknown = [r for r in recent if r.relief_percent is None]
    if unknown:
        return missing(
            f"Relief after the RFA of {unknown[-1].date.isoformat()} is not recorded.", **used
        )
    return passed(f"No successful RFA at {_site(facts)} within {months} months.", **used)


@predicate(
    "diagnostic_blocks_at_every_joint",
    types=Kind.TEXTS,
    min_blocks=Kind.INTEGER,
    min_percent=Kind.NUMBER,
    min_days_apart=Kind.INTEGER,
    concordance=Kind.FLAG,
    initial_only=Kind.FLAG,
)
def diagnostic_blocks_at_every_joint(facts: Facts, args: Args) -> Check:
    joints = set(facts.request.procedure.pairs)
    if args.flag("initial_only"):
        for ablation in prior(facts, {"rfa"}):
            joints -= ablation.pairs
        if not joints:
            return not_applicable(f"Repeat RFA at every requested joint ({_site(facts)}).")
    need = Requirement(
        min_blocks=args.integer("min_blocks"),
        min_percent=args.number("min_percent"),
        min_days_apart=args.integer("min_days_apart"),
        concordance=args.flag("concordance"),
    )
    blocks = prior(facts, args.texts("types"))
    return check_joints(blocks, joints, need, purpose=f"{facts.request.type} at this site")


@predicate("repeat_relief", types=Kind.TEXTS, min_percent=Kind.NUMBER, min_days=Kind.INTEGER)
def repeat_relief(facts: Facts, args: Args) -> Check:
    types = args.texts("types")
    last = latest(at_site(prior(facts, types), facts.request.procedure.pairs))
    if last is None:
        return not_applicable(f"No previous {' or '.join(types)} at {_site(facts)}.")
    minimum, min_days = args.number("min_percent"), args.integer("min_days")
    used = {
        f"{last.path}.relief_percent": last.relief_percent,
        f"{last.path}.relief_duration_days": last.relief_duration_days,
    }
    text = (
        f"Previous {last.type} at this site on {last.date.isoformat()} gave {relief_text(last)} "
        f"(at least {minimum:g}% for {min_days} days required)."
    )
    relief, days = last.relief_percent, last.relief_duration_days
    if (relief is not None and relief < minimum) or (days is not None and days < min_days):
        return failed(text, **used)
    if relief is None or days is None:
        return missing(text, **used)
    return passed(text, **used)


@predicate(
    "stale_rfa_rediagnosed",
    months=Kind.INTEGER,
    min_blocks=Kind.INTEGER,
    min_percent=Kind.NUMBER,
    min_days_apart=Kind.INTEGER,
)
def stale_rfa_rediagnosed(facts: Facts, args: Args) -> Check:
    request = facts.request
    last = latest(at_site(prior(facts, {"rfa"}), request.procedure.pairs))
    if last is None:
        return not_applicable(f"No previous RFA at {_site(facts)}.")
    months = args.integer("months")
    since = whole_months_between(last.date, request.date)
    used: dict[str, object] = {
        f"{last.path}.date": last.date.isoformat(),
        "months_since_last_rfa_same_site": since,
    }
    if not months_elapsed(last.date, request.date, months):
        return passed(
            f"{since} months since the RFA of {last.date.isoformat()} (fewer than {months}).",
            **used,
        )
    question = request.recurrent_pain_source_in_question
    used["request.recurrent_pain_source_in_question"] = question
    if question is None:
        return missing(
            f"{since} months since the last RFA; whether the source of recurrent "
            "pain is in question is not recorded.",
            **used,
        )
    if not question:
        return passed(
            f"{since} months since the last RFA; the pain source is not in question.", **used
        )
    need = Requirement(
        min_blocks=args.integer("min_blocks"),
        min_percent=args.number("min_percent"),
        min_days_apart=args.integer("min_days_apart"),
        concordance=True,
    )
    fresh = [b for b in prior(facts, {"mbb_diagnostic"}) if b.date > last.date]
    return check_joints(
        fresh,
        request.procedure.pairs,
        need,
        purpose=f"{since} months after the RFA of {last.date.isoformat()} with the pain source in "
        "question, repeat RFA",
    )
