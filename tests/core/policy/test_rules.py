"""Targeted checks of each rule family, especially at their boundaries."""

from typing import Any

from facetcare.core.policy import Decision, Pack, RuleResult, evaluate
from tests.core.policy.conftest import block, case


def rule(decision: Decision, rule_id: str) -> RuleResult:
    return next(r for r in decision.rules if r.id == rule_id)


def rfa(when: str, side: str = "bilateral", **changes: Any) -> dict[str, Any]:
    item = block(when, relief=80, type="rfa", side=side, relief_duration_days=200)
    item.update(changes)
    return item


def test_a_red_flag_overrides_every_other_outcome_and_only_it_decides(medicare: Pack) -> None:
    facts = case(red_flags=["fever_or_rigors"], pain_duration_weeks=2, request_guidance="none")

    decision = evaluate(facts, medicare)

    assert decision.decision == "refer_urgently"
    assert decision.deciding_rules == ("TRI-INF",)
    assert rule(decision, "MCR-GEN-01").decision == "not_eligible"


def test_advisory_rules_are_reported_but_never_decide(uk: Pack) -> None:
    decision = evaluate(case(), uk)

    assert rule(decision, "UK-INFO-01").outcome == "advisory"
    assert rule(decision, "UK-INFO-01").decision is None
    assert decision.decision == "eligible"


def test_suspected_axspa_is_not_eligible_rather_than_urgent(uk: Pack) -> None:
    decision = evaluate(case(suspected_axspa=True), uk)

    assert (decision.decision, decision.deciding_rules) == ("not_eligible", ("TRI-AXSPA",))


def test_diagnostic_sessions_exclude_the_anniversary_and_count_the_day_after(
    medicare: Pack,
) -> None:
    earlier = [block("2025-05-01"), block("2025-08-01"), block("2025-11-01")]

    on_anniversary = evaluate(case(history=[block("2025-02-10"), *earlier]), medicare)
    day_after = evaluate(case(history=[block("2025-02-11"), *earlier]), medicare)

    assert rule(on_anniversary, "MCR-DX-02").outcome == "pass"
    assert rule(day_after, "MCR-DX-02").outcome == "fail"
    assert rule(day_after, "MCR-DX-02").message == (
        "5th diagnostic session in the lumbar_sacral region in 12 months (limit 4): previous "
        "sessions on 2025-02-11, 2025-05-01, 2025-08-01 and 2025-11-01; window 2025-02-10 "
        "(exclusive) to 2026-02-10."
    )
    assert day_after.deciding_rules == ("MCR-DX-02",)


def test_staged_bilateral_treatment_uses_two_sessions_where_bilateral_uses_one(
    medicare: Pack,
) -> None:
    request = {"request_type": "rfa", "request_rf_modality": "thermal"}
    staged = [rfa("2025-06-01", side="left"), rfa("2025-06-15", side="right")]

    one_session = evaluate(case(history=[rfa("2025-06-01")], **request), medicare)
    two_sessions = evaluate(case(history=staged, **request), medicare)

    assert rule(one_session, "MCR-RFA-04").outcome == "pass"
    assert rule(two_sessions, "MCR-RFA-04").outcome == "fail"
    assert one_session.decision == "eligible"


def test_sessions_in_another_region_group_do_not_count(medicare: Pack) -> None:
    cervical = [block(d, region="cervical", levels=["C5-6"]) for d in ("2025-04-01", "2025-06-01")]
    lumbar = [block("2025-08-01"), block("2025-11-01")]

    decision = evaluate(case(history=cervical + lumbar), medicare)

    assert rule(decision, "MCR-DX-02").facts_used["sessions_in_window"] == 3


def test_t12_l1_and_l1_2_count_as_lumbar_but_t11_12_does_not(medicare: Pack) -> None:
    lumbar = evaluate(case(request_levels=["T12-L1", "L1-2"]), medicare)
    mixed = evaluate(case(request_levels=["T11-12", "T12-L1"]), medicare)

    assert rule(lumbar, "MCR-SCOPE-01").outcome == "pass"
    assert rule(mixed, "MCR-SCOPE-01").outcome == "fail"


