"""Predicates that count: sessions per region per rolling window, steroid sessions and
cumulative corticosteroid dose."""

from __future__ import annotations

from datetime import date

from facetcare.core.policy.facts import Facts, Procedure
from facetcare.core.policy.months import in_window, list_dates, ordinal, window_start
from facetcare.core.policy.procedures import groups_of_procedure, prior, sessions_in_window
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


def _window_text(start: date, end: date) -> str:
    return f"window {start.isoformat()} (exclusive) to {end.isoformat()}"


@predicate(
    "sessions_within_limit",
    types=Kind.TEXTS,
    label=Kind.TEXT,
    maximum=Kind.INTEGER,
    window_months=Kind.INTEGER,
)
def sessions_within_limit(facts: Facts, args: Args) -> Check:
    maximum, months, label = (
        args.integer("maximum"),
        args.integer("window_months"),
        args.text("label"),
    )
    counts = [
        sessions_in_window(facts, args.texts("types"), group, months)
        for group in sorted(groups_of_procedure(facts.request.procedure))
    ]
    worst = max(counts, key=lambda c: c.total)
    used = {
        "region_group": worst.group,
        "previous_sessions": [d.isoformat() for d in worst.previous],
        "sessions_in_window": worst.total,
        "window_start_exclusive": worst.start.isoformat(),
        "request.date": worst.request_date.isoformat(),
    }
    verdict = passed if worst.total <= maximum else failed
    return verdict(
        f"{ordinal(worst.total)} {label} session in the {worst.group} region in {months} months "
        f"(limit {maximum}): previous sessions on {list_dates(list(worst.previous))}; "
        f"{_window_text(worst.start, worst.request_date)}.",
        **used,
    )


@predicate(
    "steroid_sessions_within_limit",
    types=Kind.TEXTS,
    maximum=Kind.INTEGER,
    window_months=Kind.INTEGER,
)
def steroid_sessions_within_limit(facts: Facts, args: Args) -> Check:
    if not facts.request.contains_steroid:
        return not_applicable("The requested procedure contains no corticosteroid.")
    maximum, months = args.integer("maximum"), args.integer("window_months")
    request_date = facts.request.date
    dates = {
        p.date
        for p in prior(facts, args.texts("types"))
        if p.is_steroid_containing and in_window(p.date, request_date, months)
    }
    dates.discard(request_date)
    total = len(dates) + 1
    start = window_start(request_date, months)
    used = {
        "previous_steroid_sessions": sorted(d.isoformat() for d in dates),
        "steroid_sessions_in_window": total,
        "window_start_exclusive": start.isoformat(),
        "request.date": request_date.isoformat(),
    }
    verdict = passed if total <= maximum else failed
    return verdict(
        f"{ordinal(total)} steroid-containing spinal injection session in {months} months "
        f"(limit {maximum}): previous sessions on {list_dates(sorted(dates))}; "
        f"{_window_text(start, request_date)}.",
        **used,
    )


def _at_risk(facts: Facts) -> bool | None:
    postmenopausal = facts.postmenopausal
    if postmenopausal is None and facts.sex == "male":
        postmenopausal = False
    if postmenopausal or facts.osteoporosis:
        return True
    if postmenopausal is None or facts.osteoporosis is None:
        return None
    return False


def _dose_in_window(
    steroids: list[Procedure], facts: Facts, months: int
) -> tuple[float, list[str]]:
    request = facts.request
    inside = [p for p in steroids if in_window(p.date, request.date, months)]
    unknown = [p.date.isoformat() for p in inside if p.steroid_mg_mpde is None]
    total = sum(p.steroid_mg_mpde or 0 for p in inside) + (request.procedure.steroid_mg_mpde or 0)
    return total, unknown


@predicate("cumulative_steroid_within_limit", max_12m=Kind.NUMBER, max_36m=Kind.NUMBER)
def cumulative_steroid_within_limit(facts: Facts, args: Args) -> Check:
    at_risk = _at_risk(facts)
    used: dict[str, object] = {
        "postmenopausal": facts.postmenopausal,
        "osteoporosis": facts.osteoporosis,
    }
    if at_risk is None:
        return missing("Whether the patient is postmenopausal or has osteoporosis is not recorded.")
    if not at_risk:
        return not_applicable("Not postmenopausal and no osteoporosis.", **used)
    request = facts.request
    if request.contains_steroid and request.procedure.steroid_mg_mpde is None:
        return missing("The corticosteroid dose of the request (mg MPDE) is not recorded.", **used)
    steroids = [p for p in facts.history if p.is_steroid_containing and p.date <= request.date]
    dose_12, unknown_12 = _dose_in_window(steroids, facts, 12)
    dose_36, unknown_36 = _dose_in_window(steroids, facts, 36)
    used |= {"cumulative_mpde_12m": dose_12, "cumulative_mpde_36m": dose_36}
    max_12, max_36 = args.number("max_12m"), args.number("max_36m")
    text = (
        f"Cumulative corticosteroid including this request: {dose_12:g} mg MPDE in 12 months "
        f"(limit {max_12:g}) and {dose_36:g} mg in 36 months (limit {max_36:g})"
    )
    if dose_12 > max_12 or dose_36 > max_36:
        return failed(text + ".", **used)
    if unknown_12 or unknown_36:
        dates = ", ".join(sorted(set(unknown_12 + unknown_36)))
        return missing(text + f"; dose not recorded for the injection(s) of {dates}.", **used)
    return passed(text + ".", **used)
