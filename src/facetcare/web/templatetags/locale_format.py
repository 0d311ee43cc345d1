"""Template filters writing dates and times in a clinic's locale (see ``facetcare.locales``).

{% load locale_format %}
{{ slot.start|local_time:clinic.locale }}   14:30 / 2:30 PM
{{ day|local_date:clinic.locale }}          Tuesday 12 January 2027
{{ day|short_date:clinic.locale }}          Tue 12 Jan / Tue, Jan 12
{{ start|local_datetime:clinic.locale }}    ... at 14:30 GMT
"""

from datetime import date, datetime, time

from django import template

from facetcare import locales

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