def test_a_bilateral_level_counts_once_toward_the_level_limit(medicare: Pack) -> None:
    two = evaluate(case(request_levels=["L3-4", "L4-5"], request_side="bilateral"), medicare)
    three = evaluate(case(request_levels=["L3-4", "L4-5", "L5-S1"]), medicare)

    assert rule(two, "MCR-GEN-11").outcome == "pass"
    assert three.deciding_rules == ("MCR-GEN-11",)


def test_sedation_depends_on_the_procedure_and_documented_necessity(medicare: Pack) -> None:
    rf = {"request_type": "rfa", "request_rf_modality": "thermal"}
    history = [block("2026-01-05"), block("2026-01-20")]

    mbb = evaluate(case(request_sedation="moderate"), medicare)
    rf_undocumented = evaluate(case(history=history, request_sedation="mac", **rf), medicare)
    rf_documented = evaluate(
        case(history=history, request_sedation="mac", request_sedation_necessity_documented=True,
             **rf),
        medicare,
    )  # fmt: skip

    assert (mbb.decision, mbb.deciding_rules) == ("not_eligible", ("MCR-GEN-12",))
    assert rf_undocumented.decision == "needs_more_information"
    assert rf_undocumented.deciding_rules == ("MCR-GEN-12",)
    assert rf_documented.decision == "eligible"


def test_a_second_diagnostic_block_waits_fourteen_days_unless_excepted(medicare: Pack) -> None:
    at_13 = evaluate(case(history=[block("2026-01-28")]), medicare)
    at_14 = evaluate(case(history=[block("2026-01-27")]), medicare)
    excepted = evaluate(
        case(history=[block("2026-01-28")], request_second_dx_interval_exception_documented=True),
        medicare,
    )

    assert at_13.deciding_rules == ("MCR-DX-04",)
    assert at_14.decision == "eligible"
    assert excepted.decision == "eligible"


def test_a_confirmatory_block_needs_eighty_percent_after_the_first(medicare: Pack) -> None:
    decision = evaluate(case(history=[block("2026-01-05", relief=79)]), medicare)

    assert decision.deciding_rules == ("MCR-DX-03",)
    assert "79% relief" in rule(decision, "MCR-DX-03").message


def test_diagnostics_at_a_successful_rfa_site_wait_twenty_four_months(medicare: Pack) -> None:
    on_anniversary = evaluate(case(history=[rfa("2024-02-10")]), medicare)
    day_before = evaluate(case(history=[rfa("2024-02-11")]), medicare)

    assert rule(on_anniversary, "MCR-DX-05").outcome == "pass"
    assert day_before.deciding_rules == ("MCR-DX-05",)


def test_a_repeat_rfa_needs_six_months_of_relief_from_the_last(medicare: Pack) -> None:
    rf = {"request_type": "rfa", "request_rf_modality": "thermal"}

    enough = evaluate(case(history=[rfa("2025-01-10", relief_duration_days=180)], **rf), medicare)
    short = evaluate(case(history=[rfa("2025-01-10", relief_duration_days=179)], **rf), medicare)

    assert enough.decision == "eligible"
    assert short.deciding_rules == ("MCR-RFA-03",)


def test_a_stale_rfa_with_the_pain_source_in_question_needs_new_blocks(medicare: Pack) -> None:
    rf = {"request_type": "rfa", "request_rf_modality": "thermal"}
    old = rfa("2023-06-01", relief_duration_days=400)

    no_new_blocks = evaluate(
        case(history=[old], request_recurrent_pain_source_in_question=True, **rf), medicare
    )
    new_blocks = evaluate(
        case(history=[old, block("2026-01-05"), block("2026-01-20")],
             request_recurrent_pain_source_in_question=True, **rf),
        medicare,
    )  # fmt: skip

    assert no_new_blocks.deciding_rules == ("MCR-RFA-05",)
    assert rule(new_blocks, "MCR-RFA-05").outcome == "pass"


