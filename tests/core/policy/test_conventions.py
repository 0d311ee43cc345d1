"""Calendar conventions: month arithmetic, rolling windows and elapsed intervals."""

from datetime import date

from facetcare.core.policy.months import (
    add_months,
    in_window,
    list_dates,
    months_elapsed,
    ordinal,
    whole_months_between,
)


def test_month_arithmetic_clamps_to_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), -12) == date(2023, 2, 28)
    assert add_months(date(2026, 1, 20), -6) == date(2025, 7, 20)


def test_a_rolling_window_excludes_the_anniversary_and_includes_the_day_after() -> None:
    request = date(2026, 1, 20)
    assert not in_window(date(2025, 7, 20), request, 6)
    assert in_window(date(2025, 7, 21), request, 6)
    assert in_window(request, request, 6)
    assert not in_window(date(2026, 1, 21), request, 6)


def test_at_least_n_months_since_passes_on_the_anniversary() -> None:
    assert months_elapsed(date(2024, 2, 10), date(2026, 2, 10), 24)
    assert not months_elapsed(date(2024, 2, 11), date(2026, 2, 10), 24)


def test_whole_months_between_counts_completed_months() -> None:
    assert whole_months_between(date(2024, 2, 10), date(2026, 2, 9)) == 23
    assert whole_months_between(date(2024, 2, 10), date(2026, 2, 10)) == 24


def test_messages_use_ordinals_and_readable_date_lists() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd",
    ]  # fmt: skip
    assert list_dates([date(2026, 1, 10), date(2025, 10, 18), date(2025, 12, 1)]) == (
        "2025-10-18, 2025-12-01 and 2026-01-10"
    )
    assert list_dates([]) == "none"
