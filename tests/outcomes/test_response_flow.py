"""Two weeks of scores after an injection: RD-1 sees the onset of relief, and the
procedure record gets the response only once a clinician confirms it; the policy
engine then reads it for a repeat injection."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from facetcare.core.policy import RuleResult
from facetcare.errors import Conflict, Forbidden, InvalidInput
from facetcare.outcomes.derivation import confirm_derived_response, derive_procedure_response
from facetcare.outcomes.models import DerivedResponse
from facetcare.outcomes.selectors import get_response_review
from facetcare.pathway.facts import get_policy_decision
from facetcare.pathway.models import ProcedureRecord
from tests.outcomes.world import TWO_WEEKS, diary, injection, injection_in
from tests.pathway.world import ClinicalWorld

DAY0 = date(2026, 3, 2)


def _repeat_request(day: date) -> dict[str, object]:
    return {
        "type": "ia_therapeutic",
        "region": "cervical",
        "levels": ["C5-6"],
        "side": "right",
        "date": day,
        "not_rfa_candidate_reason": "pacemaker",
        "injectate": ["local_anaesthetic", "corticosteroid"],
        "steroid_mg_mpde": 40,
    }


def _tx03(cw: ClinicalWorld, procedure: ProcedureRecord, day: date) -> RuleResult:
    decision = get_policy_decision(
        episode=procedure.episode, requested=_repeat_request(day), acting_user=cw.consultant
    )
    return next(rule for rule in decision.rules if rule.id == "MCR-TX-03")


def test_two_weeks_of_scores_show_relief_starting_on_day_4(cw: ClinicalWorld) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, TWO_WEEKS)
    derived = procedure.derived_responses.order_by("computed_at", "pk").last()
    assert derived is not None
    assert derived.derivable
    # Best run of three days (days 9-11, NRS 2 against 8): 75%; onset at >=50 on day 4.
    assert derived.relief_percent == Decimal("75.0")
    at_50 = derived.result["durations"][0]
    assert (at_50["threshold"], at_50["onset_day"], at_50["status"]) == (">=50", 4, "open")
    assert 3 <= at_50["onset_day"] <= 5


def test_the_record_is_untouched_until_a_clinician_confirms(cw: ClinicalWorld) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, TWO_WEEKS)
    procedure.refresh_from_db()
    assert procedure.relief_percent is None
    rule = _tx03(cw, procedure, DAY0 + timedelta(days=120))
    assert rule.outcome == "missing"
    assert rule.facts_used["history.0.relief_percent"] is None

    review = get_response_review(procedure_id=procedure.pk, acting_user=cw.consultant)
    assert review.latest is not None
    confirm_derived_response(
        derived=review.latest, acting_user=cw.consultant, note="Matches clinic notes"
    )
    procedure.refresh_from_db()
    assert procedure.relief_percent == 75
    # Two weeks only: relief lasted "at least 11 days", below the rule's 90, so left missing.
    assert procedure.relief_duration_days is None
    assert procedure.same_pain_scale_as_baseline is True
    rule = _tx03(cw, procedure, DAY0 + timedelta(days=120))
    assert rule.facts_used["history.0.relief_percent"] == 75
    assert rule.outcome == "missing"


def test_a_finished_diary_gives_an_exact_duration_that_the_repeat_rule_reads(
    cw: ClinicalWorld,
) -> None:
    procedure = injection(cw, DAY0)
    weekly = dict.fromkeys(range(21, 78, 7), 2) | {84: 7, 91: 7}
    diary(cw, procedure, TWO_WEEKS | weekly)
    latest = get_response_review(procedure_id=procedure.pk, acting_user=cw.physio).latest
    assert latest is not None
    assert latest.result["for_record"]["relief_duration_days"] == 77 - 4 + 1
    confirm_derived_response(derived=latest, acting_user=cw.physio)
    procedure.refresh_from_db()
    assert (procedure.relief_percent, procedure.relief_duration_days) == (75, 74)
    rule = _tx03(cw, procedure, DAY0 + timedelta(days=120))
    assert rule.outcome == "fail"  # 74 days < 90
    assert rule.facts_used["history.0.relief_duration_days"] == 74


def test_a_confirmation_can_correct_the_value_and_says_so(cw: ClinicalWorld) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, TWO_WEEKS)
    latest = get_response_review(procedure_id=procedure.pk, acting_user=cw.physio).latest
    assert latest is not None
    row = confirm_derived_response(derived=latest, acting_user=cw.consultant, relief_percent="55.0")
    assert row.confirmed is not None
    assert (row.confirmed["source"], row.confirmed["relief_percent"]) == ("corrected", "55.0")
    assert row.relief_percent == Decimal("75.0")  # the derived value is kept beside it
    procedure.refresh_from_db()
    assert procedure.relief_percent == 55


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"relief_percent": "101"}, "relief_percent"),
        ({"relief_percent": "abc"}, "relief_percent"),
        ({"relief_percent": "55.55"}, "relief_percent"),
        ({"relief_duration_days": -3}, "relief_duration_days"),
        ({"duration_concordant_with_agent": True}, "duration_concordant_with_agent"),
    ],
)
def test_a_bad_confirmation_names_the_field_and_writes_nothing(
    cw: ClinicalWorld, changes: dict[str, object], field: str
) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, TWO_WEEKS)
    latest = procedure.derived_responses.order_by("computed_at", "pk").last()
    assert latest is not None
    with pytest.raises(InvalidInput) as raised:
        confirm_derived_response(derived=latest, acting_user=cw.consultant, **changes)  # type: ignore[arg-type]
    assert raised.value.field == field
    procedure.refresh_from_db()
    latest.refresh_from_db()
    assert procedure.relief_percent is None
    assert latest.confirmed_at is None


def test_only_a_clinician_confirms_and_only_the_latest_derivation(cw: ClinicalWorld) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, dict(list(TWO_WEEKS.items())[:7]))
    first = procedure.derived_responses.order_by("computed_at", "pk").last()
    assert first is not None
    with pytest.raises(Forbidden):
        confirm_derived_response(derived=first, acting_user=cw.manager)
    diary(cw, procedure, {8: 2, 9: 2}, baseline=8)
    with pytest.raises(Conflict):
        confirm_derived_response(derived=first, acting_user=cw.consultant)


def test_new_scores_after_a_confirmation_flag_it_for_review_without_overwriting(
    cw: ClinicalWorld,
) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, dict(list(TWO_WEEKS.items())[:7]))
    latest = get_response_review(procedure_id=procedure.pk, acting_user=cw.physio).latest
    assert latest is not None
    confirm_derived_response(derived=latest, acting_user=cw.consultant)
    procedure.refresh_from_db()
    written = procedure.relief_percent
    diary(cw, procedure, {8: 0, 9: 0, 10: 0}, baseline=8)
    review = get_response_review(procedure_id=procedure.pk, acting_user=cw.physio)
    assert review.needs_review
    assert review.can_confirm
    procedure.refresh_from_db()
    assert procedure.relief_percent == written


def test_a_derivation_is_appended_only_when_the_result_changes(cw: ClinicalWorld) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, TWO_WEEKS)
    count = DerivedResponse.objects.filter(procedure=procedure).count()
    derive_procedure_response(procedure=procedure)
    assert DerivedResponse.objects.filter(procedure=procedure).count() == count


def test_a_procedure_without_a_start_time_says_why_nothing_is_derived(cw: ClinicalWorld) -> None:
    procedure = injection(cw, DAY0)
    ProcedureRecord.objects.filter(pk=procedure.pk).update(started_at=None, ended_at=None)
    derived = derive_procedure_response(procedure=procedure)
    assert (derived.derivable, derived.reasons) == (False, ["procedure_time_missing"])


def test_a_later_injection_in_the_region_ends_the_earlier_series(cw: ClinicalWorld) -> None:
    first = injection(cw, DAY0)
    diary(cw, first, {1: 3, 2: 3, 3: 3})
    second = injection_in(cw, first.episode, DAY0 + timedelta(days=3), hour=9)
    diary(cw, second, {1: 3, 2: 3, 3: 3}, baseline=7)
    latest = first.derived_responses.order_by("computed_at", "pk").last()
    assert latest is not None
    # Day 3 holds the second injection's baseline (before it), not the 20:00 score after it.
    assert [(p["day"], p["value"]) for p in latest.result["series"]] == [(1, 3), (2, 3), (3, 7)]