def test_therapeutic_injections_need_two_positive_blocks_and_a_reason_against_rfa(
    medicare: Pack,
) -> None:
    therapeutic = {"request_type": "ia_therapeutic", "request_injectate": ["corticosteroid"]}

    one_block = evaluate(
        case(history=[block("2026-01-05")], request_not_rfa_candidate_reason="ICD", **therapeutic),
        medicare,
    )
    no_reason = evaluate(
        case(history=[block("2025-12-05"), block("2026-01-05")], **therapeutic), medicare
    )

    assert one_block.deciding_rules == ("MCR-TX-01",)
    assert (no_reason.decision, no_reason.deciding_rules) == (
        "needs_more_information",
        ("MCR-TX-02",),
    )


def test_uk_initial_rf_needs_a_positive_mbb_inside_six_months(uk: Pack) -> None:
    rf = {"request_type": "rfa", "request_rf_modality": "thermal"}

    on_anniversary = evaluate(case(history=[block("2025-08-10", relief=50)], **rf), uk)
    day_after = evaluate(case(history=[block("2025-08-11", relief=50)], **rf), uk)

    assert on_anniversary.deciding_rules == ("UK-RF-01",)
    assert day_after.decision == "eligible"


def test_uk_cervical_thresholds_are_exclusive(uk: Pack) -> None:
    cervical: dict[str, Any] = {
        "request_region": "cervical",
        "request_levels": ["C5-6"],
        "request_side": "right",
        "request_type": "rfa",
        "request_rf_modality": "thermal",
    }

    def mbb(relief: float) -> dict[str, Any]:
        return block("2026-01-05", relief, region="cervical", levels=["C5-6"], side="right")

    assert evaluate(case(history=[mbb(50)], **cervical), uk).deciding_rules == ("UK-RF-01",)
    assert evaluate(case(history=[mbb(51)], **cervical), uk).decision == "eligible"


def test_uk_repeat_cervical_rf_needs_more_than_thirty_percent_for_ninety_days(uk: Pack) -> None:
    cervical: dict[str, Any] = {
        "request_region": "cervical",
        "request_levels": ["C5-6"],
        "request_side": "right",
        "request_type": "rfa",
        "request_rf_modality": "thermal",
    }

    def prior(relief: float, days: int, when: str = "2025-08-10") -> dict[str, Any]:
        return rfa(when, side="right", region="cervical", levels=["C5-6"],
                   relief_percent=relief, relief_duration_days=days)  # fmt: skip

    assert evaluate(case(history=[prior(31, 90)], **cervical), uk).decision == "eligible"
    assert evaluate(case(history=[prior(30, 90)], **cervical), uk).deciding_rules == ("UK-RF-04",)
    assert evaluate(case(history=[prior(31, 89)], **cervical), uk).deciding_rules == ("UK-RF-04",)
    too_soon = evaluate(case(history=[prior(80, 120, "2025-08-11")], **cervical), uk)
    assert too_soon.deciding_rules == ("UK-RF-04",)


def test_uk_repeat_lumbar_rf_is_allowed_from_sixteen_months(uk: Pack) -> None:
    rf = {"request_type": "rfa", "request_rf_modality": "thermal"}

    on_time = evaluate(case(history=[rfa("2024-10-10", relief_percent=50)], **rf), uk)
    early = evaluate(case(history=[rfa("2024-10-11", relief_percent=50)], **rf), uk)

    assert on_time.decision == "eligible"
    assert early.deciding_rules == ("UK-RF-03",)


def test_uk_does_not_offer_a_confirmatory_mbb_after_a_positive_one(uk: Pack) -> None:
    decision = evaluate(case(history=[block("2026-01-05", relief=60)]), uk)

    assert decision.deciding_rules == ("UK-DX-01",)
    assert rule(decision, "UK-DX-01").action == "proceed_to_rf_referral"


