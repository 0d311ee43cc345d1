"""Template filters writing dates, times and phone numbers in a clinic's locale (see
``facetcare.locales`` and ``facetcare.phones``).

{% load locale_format %}
{{ slot.start|local_time:clinic.locale }}   14:30 / 2:30 PM
{{ day|local_date:clinic.locale }}          Tuesday 12 January 2027
{{ day|short_date:clinic.locale }}          Tue 12 Jan / Tue, Jan 12
{{ start|local_datetime:clinic.locale }}    ... at 14:30 GMT
{{ clinic.phone|phone:clinic.locale }}      020 7946 0123 / (213) 555-0123
"""

from datetime import date, datetime, time

from django import template

from facetcare import locales, phones

register = template.Library()


@register.filter
def local_date(value: date | datetime | None, locale: str = locales.EN_GB) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return locales.format_date(day, locale or locales.EN_GB)


@register.filter
def short_date(value: date | datetime | None, locale: str = locales.EN_GB) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return locales.format_short_date(day, locale or locales.EN_GB)


@register.filter
def numeric_date(value: date | datetime | None, locale: str = locales.EN_GB) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return locales.format_numeric_date(day, locale or locales.EN_GB)


@register.filter
def local_time(value: time | datetime | None, locale: str = locales.EN_GB) -> str:
    if value is None:
        return ""
    return locales.format_time(value, locale or locales.EN_GB)


@register.filter
def local_datetime(value: datetime | None, locale: str = locales.EN_GB) -> str:
    if value is None:
        return ""
    return locales.format_datetime(value, locale or locales.EN_GB)


@register.filter
def phone(value: str | None, locale: str | None = None) -> str:
    """An E.164 number as people in ``locale``'s country write it (``phones.display_phone``)."""
    if not value:
        return ""
    return phones.display_phone(value, locale or None)
