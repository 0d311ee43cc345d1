"""Predicates about the patient: triage red flags, pain, function, conservative care."""

from __future__ import annotations

from facetcare.core.policy.facts import DIAGNOSTIC_TYPES, Facts
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


@predicate("red_flag_screen_documented")
def red_flag_screen_documented(facts: Facts, args: Args) -> Check:
    screened = facts.red_flags_screened
    if screened is None:
        return missing("No red-flag screen is recorded for this episode.", red_flags_screened=None)
    if not screened:
        return failed(
            "The red-flag screen for this episode is not documented; screen before booking.",
            red_flags_screened=False,
        )
    return passed("A red-flag screen is documented for this episode.", red_flags_screened=True)


@predicate("red_flags_absent", codes=Kind.CODE_MAP, category=Kind.TEXT)
def red_flags_absent(facts: Facts, args: Args) -> Check:
    category = args.text("category")
    codes = set(args.mapping("codes").get(category, ()))
    label = category.replace("_", " ")
    if facts.red_flags is None:
        return missing(f"Red flags are not recorded, so {label} features cannot be excluded.")
    present = [code for code in facts.red_flags if code in codes]
    if present:
        return failed(
            f"{label.capitalize()} red flags present: {', '.join(present)}.",
            red_flags=list(facts.red_flags),
        )
    return passed(f"No {label} red flags recorded.", red_flags=list(facts.red_flags))


@predicate("axspa_not_suspected")
def axspa_not_suspected(facts: Facts, args: Args) -> Check:
    if facts.suspected_axspa is None:
        return missing("Whether axial spondyloarthritis is suspected is not recorded.")
    if facts.suspected_axspa:
        return failed(
            "Axial spondyloarthritis is suspected (NICE NG65 criteria met): refer to "
            "rheumatology; not a facet candidate.",
            suspected_axspa=True,
        )
    return passed("Axial spondyloarthritis is not suspected.", suspected_axspa=False)


@predicate("age_at_least", minimum=Kind.INTEGER)
def age_at_least(facts: Facts, args: Args) -> Check:
    minimum = args.integer("minimum")
    if facts.age is None:
        return missing("Age is not recorded.")
    verdict = passed if facts.age >= minimum else failed
    return verdict(f"Age {facts.age} (at least {minimum} required).", age=facts.age)


@predicate("pain_duration_at_least", minimum=Kind.INTEGER)
def pain_duration_at_least(facts: Facts, args: Args) -> Check:
    minimum = args.integer("minimum")
    weeks = facts.pain_duration_weeks
    if weeks is None:
        return missing(f"Pain duration is not recorded (at least {minimum} weeks required).")
    verdict = passed if weeks >= minimum else failed
    return verdict(
        f"Pain for {weeks} weeks (at least {minimum} weeks required).", pain_duration_weeks=weeks
    )


@predicate("pain_intensity_at_least", minimum=Kind.NUMBER)
def pain_intensity_at_least(facts: Facts, args: Args) -> Check:
    minimum = args.number("minimum")
    nrs = facts.nrs_pain
    if nrs is None:
        return missing("Current pain score (NRS 0-10) is not recorded.")
    verdict = passed if nrs >= minimum else failed
    return verdict(f"Pain {nrs}/10 (at least {minimum:g}/10 required).", nrs_pain=nrs)


@predicate("disability_recorded")
def disability_recorded(facts: Facts, args: Args) -> Check:
    disability = facts.disability
    if disability is None or disability.instrument is None or disability.score is None:
        return missing("No baseline disability score (instrument and score) is recorded.")
    return passed(
        f"Baseline disability recorded: {disability.instrument} {disability.score:g}.",
        disability={"instrument": disability.instrument, "score": disability.score},
    )


@predicate("baseline_scores_recorded")
def baseline_scores_recorded(facts: Facts, args: Args) -> Check:
    absent = []
    if facts.nrs_pain is None:
        absent.append("baseline pain score (NRS)")
    disability = facts.disability
    if disability is None or disability.instrument is None or disability.score is None:
        absent.append("baseline disability measure")
    if absent:
        return missing(f"Not recorded: {' and '.join(absent)}.")
    assert disability is not None
    return passed(
        f"Baseline pain {facts.nrs_pain}/10 and {disability.instrument} "
        f"{disability.score:g} recorded.",
        nrs_pain=facts.nrs_pain,
        disability={"instrument": disability.instrument, "score": disability.score},
    )


@predicate("symptom_pattern_in", patterns=Kind.TEXTS, exclude_widespread=Kind.FLAG)
def symptom_pattern_in(facts: Facts, args: Args) -> Check:
    patterns = args.texts("patterns")
    pattern = facts.symptom_pattern
    if pattern is not None and pattern not in patterns:
        return failed(
            f"Symptom pattern is {pattern}; predominantly axial pain is required "
            f"({', '.join(patterns)}).",
            symptom_pattern=pattern,
        )
    if args.flag("exclude_widespread") and facts.widespread_pain_condition:
        return failed(
            "A widespread pain condition is recorded; facet treatment is for localised pain.",
            widespread_pain_condition=True,
        )
    if pattern is None:
        return missing("Symptom pattern is not recorded.")
    if args.flag("exclude_widespread") and facts.widespread_pain_condition is None:
        return missing("Whether there is a widespread pain condition is not recorded.")
    return passed(f"Symptom pattern is {pattern}.", symptom_pattern=pattern)