def test_uk_does_not_offer_lumbar_therapeutic_injections_or_thoracic_procedures(uk: Pack) -> None:
    lumbar = evaluate(case(request_type="ia_therapeutic"), uk)
    thoracic = evaluate(case(request_region="thoracic", request_levels=["T7-8"]), uk)

    assert lumbar.deciding_rules == ("UK-LUM-01",)
    assert (thoracic.decision, thoracic.deciding_rules) == (
        "needs_more_information",
        ("UK-SCOPE-01",),
    )


def _steroid(when: str, mpde: float, kind: str = "epidural_steroid") -> dict[str, Any]:
    return {"date": when, "type": kind, "region": "other" if "peripheral" in kind else "lumbar",
            "levels": [], "side": "bilateral", "steroid_mg_mpde": mpde}  # fmt: skip


def test_uk_cumulative_steroid_counts_peripheral_injections_over_twelve_months(uk: Pack) -> None:
    request = {
        "request_type": "mbb_diagnostic",
        "request_injectate": ["local_anaesthetic", "corticosteroid"],
        "request_steroid_mg_mpde": 40,
        "sex": "female",
        "postmenopausal": True,
    }
    at_limit = [
        _steroid("2025-03-01", 80),
        _steroid("2025-09-01", 80, "peripheral_joint_injection"),
    ]
    over = [*at_limit, _steroid("2025-02-11", 1, "peripheral_joint_injection")]
    outside = [*at_limit, _steroid("2025-02-10", 1, "peripheral_joint_injection")]

    assert rule(evaluate(case(history=at_limit, **request), uk), "UK-STER-02").outcome == "pass"
    assert evaluate(case(history=over, **request), uk).deciding_rules == ("UK-STER-02",)
    assert rule(evaluate(case(history=outside, **request), uk), "UK-STER-02").outcome == "pass"


def test_uk_cumulative_steroid_also_caps_thirty_six_months(uk: Pack) -> None:
    request = {
        "request_injectate": ["corticosteroid"],
        "request_steroid_mg_mpde": 40,
        "osteoporosis": True,
    }
    history = [_steroid("2023-06-01", 200), _steroid("2024-06-01", 161)]

    decision = evaluate(case(history=history, **request), uk)

    assert decision.deciding_rules == ("UK-STER-02",)
    assert rule(decision, "UK-STER-02").facts_used["cumulative_mpde_36m"] == 401


def test_the_steroid_session_limit_ignores_a_request_without_steroid(uk: Pack) -> None:
    history = [_steroid(d, 40) for d in ("2025-09-01", "2025-10-01", "2025-11-01")]

    without = evaluate(case(history=history), uk)
    with_steroid = evaluate(case(history=history, request_injectate=["corticosteroid"]), uk)

    assert rule(without, "UK-STER-01").outcome == "not_applicable"
    assert with_steroid.deciding_rules == ("UK-STER-01",)


def test_of_two_earlier_injections_on_one_day_the_one_that_helped_less_decides(
    medicare: Pack,
) -> None:
    # Given two therapeutic injections at the site on the same day, one with lasting
    # relief and one without (hypothesis found the answer followed their order).
    therapeutic = {"request_type": "ia_therapeutic", "request_injectate": ["corticosteroid"],
                   "request_date": "2026-02-10"}  # fmt: skip

    def injection(relief: float, days: int) -> dict[str, Any]:
        return block("2025-09-01", relief, type="ia_therapeutic", relief_duration_days=days)

    helped, did_not = injection(80, 120), injection(20, 10)

    # When the history lists them in either order
    decisions = [
        evaluate(case(history=history, **therapeutic), medicare)
        for history in ([helped, did_not], [did_not, helped])
    ]

    # Then the repeat-relief rule fails both times, on the injection that did not help
    for decision in decisions:
        assert rule(decision, "MCR-TX-03").outcome == "fail"
        assert "20% relief" in rule(decision, "MCR-TX-03").message
    assert decisions[0].deciding_rules == decisions[1].deciding_rules
