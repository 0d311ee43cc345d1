from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from facetcare import locales


def test_a_uk_date_is_written_day_first_in_words():
    assert locales.format_date(date(2027, 1, 12), "en-GB") == "Tuesday 12 January 2027"
    assert locales.format_numeric_date(date(2026, 2, 12), "en-GB") == "12/02/2026"
    assert locales.format_short_date(date(2027, 1, 12), "en-GB") == "Tue 12 Jan"


def test_a_us_date_is_written_month_first():
    assert locales.format_date(date(2027, 1, 12), "en-US") == "Tuesday, January 12, 2027"
    assert locales.format_numeric_date(date(2026, 2, 12), "en-US") == "02/12/2026"
    assert locales.format_short_date(date(2027, 1, 12), "en-US") == "Tue, Jan 12"


@pytest.mark.parametrize(
    ("clock", "gb", "us"),
    [
        (time(0, 5), "00:05", "12:05 AM"),
        (time(9, 0), "09:00", "9:00 AM"),
        (time(12, 30), "12:30", "12:30 PM"),
        (time(19, 45), "19:45", "7:45 PM"),
    ],
)
def test_times_follow_the_locale_clock(clock, gb, us):
    assert locales.format_time(clock, "en-GB") == gb
    assert locales.format_time(clock, "en-US") == us


def test_a_datetime_names_its_zone_in_summer_and_winter():
    london = ZoneInfo("Europe/London")
    assert (
        locales.format_datetime(datetime(2027, 1, 12, 14, 30, tzinfo=london), "en-GB")
        == "Tuesday 12 January 2027 at 14:30 GMT"
    )
    assert locales.format_datetime(datetime(2027, 7, 12, 14, 30, tzinfo=london), "en-GB").endswith(
        "14:30 BST"
    )
    la = datetime(2027, 1, 12, 14, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert locales.format_datetime(la, "en-US") == "Tuesday, January 12, 2027 at 2:30 PM PST"


def test_an_unknown_locale_or_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="Unknown locale"):
        locales.format_date(date(2027, 1, 1), "fr-FR")
    with pytest.raises(ValueError, match="aware"):
        locales.format_datetime(datetime(2027, 1, 1, 9, 0), "en-GB")
