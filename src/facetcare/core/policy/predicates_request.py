"""Predicates about the requested procedure itself: region, levels, guidance, sedation,
injectate and documentation that must come with the request."""

from __future__ import annotations

from facetcare.core.policy.anatomy import groups_of, regions_of
from facetcare.core.policy.facts import Facts
from facetcare.core.policy.registry import (
    Args,
    Check,
    Kind,
    failed,
    missing,
    not_applicable,
    passed,
    predicate,
)


def _levels_text(facts: Facts) -> str:
    return ", ".join(facts.request.levels)


@predicate("single_region_group")
def single_region_group(facts: Facts, args: Args) -> Check:
    groups = sorted(groups_of(facts.request.levels))
    used = {"request.levels": list(facts.request.levels)}
    if len(groups) > 1:
        return failed(
            f"Levels {_levels_text(facts)} span more than one spinal region "
            f"({' and '.join(groups)}); one region per session.",
            **used,
        )
    return passed(f"Levels {_levels_text(facts)} are all in the {groups[0]} region.", **used)


@predicate("single_region")
def single_region(facts: Facts, args: Args) -> Check:
    regions = regions_of(facts.request.levels) | {facts.request.region}
    used = {"request.levels": list(facts.request.levels), "request.region": facts.request.region}
    if len(regions) > 1:
        return failed(
            f"Levels {_levels_text(facts)} with region {facts.request.region} cover more than "
            f"one region ({', '.join(sorted(regions))}); split the request by region.",
            **used,
        )
    return passed(f"One region: {facts.request.region}.", **used)


@predicate("region_covered", regions=Kind.TEXTS)
def region_covered(facts: Facts, args: Args) -> Check:
    region = facts.request.region
    if region in args.texts("regions"):
        return passed(
            f"{region.capitalize()} requests are covered by this pack.",
            **{"request.region": region},
        )
    return failed(
        f"{region.capitalize()} requests are outside this pack: needs a multidisciplinary "
        "team or individual funding decision.",
        **{"request.region": region},
    )


@predicate("levels_at_most", maximum=Kind.INTEGER)
def levels_at_most(facts: Facts, args: Args) -> Check:
    maximum = args.integer("maximum")
    levels = sorted(set(facts.request.levels))
    side = facts.request.procedure.side
    used = {"request.levels": list(facts.request.levels), "request.side": side}
    verdict = passed if len(levels) <= maximum else failed
    return verdict(
        f"{len(levels)} level(s) {', '.join(levels)} ({side}; a bilateral level counts once), "
        f"limit {maximum}.",
        **used,
    )


@predicate("guidance_allowed", allowed=Kind.TEXTS)
def guidance_allowed(facts: Facts, args: Args) -> Check:
    allowed = args.texts("allowed")
    guidance = facts.request.guidance
    if guidance is None:
        return missing("Imaging guidance for the procedure is not recorded.")
    verdict = passed if guidance in allowed else failed
    return verdict(
        f"Guidance {guidance} (allowed: {', '.join(allowed)}).", **{"request.guidance": guidance}
    )


def procedure_family(request_type: str) -> str:
    """``mbb``, ``ia`` or ``rfa``: guidance rules differ by what is injected where."""
    return request_type.split("_", maxsplit=1)[0]


@predicate("guidance_allowed_by_region", allowed=Kind.GUIDANCE_MAP)
def guidance_allowed_by_region(facts: Facts, args: Args) -> Check:
    request = facts.request
    family = procedure_family(request.type)
    allowed = args.mapping("allowed").get(request.region, {}).get(family)
    if allowed is None:
        return not_applicable(f"No guidance rule for {family} in the {request.region} region.")
    if request.guidance is None:
        return missing("Imaging guidance for the procedure is not recorded.")
    used = {"request.guidance": request.guidance, "request.region": request.region}
    used["request.type"] = request.type
    verdict = passed if request.guidance in allowed else failed
    return verdict(
        f"Guidance {request.guidance} for a {request.region} {request.type} "
        f"(allowed: {', '.join(allowed)}).",
        **used,
    )


@predicate("sedation_for_medicare", allowed=Kind.TEXTS, rfa_if_documented=Kind.TEXTS)
def sedation_for_medicare(facts: Facts, args: Args) -> Check:
    request = facts.request
    sedation = request.sedation
    if sedation is None:
        return missing("Sedation plan is not recorded.")
    used: dict[str, object] = {"request.sedation": sedation, "request.type": request.type}
    if sedation in args.texts("allowed"):
        return passed(f"Sedation {sedation} is acceptable.", **used)
    if request.type != "rfa" or sedation not in args.texts("rfa_if_documented"):
        return failed(
            f"Sedation {sedation} is not reasonable and necessary for {request.type}.", **used
        )
    used["request.sedation_necessity_documented"] = request.sedation_necessity_documented
    if request.sedation_necessity_documented:
        return passed(f"Sedation {sedation} for RFA with documented medical necessity.", **used)
    return missing(
        f"Sedation {sedation} for RFA needs documented medical necessity, which is not recorded.",
        **used,
    )


