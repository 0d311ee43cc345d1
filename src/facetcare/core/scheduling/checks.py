"""Validation of one proposed start, failing with the first reason that applies.

The order of the checks is the order of the reasons on ``SlotUnavailable``; each
failure carries a sentence for a person, with times in the clinic's zone.
``find_slots`` offers exactly the starts these checks accept (a property the
tests hold it to), and reuses them for existing class sessions.
"""

from __future__ import annotations

from collections.abc import Sequence

from facetcare.core.scheduling.calendar import US, day_text, local_date, local_text
from facetcare.core.scheduling.engine import ClinicIndex, DayBookings, Session
from facetcare.core.scheduling.errors import SlotUnavailable
from facetcare.core.scheduling.intervals import Span, covering, overlapping
from facetcare.core.scheduling.types import PractitionerSchedule, RoomSpec, Slot


def amount(value: int) -> str:
    """A duration in microseconds as words: ``1 hour``, ``90 minutes``, ``14 days``."""
    seconds = value // US
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1)):
        if seconds % size == 0 and seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "no time"


class _Text:
    """Wording of a proposed appointment, in the clinic's local time."""

    def __init__(self, index: ClinicIndex, start: int, span: Span) -> None:
        self.zone = index.zone
        self.start = start
        self.span = span
        self.day = local_date(index.zone, start)

    def at(self, instant: int) -> str:
        return f"{local_text(self.zone, instant)} on {day_text(local_date(self.zone, instant))}"

    def when(self) -> str:
        return self.at(self.start)

    def spans(self, spans: Sequence[Span]) -> str:
        return ", ".join(self.range(span) for span in spans)

    def range(self, span: Span) -> str:
        return f"{local_text(self.zone, span[0])}–{local_text(self.zone, span[1])}"

    def occupied(self) -> str:
        return f"{self.range(self.span)} on {day_text(self.day)}"


def check_start(
    index: ClinicIndex, practitioner: PractitionerSchedule, start: int, now: int
) -> Slot:
    """Return the Slot at ``start`` (microseconds, UTC) or raise SlotUnavailable."""
    span = index.rules.occupied(start)
    text = _Text(index, start, span)
    _check_window(index, text, now)
    _check_calendar(index, practitioner, text)
    bookings = index.bookings(text.day)
    session = None
    if index.rules.capacity > 1:
        session = bookings.sessions.get((practitioner.practitioner_id, start))
    return _check_resources(index, practitioner, bookings, session, text)


def _check_window(index: ClinicIndex, text: _Text, now: int) -> None:
    rules, start = index.rules, text.start
    if start < now:
        raise SlotUnavailable("in_the_past", f"{text.when()} has already passed.")
    if start < now + rules.min_notice:
        raise SlotUnavailable(
            "too_short_notice",
            f"This service must be booked at least {amount(rules.min_notice)} ahead: "
            f"{text.when()} is too soon; "
            f"the earliest start is {text.at(now + rules.min_notice)}.",
        )
    if start > now + rules.max_advance:
        raise SlotUnavailable(
            "beyond_horizon",
            f"This service can be booked at most {amount(rules.max_advance)} ahead: "
            f"{text.when()} is after {text.at(now + rules.max_advance)}.",
        )


def _check_calendar(index: ClinicIndex, practitioner: PractitionerSchedule, text: _Text) -> None:
    day, span = text.day, text.span
    if index.is_closed(day):
        raise SlotUnavailable("clinic_closed", f"The clinic is closed on {day_text(day)}.")
    opening = index.opening(day)
    if not covering(opening, *span):
        hours = f"it is open {text.spans(opening)}" if opening else "it does not open that day"
        raise SlotUnavailable(
            "outside_opening_hours",
            f"The appointment {_with_buffers(index)}, {text.occupied()}, falls outside "
            f"the clinic's opening hours ({hours}).",
        )
    working = index.working(practitioner, day)
    if not covering(working, *span):
        hours = (
            f"their hours there that day are {text.spans(working)}"
            if working
            else "they do not work there that day"
        )
        raise SlotUnavailable(
            "practitioner_not_working",
            f"The practitioner is not working at this clinic for {text.occupied()} ({hours}).",
        )
    if overlapping(index.time_off(practitioner), *span):
        raise SlotUnavailable(
            "practitioner_time_off", f"The practitioner is on leave during {text.occupied()}."
        )


def _with_buffers(index: ClinicIndex) -> str:
    if index.rules.before or index.rules.after:
        return "with its preparation and clean-up time"
    return "time"


def _check_resources(
    index: ClinicIndex,
    practitioner: PractitionerSchedule,
    bookings: DayBookings,
    session: Session | None,
    text: _Text,
) -> Slot:
    pid = practitioner.practitioner_id
    if _practitioner_busy(bookings, pid, text.span, session):
        raise SlotUnavailable(
            "practitioner_busy",
            f"The practitioner already has an appointment during {text.occupied()}.",
        )
    room = _room_for(index, bookings, text.span, session)
    if room is None:
        needs = ", ".join(sorted(index.rules.equipment)) or "no special equipment"
        raise SlotUnavailable("no_room", f"No room ({needs}) is free for {text.occupied()}.")
    places = index.places(room)
    if session is not None:
        if session.attendees >= places:
            raise SlotUnavailable(
                "class_full",
                f"The class at {text.when()} is full ({session.attendees} of {places} places).",
            )
        return index.slot(pid, text.start, room, places - session.attendees)
    if not index.day(text.day).is_on_grid(text.start, index.rules.step):
        raise SlotUnavailable(
            "misaligned",
            f"{text.when()} is not a start time for this service: starts are every "
            f"{amount(index.rules.step)} from midnight, clinic time.",
        )
    return index.slot(pid, text.start, room, places)


def _practitioner_busy(
    bookings: DayBookings, pid: int, span: Span, session: Session | None
) -> bool:
    if session is None:
        return overlapping(bookings.practitioner.get(pid, ()), *span)
    return bookings.clashes(practitioner_id=pid, span=span, ignore_key=session.key)


def _room_for(
    index: ClinicIndex, bookings: DayBookings, span: Span, session: Session | None
) -> RoomSpec | None:
    if session is None:
        return index.free_room(bookings, span)
    room = index.room_by_id.get(session.room_id)
    if room is None or bookings.room_clashes(
        room_id=room.room_id, span=span, ignore_key=session.key
    ):
        return None
    return room