@predicate("no_active_radiculopathy", radiculopathy=Kind.TEXTS, patterns=Kind.TEXTS)
def no_active_radiculopathy(facts: Facts, args: Args) -> Check:
    used = {"radiculopathy": facts.radiculopathy, "symptom_pattern": facts.symptom_pattern}
    problems = []
    if facts.radiculopathy in args.texts("radiculopathy"):
        problems.append(f"radiculopathy is {facts.radiculopathy}")
    if facts.symptom_pattern in args.texts("patterns"):
        problems.append(f"symptom pattern is {facts.symptom_pattern}")
    if problems:
        return failed("Not a facet pathway case: " + " and ".join(problems) + ".", **used)
    if facts.radiculopathy is None or facts.symptom_pattern is None:
        return missing("Radiculopathy status or symptom pattern is not recorded.", **used)
    return passed(
        f"No excluding radicular features (radiculopathy: {facts.radiculopathy}).", **used
    )


@predicate("conservative_care_failed")
def conservative_care_failed(facts: Facts, args: Args) -> Check:
    care = facts.conservative_care
    if care is None or care.failed is None:
        return missing("Whether conservative care has failed is not documented.")
    if not care.failed:
        return failed("Conservative care has not failed.", **{"conservative_care.failed": False})
    return passed(
        "Failure of conservative care is documented.", **{"conservative_care.failed": True}
    )


@predicate("conservative_care_failed_for_weeks", min_weeks=Kind.REGIONAL_NUMBER)
def conservative_care_failed_for_weeks(facts: Facts, args: Args) -> Check:
    region = facts.request.region
    minimum = args.for_region("min_weeks", region)
    if minimum is None:
        return not_applicable(f"This pack sets no conservative-care minimum for {region} requests.")
    care = facts.conservative_care
    if care is None or care.weeks is None or care.failed is None:
        return missing(
            f"Failed conservative care of at least {minimum:g} weeks ({region}) is not documented."
        )
    used = {"conservative_care.weeks": care.weeks, "conservative_care.failed": care.failed}
    if not care.failed:
        return failed("Conservative care has not failed.", **used)
    verdict = passed if care.weeks >= minimum else failed
    return verdict(
        f"{care.weeks} weeks of failed conservative care (at least {minimum:g} weeks "
        f"required for {region} pain).",
        **used,
    )


@predicate("conservative_care_included", modality=Kind.TEXT)
def conservative_care_included(facts: Facts, args: Args) -> Check:
    modality = args.text("modality")
    care = facts.conservative_care
    if care is None or care.modalities is None:
        return missing("The conservative care modalities tried are not recorded.")
    used = {"conservative_care.modalities": list(care.modalities)}
    if modality in care.modalities:
        return passed(f"Conservative care included {modality}.", **used)
    tried = ", ".join(care.modalities) or "nothing recorded"
    return failed(f"Conservative care did not include {modality} (tried: {tried}).", **used)


@predicate("no_non_facet_pathology")
def no_non_facet_pathology(facts: Facts, args: Args) -> Check:
    if not facts.non_facet_pathology_recorded:
        return missing("Whether another pathology explains the pain is not recorded.")
    if facts.non_facet_pathology:
        return failed(
            f"Another pathology may explain the pain: {facts.non_facet_pathology}.",
            non_facet_pathology=facts.non_facet_pathology,
        )
    return passed("No non-facet pathology recorded.", non_facet_pathology=None)


@predicate("no_widespread_pain_condition")
def no_widespread_pain_condition(facts: Facts, args: Args) -> Check:
    value = facts.widespread_pain_condition
    if value is None:
        return missing("Whether there is a widespread pain condition is not recorded.")
    if value:
        return failed(
            "A generalised or centralised pain condition is recorded.",
            widespread_pain_condition=True,
        )
    return passed("No generalised pain condition recorded.", widespread_pain_condition=False)


@predicate("no_prior_alif")
def no_prior_alif(facts: Facts, args: Args) -> Check:
    if facts.prior_alif is None:
        return missing(
            "Whether there was a prior anterior lumbar interbody fusion is not recorded."
        )
    if facts.prior_alif:
        return failed("Prior anterior lumbar interbody fusion (ALIF) recorded.", prior_alif=True)
    return passed("No prior anterior lumbar interbody fusion.", prior_alif=False)


@predicate("same_pain_scale_for_diagnostic_blocks")
def same_pain_scale_for_diagnostic_blocks(facts: Facts, args: Args) -> Check:
    blocks = [p for p in facts.history if p.type in DIAGNOSTIC_TYPES]
    if not blocks:
        return not_applicable("No previous diagnostic blocks.")
    used = {f"{p.path}.same_pain_scale_as_baseline": p.same_pain_scale_as_baseline for p in blocks}
    different = [p.date.isoformat() for p in blocks if p.same_pain_scale_as_baseline is False]
    unknown = [p.date.isoformat() for p in blocks if p.same_pain_scale_as_baseline is None]
    if different:
        return failed(
            f"Pain after the block(s) of {', '.join(different)} was not scored on the baseline "
            "scale.",
            **used,
        )
    if unknown:
        return missing(
            f"Whether the baseline pain scale was used after the block(s) of "
            f"{', '.join(unknown)} is not recorded.",
            **used,
        )
    return passed(f"All {len(blocks)} diagnostic block(s) scored on the baseline scale.", **used)
