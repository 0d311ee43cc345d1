"""Plain words for RD-1's stored values on the outcomes pages."""

from typing import Any

from django import template

register = template.Library()

REASONS = {
    "procedure_time_missing": "The procedure's start time is not recorded.",
    "not_a_facet_procedure": "Relief is derived for facet procedures only.",
    "no_baseline": "No pain score before the procedure to compare with (same day for a "
    "diagnostic block; up to 7 days before otherwise).",
    "baseline_zero": "The score before the procedure was 0: relief cannot be measured.",
    "no_scores_in_peak_window": "No score in the local anaesthetic's peak window.",
    "too_few_scores": "Fewer than 3 days of scores after the procedure.",
}
SUGGESTIONS = {
    "concordant": "concordant with the agent",
    "discordant": "discordant with the agent",
    "cannot_tell": "cannot tell",
    "not_applicable": "not reached (negative at this threshold)",
}
STATUSES = {
    "ended": "ended",
    "gap": "stopped at a gap in the diary",
    "open": "still going when the diary ends",
    "no_onset": "never reached",
}


@register.filter
def threshold_text(label: str) -> str:
    """``>=50`` as "at least 50%", ``>30`` as "more than 30%"."""
    if label.startswith(">="):
        return f"at least {label[2:]}%"
    return f"more than {label.lstrip('>')}%"


@register.filter
def reason_text(code: str) -> str:
    return REASONS.get(code, code)


@register.filter
def suggestion_text(code: str) -> str:
    return SUGGESTIONS.get(code, code)


@register.filter
def duration_text(duration: dict[str, Any]) -> str:
    """A stored duration in words: "25 days (ended), onset day 4"."""
    days = duration["days"]
    status = STATUSES.get(duration["status"], duration["status"])
    if duration["status"] == "no_onset":
        return f"relief {status}"
    prefix = "at least " if duration["bound"] == "at_least" else ""
    unit = "day" if days == 1 else "days"
    return (
        f"{prefix}{days} {unit}, from day {duration['onset_day']} to day "
        f"{duration['last_relief_day']} ({status})"
    )
