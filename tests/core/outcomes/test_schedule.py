"""Outcome schedules as local dates, across daylight-saving changes."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from facetcare.core.outcomes import DueItem, Measure, NaiveDatetime, Pathway, plan_measures
from tests.core.outcomes.builders import LONDON, LOS_ANGELES, local


def _dates(items: list[DueItem], measure: Measure) -> list[date]:
    return [item.due_on for item in items if item.measure is measure]


def test_after_an_injection_pain_is_daily_for_14_days_then_weekly_to_12_weeks() -> None:
    day0 = date(2026, 6, 1)
    items = plan_measures(local(day0, "10:00"), LONDON)
    pain = [item for item in items if item.measure is Measure.PAIN]
    assert [item.due_on for item in pain[:14]] == [day0 + timedelta(days=k) for k in range(1, 15)]
    assert [item.due_on for item in pain[14:]] == [day0 + timedelta(weeks=w) for w in range(3, 13)]
    assert [item.label for item in pain[:2]] == ["Day 1", "Day 2"]
    assert pain[-1].label == "Week 12"


def test_function_and_disability_are_due_at_baseline_6_and_12_weeks_and_6_months() -> None:
    day0 = date(2026, 8, 31)
    items = plan_measures(local(day0, "10:00"), LONDON)
    expected = [day0, date(2026, 10, 12), date(2026, 11, 23), date(2027, 2, 28)]
    assert _dates(items, Measure.PSFS) == expected
    assert _dates(items, Measure.DISABILITY) == expected
    assert _dates(items, Measure.GLOBAL_CHANGE) == expected[1:]


@pytest.mark.parametrize(
    ("zone", "eve"),
    [
        (LONDON, date(2026, 3, 28)),
        (LONDON, date(2026, 10, 24)),
        (LOS_ANGELES, date(2026, 3, 7)),
        (LOS_ANGELES, date(2026, 10, 31)),
    ],
)
@pytest.mark.parametrize("clock", ["00:30", "10:00", "23:30"])
def test_a_procedure_the_day_before_the_clocks_change_gets_every_daily_score_once(
    zone: ZoneInfo, eve: date, clock: str
) -> None:
    items = plan_measures(local(eve, clock, zone), zone)
    daily = _dates(items, Measure.PAIN)[:14]
    assert daily == [eve + timedelta(days=k) for k in range(1, 15)]
    assert len(set(daily)) == 14


def test_day_0_is_the_local_date_not_the_utc_date() -> None:
    # 23:30 PDT on 1 July is 06:30 UTC on 2 July.
    items = plan_measures(local(date(2026, 7, 1), "23:30", LOS_ANGELES), LOS_ANGELES)
    assert _dates(items, Measure.PAIN)[0] == date(2026, 7, 2)
    assert _dates(items, Measure.PSFS)[0] == date(2026, 7, 1)


def test_conservative_care_has_weekly_pain_only() -> None:
    day0 = date(2026, 6, 1)
    items = plan_measures(local(day0, "10:00"), LONDON, pathway=Pathway.CONSERVATIVE)
    pain = _dates(items, Measure.PAIN)
    assert pain == [day0 + timedelta(weeks=w) for w in range(1, 13)]


def test_a_daily_score_closes_the_same_day_and_a_questionnaire_after_a_week() -> None:
    items = plan_measures(local(date(2026, 6, 1), "10:00"), LONDON)
    first = items[0]
    assert first.measure is Measure.PSFS or first.measure is Measure.DISABILITY
    daily = next(item for item in items if item.label == "Day 1")
    assert daily.closes_on == daily.due_on
    assert first.closes_on == first.due_on + timedelta(days=6)


def test_a_naive_anchor_is_refused() -> None:
    from datetime import datetime

    with pytest.raises(NaiveDatetime):
        plan_measures(datetime(2026, 6, 1, 10), LONDON)
