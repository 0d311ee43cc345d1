"""Missing facts ask for more information; malformed facts raise FactsError naming the field."""

import pytest

from facetcare.core.policy import Decision, FactsError, Pack, RuleResult, evaluate
from tests.core.policy.conftest import block, case


def _result(decision: Decision, rule_id: str) -> RuleResult:
    return next(r for r in decision.rules if r.id == rule_id)


def test_a_missing_pain_duration_needs_more_information(medicare: Pack) -> None:
    facts = case()
    del facts["pain_duration_weeks"]

    decision = evaluate(facts, medicare)

    assert decision.decision == "needs_more_information"
    assert decision.deciding_rules == ("MCR-GEN-01",)
    assert _result(decision, "MCR-GEN-01").outcome == "missing"


def test_an_unrecorded_disability_score_needs_more_information_under_both_packs(
    medicare: Pack, uk: Pack
) -> None:
    facts = case(disability=None)

    assert evaluate(facts, medicare).deciding_rules == ("MCR-GEN-03",)
    assert evaluate(facts, uk).deciding_rules == ("UK-DOC-01",)


def test_undocumented_failure_of_conservative_care_needs_more_information(
    medicare: Pack, uk: Pack
) -> None:
    facts = case(conservative_care={"weeks": 16, "modalities": ["exercise_programme"]})

    assert evaluate(facts, medicare).deciding_rules == ("MCR-GEN-06",)
    assert evaluate(facts, uk).deciding_rules == ("UK-CONS-01",)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain_duration_weeks": "ten"}, "pain_duration_weeks"),
        ({"nrs_pain": 11}, "nrs_pain"),
        ({"red_flags_screened": "yes"}, "red_flags_screened"),
        ({"symptom_pattern": "sharp"}, "symptom_pattern"),
        ({"red_flags": ["headache"]}, "red_flags.0"),
        ({"disability": {"instrument": "XYZ", "score": 3}}, "disability.instrument"),
        ({"conservative_care": {"weeks": -1, "failed": True}}, "conservative_care.weeks"),
        ({"request_date": "2026-02-30"}, "request.date"),
        ({"request_type": "laser_facet"}, "request.type"),
        ({"request_levels": ["L4-5", "knee"]}, "request.levels.1"),
        ({"request_injectate": ["saline"]}, "request.injectate.0"),
        ({"history": [block("2025-13-01")]}, "history.0.date"),
        ({"history": [block("2025-12-01", relief=120)]}, "history.0.relief_percent"),
        ({"history": ["an MBB"]}, "history.0"),
    ],
)
def test_a_malformed_fact_raises_facts_error_naming_the_field(
    medicare: Pack, change: dict[str, object], field: str
) -> None:
    with pytest.raises(FactsError) as raised:
        evaluate(case(**change), medicare)

    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: ")


def test_a_request_without_a_date_is_an_error_not_a_guess(medicare: Pack) -> None:
    facts = case()
    del facts["request"]["date"]

    with pytest.raises(FactsError, match=r"^request\.date: is required$"):
        evaluate(facts, medicare)


def test_facts_without_a_request_are_an_error(medicare: Pack) -> None:
    facts = case()
    del facts["request"]

    with pytest.raises(FactsError, match=r"^request: is required$"):
        evaluate(facts, medicare)


def test_dates_parsed_by_yaml_are_accepted_as_well_as_iso_text(medicare: Pack) -> None:
    from datetime import date

    assert evaluate(case(request_date=date(2026, 2, 10)), medicare).decision == "eligible"