@predicate("sedation_by_type", injection=Kind.TEXTS, rfa=Kind.TEXTS)
def sedation_by_type(facts: Facts, args: Args) -> Check:
    request = facts.request
    if request.sedation is None:
        return missing("Sedation plan is not recorded.")
    allowed = args.texts("rfa" if request.type == "rfa" else "injection")
    used = {"request.sedation": request.sedation, "request.type": request.type}
    verdict = passed if request.sedation in allowed else failed
    return verdict(
        f"Sedation {request.sedation} for {request.type} (allowed: {', '.join(allowed)}).", **used
    )


@predicate("same_day_blocks_documented")
def same_day_blocks_documented(facts: Facts, args: Args) -> Check:
    request = facts.request
    blocks = request.same_day_other_blocks
    if not blocks:
        return passed("No other blocks planned on the same day.")
    used = {
        "request.same_day_other_blocks": list(blocks),
        "request.same_day_other_blocks_necessity_documented": (
            request.same_day_other_blocks_necessity_documented
        ),
    }
    if request.same_day_other_blocks_necessity_documented:
        return passed(f"Same-day {', '.join(blocks)} with documented necessity.", **used)
    return failed(
        f"Same-day {', '.join(blocks)} planned without documented medical necessity.", **used
    )


@predicate("injectate_excludes", excluded=Kind.TEXTS)
def injectate_excludes(facts: Facts, args: Args) -> Check:
    injectate = facts.request.injectate
    if injectate is None:
        return missing("The injectate is not recorded.")
    used = {"request.injectate": list(injectate)}
    barred = [item for item in injectate if item in args.texts("excluded")]
    if barred:
        return failed(f"Injectate includes {', '.join(barred)}, which is not covered.", **used)
    return passed(f"Injectate {', '.join(injectate) or 'none'} is acceptable.", **used)


@predicate("rf_modality_in", modalities=Kind.TEXTS)
def rf_modality_in(facts: Facts, args: Args) -> Check:
    modality = facts.request.rf_modality
    if modality is None:
        return missing("The radiofrequency modality is not recorded.")
    allowed = args.texts("modalities")
    verdict = passed if modality in allowed else failed
    return verdict(
        f"RF modality {modality} (allowed: {', '.join(allowed)}).",
        **{"request.rf_modality": modality},
    )


@predicate("mbb_not_possible_documented")
def mbb_not_possible_documented(facts: Facts, args: Args) -> Check:
    reason = facts.request.mbb_not_possible_reason
    if reason:
        return passed(f"MBB not possible: {reason}.", **{"request.mbb_not_possible_reason": reason})
    return failed(
        "A diagnostic intra-articular block needs a documented reason why a medial branch "
        "block is not possible; none is recorded.",
        **{"request.mbb_not_possible_reason": None},
    )


@predicate("not_rfa_candidate_documented")
def not_rfa_candidate_documented(facts: Facts, args: Args) -> Check:
    reason = facts.request.not_rfa_candidate_reason
    if reason:
        return passed(
            f"Not an RFA candidate: {reason}.", **{"request.not_rfa_candidate_reason": reason}
        )
    return missing("Why the patient is not a candidate for RFA is not documented.")


@predicate(
    "lumbar_injection_offered",
    types=Kind.TEXTS,
    same_day_blocks=Kind.TEXTS,
    injectates=Kind.TEXTS,
)
def lumbar_injection_offered(facts: Facts, args: Args) -> Check:
    request = facts.request
    problems = []
    if request.type in args.texts("types"):
        problems.append(f"{request.type} for low back pain")
    problems += [b for b in request.same_day_other_blocks if b in args.texts("same_day_blocks")]
    problems += [i for i in request.injectate or () if i in args.texts("injectates")]
    used = {"request.type": request.type, "request.injectate": list(request.injectate or ())}
    used["request.same_day_other_blocks"] = list(request.same_day_other_blocks)
    if problems:
        return failed(
            f"Not offered for low back pain: {', '.join(problems)} (an individual funding "
            "request is the route when RF is contraindicated).",
            **used,
        )
    return passed(f"{request.type} is offered for low back pain.", **used)


@predicate("request_type_not_in", types=Kind.TEXTS)
def request_type_not_in(facts: Facts, args: Args) -> Check:
    request_type = facts.request.type
    if request_type in args.texts("types"):
        return failed(f"{request_type} is not used here.", **{"request.type": request_type})
    return passed(f"{request_type} is an accepted procedure.", **{"request.type": request_type})


@predicate("advisory")
def advisory(facts: Facts, args: Args) -> Check:
    return not_applicable("Advice only; does not change the decision.")
