"""Dates and times written as a clinic's locale writes them.

FacetCare speaks two locales: ``en-GB`` (Tuesday 12 January 2027, 14:30) and
``en-US`` (Tuesday, January 12, 2027, 2:30 PM). Pages take the locale from the
clinic whose times they show, so a London booking and a Los Angeles booking
each read as their patients expect. Plain functions, no Django, so emails,
calendar files and templates share them.
"""

from datetime import date, datetime, time

EN_GB = "en-GB"
EN_US = "en-US"
LOCALES = (EN_GB, EN_US)


def _locale(locale: str) -> str:
    if locale not in LOCALES:
        raise ValueError(f"Unknown locale {locale!r}; expected one of {', '.join(LOCALES)}")
    return locale


def format_date(day: date, locale: str, *, weekday: bool = True) -> str:
    """A full date: ``Tuesday 12 January 2027`` (en-GB), ``Tuesday, January 12, 2027`` (en-US)."""
    if _locale(locale) == EN_US:
        text = f"{day:%B} {day.day}, {day.year}"
        return f"{day:%A}, {text}" if weekday else text
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%A} {text}" if weekday else text


def format_short_date(day: date, locale: str) -> str:
    """A compact date for strips and tables: ``Tue 12 Jan`` (en-GB), ``Tue, Jan 12`` (en-US)."""
    if _locale(locale) == EN_US:
        return f"{day:%a}, {day:%b} {day.day}"
    return f"{day:%a} {day.day} {day:%b}"


def format_numeric_date(day: date, locale: str) -> str:
    """Digits only: ``12/01/2027`` (en-GB, day first), ``01/12/2027`` (en-US, month first)."""
    if _locale(locale) == EN_US:
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_time(moment: time | datetime, locale: str) -> str:
    """A clock time: ``14:30`` (en-GB, 24-hour), ``2:30 PM`` (en-US, 12-hour)."""
    if _locale(locale) == EN_US:
        hour = moment.hour % 12 or 12
        return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_datetime(moment: datetime, locale: str, *, zone_name: bool = True) -> str:
    """Date and time of an aware ``moment`` in its own zone, with the zone's abbreviation.

    ``Tuesday 12 January 2027 at 14:30 GMT`` (en-GB),
    ``Tuesday, January 12, 2027 at 2:30 PM PST`` (en-US).
    """
    if moment.tzinfo is None:
        raise ValueError("format_datetime needs an aware datetime")
    text = f"{format_date(moment.date(), locale)} at {format_time(moment, locale)}"
    return f"{text} {moment.tzname()}" if zone_name else text
