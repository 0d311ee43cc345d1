"""RD-1's worked examples (response-derivation.md, sections 2, 3, 4 and 8), to the digit."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from facetcare.core.outcomes import (
    Bound,
    Duration,
    DurationStatus,
    Kind,
    Procedure,
    Reason,
    Scale,
    Score,
    Suggestion,
    Threshold,
    derive_response,
    relief_fraction,
    stored_relief,
)
from tests.core.outcomes.builders import LONDON, diary_days, local, procedure, score

AT_80, AT_50, OVER_50, OVER_30 = (Threshold.parse(t) for t in (">=80", ">=50", ">50", ">30"))


def test_nrs_8_to_1_is_87_5_percent_relief() -> None:
    assert relief_fraction(8, 1) == Fraction(175, 2)
    assert stored_relief(relief_fraction(8, 1)) == Decimal("87.5")


def test_vas_84_to_17_is_stored_79_8_and_fails_at_least_80() -> None:
    exact = relief_fraction(84, 17)
    assert stored_relief(exact) == Decimal("79.8")
    assert not AT_80.met_by(exact)


def test_thirty_percent_does_not_meet_more_than_thirty() -> None:
    assert not OVER_30.met_by(Fraction(30))
    assert Threshold.parse(">=30").met_by(Fraction(30))


def test_rounding_is_half_away_from_zero_both_ways() -> None:
    assert stored_relief(Fraction(1, 4)) == Decimal("0.3")  # 0.25
    assert stored_relief(Fraction(-1, 4)) == Decimal("-0.3")
    assert stored_relief(relief_fraction(8, 9)) == Decimal("-12.5")


def _lidocaine_example() -> tuple[Procedure, list[Score]]:
    day = date(2026, 5, 12)
    block = procedure(local(day, "09:00"), "mbb_diagnostic", agent="lidocaine")
    scores = [
        score(local(day, "08:40"), 8),
        score(local(day, "09:30"), 2),
        score(local(day, "10:00"), 1),
        score(local(day, "11:00"), 1),
        score(local(day, "12:00"), 1),
        score(local(day, "14:00"), 5),
    ]
    return block, scores


def test_the_diagnostic_example_gives_87_5_at_one_hour_and_is_concordant() -> None:
    block, scores = _lidocaine_example()
    result = derive_response(block, scores, zone=LONDON)
    assert result.kind is Kind.DIAGNOSTIC
    assert result.relief_percent == Decimal("87.5")
    assert result.relief_at is not None
    assert result.relief_at.elapsed_hours == 1
    at_80 = result.concordance_at(AT_80)
    assert at_80 is not None
    assert (at_80.lasted_hours, at_80.ended_by_hours) == (Fraction(3), Fraction(5))
    assert at_80.peak_scores == 4
    assert at_80.suggestion is Suggestion.CONCORDANT
    assert at_80.as_dict()["lasted_hours"] == "3.00"
    assert result.same_pain_scale_as_baseline is True
    assert [p.stored_relief for p in result.series] == [
        Decimal("75.0"), Decimal("87.5"), Decimal("87.5"), Decimal("87.5"), Decimal("37.5")
    ]  # fmt: skip


def test_elapsed_hours_across_the_spring_change_are_real_hours() -> None:
    # A block at 22:30 GMT on 28 March 2026; an entry at 03:30 BST is 4 h later, not 5 h.
    block = procedure(local(date(2026, 3, 28), "22:30"), "mbb_diagnostic", agent="lidocaine")
    entry = score(local(date(2026, 3, 29), "03:30"), 1)
    baseline = score(local(date(2026, 3, 28), "22:00"), 8)
    result = derive_response(block, [baseline, entry], zone=LONDON)
    assert result.series[0].elapsed_hours == 4
    # 4 h is inside lidocaine's (0, 4 h] peak window: the entry counts.
    assert result.relief_percent == Decimal("87.5")


def _rf_example() -> tuple[Procedure, list[Score]]:
    performed = local(date(2026, 4, 14), "09:30")
    rf = procedure(performed, "rfa", region="cervical", agent="")
    values = {1: 9, 2: 8, 3: 6, 4: 5, 5: 4, 6: 4, 7: 7}
    values |= dict.fromkeys(range(8, 15), 4)
    values |= {21: 4, 28: 5, 35: 6, 42: 6, 49: 6, 56: 7, 63: 7, 70: 8}
    scores = [score(local(date(2026, 4, 14), "09:00"), 10), *diary_days(performed, values)]
    return rf, scores


def test_the_rf_example_gives_60_percent_sustained_relief() -> None:
    rf, scores = _rf_example()
    result = derive_response(rf, scores, zone=LONDON)
    assert result.kind is Kind.RF
    assert result.relief_percent == Decimal("60.0")
    assert result.relief_at is not None
    assert result.relief_at.day == 8  # days 8-10, the first run of three at 60%


def test_the_rf_example_lasts_25_days_at_50_percent() -> None:
    rf, scores = _rf_example()
    at_50 = derive_response(rf, scores, zone=LONDON).duration_at(AT_50)
    assert at_50 is not None
    assert (at_50.onset_day, at_50.last_relief_day, at_50.days) == (4, 28, 25)
    assert (at_50.status, at_50.bound) == (DurationStatus.ENDED, Bound.EXACT)


def test_the_rf_example_lasts_47_days_above_30_percent() -> None:
    rf, scores = _rf_example()
    over_30 = derive_response(rf, scores, zone=LONDON).duration_at(OVER_30)
    assert over_30 is not None
    assert (over_30.onset_day, over_30.last_relief_day, over_30.days) == (3, 49, 47)
    assert over_30.status is DurationStatus.ENDED


def _steroid_with_last_relief_day(last: int) -> Duration | None:
    performed = local(date(2026, 1, 5), "10:00")
    injection = procedure(performed, "ia_therapeutic", agent="methylprednisolone+bupivacaine")
    values = {1: 8, 2: 8, 3: 7, 4: 3, 5: 3, 6: 3}
    values |= dict.fromkeys(range(7, 15), 3)
    values |= dict.fromkeys(range(21, last, 7), 3) | {last: 3, last + 7: 7, last + 14: 7}
    scores = [score(local(date(2026, 1, 5), "09:00"), 8), *diary_days(performed, values)]
    return derive_response(injection, scores, zone=LONDON).duration_at(AT_50)


def test_steroid_onset_day_4_to_day_93_is_90_days() -> None:
    found = _steroid_with_last_relief_day(93)
    assert found is not None
    assert (found.onset_day, found.days) == (4, 90)


def test_steroid_onset_day_4_to_day_92_is_89_days() -> None:
    found = _steroid_with_last_relief_day(92)
    assert found is not None
    assert found.days == 89


def test_days_1_to_3_below_threshold_do_not_end_anything() -> None:
    found = _steroid_with_last_relief_day(93)
    assert found is not None
    assert found.status is DurationStatus.ENDED


def test_a_score_at_00_30_after_a_23_30_procedure_is_day_1_but_ignored() -> None:
    day = date(2026, 6, 1)
    injection = procedure(local(day, "23:30"), "ia_therapeutic")
    early = score(local(day + timedelta(days=1), "00:30"), 0)
    scores = [score(local(day, "23:00"), 8), early]
    scores += diary_days(injection.performed_at, {1: 4, 2: 4, 3: 4})
    result = derive_response(injection, scores, zone=LONDON)
    assert early.score_id not in {p.score_id for p in result.series}
    assert result.relief_percent == Decimal("50.0")


def test_a_later_entry_on_the_same_day_corrects_an_earlier_one() -> None:
    day = date(2026, 6, 1)
    injection = procedure(local(day, "09:00"), "ia_therapeutic")
    scores = [score(local(day, "08:00"), 10)]
    scores += diary_days(injection.performed_at, {1: 5, 2: 5, 3: 5}, clock="08:00")
    scores += diary_days(injection.performed_at, {2: 2}, clock="21:00")
    result = derive_response(injection, scores, zone=LONDON)
    assert [p.value for p in result.series] == [5, 2, 5]


def test_a_gap_of_more_than_14_days_stops_the_walk_as_a_lower_bound() -> None:
    day = date(2026, 6, 1)
    injection = procedure(local(day, "09:00"), "ia_therapeutic")
    values = {1: 2, 2: 2, 3: 2, 4: 2, 20: 2}
    scores = [score(local(day, "08:00"), 8), *diary_days(injection.performed_at, values)]
    found = derive_response(injection, scores, zone=LONDON).duration_at(AT_50)
    assert found is not None
    assert (found.status, found.bound, found.days, found.text) == (
        DurationStatus.GAP, Bound.AT_LEAST, 4, "at least 4 days"
    )  # fmt: skip


def test_a_diary_ending_on_one_low_is_open() -> None:
    day = date(2026, 6, 1)
    injection = procedure(local(day, "09:00"), "ia_therapeutic")
    values = {1: 2, 2: 2, 3: 2, 4: 7}
    scores = [score(local(day, "08:00"), 8), *diary_days(injection.performed_at, values)]
    found = derive_response(injection, scores, zone=LONDON).duration_at(AT_50)
    assert found is not None
    assert (found.status, found.days, found.bound) == (DurationStatus.OPEN, 3, Bound.AT_LEAST)


def test_no_onset_inside_14_days_gives_zero_days() -> None:
    day = date(2026, 6, 1)
    injection = procedure(local(day, "09:00"), "ia_therapeutic")
    values = dict.fromkeys(range(1, 15), 7) | {21: 2, 28: 2}
    scores = [score(local(day, "08:00"), 8), *diary_days(injection.performed_at, values)]
    found = derive_response(injection, scores, zone=LONDON).duration_at(AT_50)
    assert found is not None
    assert (found.status, found.days) == (DurationStatus.NO_ONSET, 0)


def test_rf_allows_onset_up_to_day_28() -> None:
    day = date(2026, 6, 1)
    rf = procedure(local(day, "09:00"), "rfa")
    values = dict.fromkeys(range(1, 15), 7) | {21: 7, 28: 2, 35: 2}
    scores = [score(local(day, "08:00"), 8), *diary_days(rf.performed_at, values)]
    found = derive_response(rf, scores, zone=LONDON).duration_at(AT_50)
    assert found is not None
    assert (found.onset_day, found.status) == (28, DurationStatus.OPEN)


class TestNothingDerived:
    def test_without_the_procedure_time(self) -> None:
        result = derive_response(procedure(None), [], zone=LONDON)
        assert result.reasons == (Reason.PROCEDURE_TIME_MISSING,)
        assert result.relief_percent is None

    def test_for_an_epidural(self) -> None:
        epidural = procedure(local(date(2026, 6, 1), "09:00"), "epidural_steroid")
        assert derive_response(epidural, [], zone=LONDON).reasons == (Reason.NOT_A_FACET_PROCEDURE,)

    def test_without_a_baseline_on_the_blocks_own_day(self) -> None:
        day = date(2026, 6, 1)
        block = procedure(local(day, "09:00"), "mbb_diagnostic", agent="lidocaine")
        scores = [score(local(day - timedelta(days=1), "20:00"), 8), score(local(day, "10:00"), 1)]
        assert derive_response(block, scores, zone=LONDON).reasons == (Reason.NO_BASELINE,)

    def test_with_a_baseline_more_than_7_local_days_before(self) -> None:
        day = date(2026, 6, 10)
        injection = procedure(local(day, "09:00"))
        scores = [score(local(day - timedelta(days=8), "20:00"), 8)]
        scores += diary_days(injection.performed_at, {1: 2, 2: 2, 3: 2})
        assert derive_response(injection, scores, zone=LONDON).reasons == (Reason.NO_BASELINE,)

    def test_a_baseline_7_local_days_before_is_accepted(self) -> None:
        day = date(2026, 6, 10)
        injection = procedure(local(day, "09:00"))
        scores = [score(local(day - timedelta(days=7), "00:01"), 8)]
        scores += diary_days(injection.performed_at, {1: 2, 2: 2, 3: 2})
        assert derive_response(injection, scores, zone=LONDON).relief_percent == Decimal("75.0")

    def test_with_a_baseline_of_zero(self) -> None:
        day = date(2026, 6, 1)
        block = procedure(local(day, "09:00"), "mbb_diagnostic", agent="lidocaine")
        scores = [score(local(day, "08:00"), 0), score(local(day, "10:00"), 0)]
        assert derive_response(block, scores, zone=LONDON).reasons == (Reason.BASELINE_ZERO,)

    def test_without_a_score_in_the_peak_window(self) -> None:
        day = date(2026, 6, 1)
        block = procedure(local(day, "09:00"), "mbb_diagnostic", agent="lidocaine")
        scores = [score(local(day, "08:00"), 8), score(local(day, "13:01"), 1)]
        result = derive_response(block, scores, zone=LONDON)
        assert result.reasons == (Reason.NO_SCORES_IN_PEAK_WINDOW,)
        assert result.same_pain_scale_as_baseline is True

    def test_with_fewer_than_3_day_values(self) -> None:
        day = date(2026, 6, 1)
        injection = procedure(local(day, "09:00"))
        scores = [score(local(day, "08:00"), 8)]
        scores += diary_days(injection.performed_at, {1: 2, 2: 2})
        assert derive_response(injection, scores, zone=LONDON).reasons == (Reason.TOO_FEW_SCORES,)


def test_scores_on_another_scale_are_not_converted_and_flag_the_scale() -> None:
    day = date(2026, 6, 1)
    block = procedure(local(day, "09:00"), "mbb_diagnostic", agent="bupivacaine")
    scores = [
        score(local(day, "08:00"), 84, Scale.VAS_100),
        score(local(day, "10:00"), 17, Scale.VAS_100),
        score(local(day, "11:00"), 0, Scale.NRS_11),
    ]
    result = derive_response(block, scores, zone=LONDON)
    assert result.relief_percent == Decimal("79.8")
    assert result.same_pain_scale_as_baseline is False


def test_a_later_procedure_in_the_region_ends_the_series() -> None:
    day = date(2026, 6, 1)
    first = procedure(local(day, "09:00"), "rfa", region="lumbar")
    second = procedure(local(day + timedelta(days=4), "12:00"), "rfa", region="lumbar")
    scores = [score(local(day, "08:00"), 8)]
    scores += diary_days(first.performed_at, {1: 2, 2: 2, 3: 2, 4: 2, 5: 2})
    result = derive_response(first, scores, zone=LONDON, region_procedures=[first, second])
    assert [p.day for p in result.series] == [1, 2, 3]
    at_50 = result.duration_at(AT_50)
    assert at_50 is not None
    assert at_50.status is DurationStatus.OPEN  # the first side's series is left open


def test_a_procedure_in_another_region_does_not_end_the_series() -> None:
    day = date(2026, 6, 1)
    first = procedure(local(day, "09:00"), "rfa", region="lumbar")
    neck = procedure(local(day + timedelta(days=2), "12:00"), "rfa", region="cervical")
    scores = [score(local(day, "08:00"), 8)]
    scores += diary_days(first.performed_at, {1: 2, 2: 2, 3: 2, 4: 2})
    result = derive_response(first, scores, zone=LONDON, region_procedures=[neck])
    assert len(result.series) == 4


def test_bupivacaine_is_discordant_when_relief_outlasts_12_hours() -> None:
    day = date(2026, 6, 1)
    block = procedure(local(day, "08:00"), "mbb_diagnostic", agent="bupivacaine")
    times = ["09:00", "10:00", "12:00", "20:00", "22:00"]
    scores = [score(local(day, "07:30"), 10), *(score(local(day, t), 1) for t in times)]
    at_80 = derive_response(block, scores, zone=LONDON).concordance_at(AT_80)
    assert at_80 is not None
    assert at_80.lasted_hours == 14
    assert at_80.suggestion is Suggestion.DISCORDANT


def test_an_unknown_agent_cannot_be_judged() -> None:
    day = date(2026, 6, 1)
    block = procedure(local(day, "08:00"), "mbb_diagnostic", agent="ropivacaine")
    times = ["09:00", "10:00", "11:00"]
    scores = [score(local(day, "07:30"), 10), *(score(local(day, t), 1) for t in times)]
    at_80 = derive_response(block, scores, zone=LONDON).concordance_at(AT_80)
    assert at_80 is not None
    assert at_80.suggestion is Suggestion.CANNOT_TELL


def test_a_negative_block_is_not_applicable() -> None:
    day = date(2026, 6, 1)
    block = procedure(local(day, "08:00"), "mbb_diagnostic", agent="lidocaine")
    scores = [score(local(day, "07:30"), 10), score(local(day, "09:00"), 6)]
    result = derive_response(block, scores, zone=LONDON)
    at_80 = result.concordance_at(AT_80)
    assert at_80 is not None
    assert at_80.suggestion is Suggestion.NOT_APPLICABLE
    assert result.relief_percent == Decimal("40.0")


def test_fewer_than_3_peak_scores_cannot_tell() -> None:
    day = date(2026, 6, 1)
    block = procedure(local(day, "08:00"), "mbb_diagnostic", agent="lidocaine")
    scores = [
        score(local(day, "07:30"), 10),
        score(local(day, "09:00"), 1),
        score(local(day, "10:30"), 1),
    ]
    at_80 = derive_response(block, scores, zone=LONDON).concordance_at(AT_80)
    assert at_80 is not None
    assert at_80.suggestion is Suggestion.CANNOT_TELL


def test_relief_that_ends_before_the_agents_lower_bound_is_discordant() -> None:
    day = date(2026, 6, 1)
    block = procedure(local(day, "08:00"), "mbb_diagnostic", agent="bupivacaine")
    times_values = [("08:30", 1), ("09:00", 1), ("09:30", 1), ("10:00", 8)]
    scores = [score(local(day, "07:30"), 10), *(score(local(day, t), v) for t, v in times_values)]
    at_80 = derive_response(block, scores, zone=LONDON).concordance_at(AT_80)
    assert at_80 is not None
    assert at_80.ended_by_hours == 2
    assert at_80.suggestion is Suggestion.DISCORDANT


def test_the_derivation_says_itself_as_json_ready_values() -> None:
    rf, scores = _rf_example()
    result = derive_response(rf, scores, zone=LONDON).as_dict()
    assert result["method"] == "RD-1"
    assert result["relief_percent"] == "60.0"
    assert result["durations"][0] == {
        "threshold": ">=50", "days": 25, "bound": "exact", "status": "ended",
        "onset_day": 4, "last_relief_day": 28,
    }  # fmt: skip
