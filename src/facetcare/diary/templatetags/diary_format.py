"""Template filters for the diary: durations, clinic times and money (phone numbers: the
``phone`` filter of ``locale_format``)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import template

from facetcare import locales
from facetcare.clinics.models import Clinic

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    """``135`` → "2 h 15 min", ``45`` → "45 min", ``120`` → "2 h", ``0`` → "0 min"."""
    if not minutes:
        return "0 min"
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@register.filter
def clinic_datetime(value: datetime | None, clinic: Clinic) -> str:
    """A stored (UTC) instant as the clinic reads it: its zone, its locale."""
    if value is None:
        return ""
    return locales.format_datetime(value.astimezone(ZoneInfo(clinic.time_zone)), clinic.locale)


@register.filter
def clinic_time(value: datetime | None, clinic: Clinic) -> str:
    if value is None:
        return ""
    return locales.format_time(value.astimezone(ZoneInfo(clinic.time_zone)), clinic.locale)


@register.filter
def add_days(value: date, days: int) -> date:
    return value + timedelta(days=int(days))


CURRENCY_SIGNS = {"GBP": "£", "USD": "$", "EUR": "€"}


@register.filter
def money(value: Decimal | None, currency: str) -> str:
    """``Decimal("17.10"), "GBP"`` → "£17.10"; an unknown currency keeps its code."""
    if value is None:
        return ""
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{value:,.2f}" if sign else f"{currency} {value:,.2f}"


@register.filter
def subtract(value: Decimal, other: Decimal) -> Decimal:
    return value - other
