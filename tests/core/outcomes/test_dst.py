"""Calendar days across daylight-saving changes (section 5): golden offsets and day indices."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from facetcare.core.outcomes import Threshold, derive_response
from facetcare.core.outcomes.local_time import (
    NonexistentLocalTime,
    instant_from_local,
    local_at,
)
from tests.core.outcomes.builders import LONDON, LOS_ANGELES, diary_days, local, procedure, score

AT_50 = Threshold(50, True)


@pytest.mark.parametrize(
    ("zone", "spring", "autumn"),
    [
        (LONDON, date(2026, 3, 29), date(2026, 10, 25)),
        (LOS_ANGELES, date(2026, 3, 8), date(2026, 11, 1)),
    ],
)
def test_a_daily_diary_over_both_changes_has_one_value_per_local_day(
    zone: ZoneInfo, spring: date, autumn: date
) -> None:
    for change in (spring, autumn):
        performed = local(change - timedelta(days=2), "09:00", zone)
        injection = procedure(performed, "ia_therapeutic")
        baseline = score(local(change - timedelta(days=2), "08:00", zone), 8)
        for clock in ("00:30", "20:00", "23:30"):
            diary = diary_days(performed, dict.fromkeys(range(1, 8), 2), zone, clock)
            result = derive_response(injection, [baseline, *diary], zone=zone)
            assert [p.day for p in result.series] == list(range(1, 8)), (change, clock)


def test_00_30_bst_on_day_93_is_day_93_though_its_utc_date_is_day_92() -> None:
    performed = local(date(2026, 3, 1), "10:00")
    day93 = date(2026, 3, 1) + timedelta(days=93)
    entry = local(day93, "00:30")
    assert entry.date() == day93 - timedelta(days=1)  # 23:30 UTC the day before
    injection = procedure(performed, "ia_therapeutic")
    scores = [score(local(date(2026, 3, 1), "09:00"), 8), score(entry, 2)]
    scores += diary_days(performed, {90: 2, 91: 2})
    result = derive_response(injection, scores, zone=LONDON)
    assert [p.day for p in result.series] == [90, 91, 93]


def test_23_30_pdt_on_day_92_is_day_92_though_its_utc_date_is_day_93() -> None:
    start = date(2026, 3, 20)
    performed = local(start, "10:00", LOS_ANGELES)
    day92 = start + timedelta(days=92)
    entry = local(day92, "23:30", LOS_ANGELES)
    assert entry == datetime(day92.year, day92.month, day92.day + 1, 6, 30, tzinfo=UTC)
    injection = procedure(performed, "ia_therapeutic")
    scores = [score(local(start, "09:00", LOS_ANGELES), 8), score(entry, 2)]
    scores += diary_days(performed, {90: 2, 91: 2}, LOS_ANGELES)
    result = derive_response(injection, scores, zone=LOS_ANGELES)
    assert [p.day for p in result.series] == [90, 91, 92]


@pytest.mark.parametrize(
    ("zone", "wall", "utc"),
    [
        # Golden offsets: GMT/BST and PST/PDT either side of each 2026 change.
        (LONDON, datetime(2026, 3, 29, 0, 30), datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),
        (LONDON, datetime(2026, 3, 29, 2, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        (LONDON, datetime(2026, 10, 25, 1, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (LOS_ANGELES, datetime(2026, 3, 8, 1, 30), datetime(2026, 3, 8, 9, 30, tzinfo=UTC)),
        (LOS_ANGELES, datetime(2026, 3, 8, 3, 30), datetime(2026, 3, 8, 10, 30, tzinfo=UTC)),
        (LOS_ANGELES, datetime(2026, 11, 1, 1, 30), datetime(2026, 11, 1, 8, 30, tzinfo=UTC)),
    ],
)
def test_a_local_time_without_offset_takes_the_first_occurrence(
    zone: ZoneInfo, wall: datetime, utc: datetime
) -> None:
    assert instant_from_local(wall, zone) == utc


@pytest.mark.parametrize(
    ("zone", "wall"),
    [(LONDON, datetime(2026, 3, 29, 1, 30)), (LOS_ANGELES, datetime(2026, 3, 8, 2, 30))],
)
def test_a_local_time_in_the_skipped_hour_is_refused(zone: ZoneInfo, wall: datetime) -> None:
    with pytest.raises(NonexistentLocalTime):
        instant_from_local(wall, zone)


def test_a_reminder_time_in_the_skipped_hour_moves_an_hour_on() -> None:
    assert local_at(date(2026, 3, 29), datetime.min.time().replace(hour=1, minute=30), LONDON) == (
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    )


def test_the_spring_block_with_a_bst_entry_sees_4_hours() -> None:
    block = procedure(local(date(2026, 3, 28), "22:30"), "mbb_diagnostic", agent="lidocaine")
    entry = score(local(date(2026, 3, 29), "03:30"), 1)
    result = derive_response(
        block, [score(local(date(2026, 3, 28), "22:00"), 8), entry], zone=LONDON
    )
    assert result.series[0].elapsed_hours == 4
    assert result.series[0].day == 1
