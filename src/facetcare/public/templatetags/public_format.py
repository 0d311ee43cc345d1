"""Template helpers for the public pages: money, distances, zones, days (phone numbers: the
``phone`` filter of ``locale_format``).

{% load public_format %}
{{ offer.quote.price|money:clinic.currency }}          £75.00 / $75.00
{{ appointment.start|in_zone:clinic.time_zone }}      the same instant, in the clinic's zone
{% day_label day today clinic.locale %}               Today / Tomorrow / Thu 14 Jan
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import template

from facetcare import locales

register = template.Library()

SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€"}


@register.filter
def money(amount: Decimal | None, currency: str = "GBP") -> str:
    if amount is None:
        return ""
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


@register.filter
def in_zone(moment: datetime | None, zone: str) -> datetime | None:
    return None if moment is None else moment.astimezone(ZoneInfo(zone))


@register.filter
def miles(value: float | None) -> str:
    if value is None:
        return ""
    if value < 0.1:
        return "less than 0.1 miles"
    return f"{value:.1f} miles" if value < 10 else f"{value:.0f} miles"


@register.simple_tag
def day_label(day: date | datetime, today: date, locale: str) -> str:
    """Today, Tomorrow, or the short date in the locale."""
    if isinstance(day, datetime):
        day = day.date()
    if day == today:
        return "Today"
    if day == today + timedelta(days=1):
        return "Tomorrow"
    return locales.format_short_date(day, locale or locales.EN_GB)


STEPS = ("Clinic", "Service", "Day and time", "Your details", "Confirm")


@register.inclusion_tag("public/partials/steps.html")
def booking_steps(step: int) -> dict[str, object]:
    """The "Step 2 of 5" indicator and its bar."""
    return {"step": step, "labels": STEPS, "total": len(STEPS), "name": STEPS[step - 1]}


@register.filter
def birth_date(day: date | None, locale: str = locales.EN_GB) -> str:
    """A date without its weekday: ``17 May 1980`` / ``May 17, 1980``."""
    if day is None:
        return ""
    return locales.format_date(day, locale or locales.EN_GB, weekday=False)
