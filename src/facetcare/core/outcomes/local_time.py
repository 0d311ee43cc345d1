"""Clinic-local wall-clock times to instants (``response-derivation.md`` section 5).

A timestamp without an offset is clinic-local. At a fall-back change the
repeated hour is ambiguous: the first occurrence is taken (``fold=0``). At a
spring-forward change the skipped hour never happened on the clock: a time
inside it is refused with ``NonexistentLocalTime`` so the caller can flag it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo


class NonexistentLocalTime(ValueError):
    """A wall-clock time inside the hour skipped when the clocks go forward."""


def instant_from_local(local: datetime, zone: tzinfo) -> datetime:
    """The UTC instant of naive clinic-local ``local`` in ``zone``.

    Raises ValueError if ``local`` already carries an offset, NonexistentLocalTime
    for a time the clocks skipped.
    """
    if local.tzinfo is not None:
        raise ValueError("instant_from_local takes a naive, clinic-local datetime")
    first = local.replace(tzinfo=zone, fold=0)
    instant = first.astimezone(UTC)
    # A skipped time does not survive the round trip back to the wall clock.
    if instant.astimezone(zone).replace(tzinfo=None) != local:
        raise NonexistentLocalTime(
            f"{local.isoformat(sep=' ')} did not happen in {zone}: the clocks went forward"
        )
    return instant


def start_of_local_day(day: date, zone: tzinfo) -> datetime:
    """The UTC instant at which local ``day`` begins in ``zone`` (its first minute; a
    zone whose midnight is skipped begins the day at the first time that exists)."""
    for hour in range(3):
        try:
            return instant_from_local(datetime.combine(day, time(hour)), zone)
        except NonexistentLocalTime:
            continue
    raise NonexistentLocalTime(f"{day} has no start in {zone}")


def local_at(day: date, clock: time, zone: tzinfo) -> datetime:
    """The UTC instant of ``clock`` on local ``day`` in ``zone``, for a reminder: a
    skipped time becomes the instant an hour later on the clock (01:30 on London's
    spring-forward day is 02:30 BST); a repeated time is its first occurrence."""
    # fold=0 reads a skipped time with the offset before the change, which is
    # the instant the clock shows an hour later; a repeated one as its first.
    return datetime.combine(day, clock).replace(tzinfo=zone, fold=0).astimezone(UTC)
