"""Reads for the reception diary: the clinics to choose from, and a clinic's day and week.

A day or a week is read in a fixed number of queries whatever the number of
bookings (clinics, working hours, opening hours, closures, appointments, time
off), then laid out in Python by ``timeline``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef

from facetcare import locales
from facetcare.booking.models import Appointment
from facetcare.clinics.hours import local_today
from facetcare.clinics.models import (
    Clinic,
    Closure,
    Practitioner,
)
from facetcare.core.scheduling.calendar import from_us, to_us
from facetcare.core.scheduling.intervals import Span
from facetcare.diary import timeline
from facetcare.diary.entries import Entry, PractitionerDay, practitioner_day, read_days
from facetcare.diary.timeline import Grid, Place
from facetcare.errors import NotFound

WEEK = 7


def list_diary_clinics(*, user: AbstractBaseUser | AnonymousUser) -> list[Clinic]:
    """Active clinics by name, each marked ``works_here`` if ``user`` is a practitioner
    listed there: one query."""
    works_here = Practitioner.objects.filter(user_id=user.pk or 0, clinics=OuterRef("pk"))
    clinics = Clinic.objects.filter(is_active=True).annotate(works_here=Exists(works_here))
    return list(clinics.order_by("name"))


def choose_clinic(clinics: Sequence[Clinic], clinic_id: int | None) -> Clinic:
    """The clinic asked for, else the first the user works at, else the first one.

    Raises NotFound when ``clinic_id`` is not among ``clinics`` or there are none.
    """
    if clinic_id is not None:
        found = next((c for c in clinics if c.pk == clinic_id), None)
        if found is None:
            raise NotFound("No such clinic")
        return found
    if not clinics:
        raise NotFound("No clinic is set up yet")
    return next((c for c in clinics if getattr(c, "works_here", False)), clinics[0])


@dataclass(frozen=True)
class ListRow:
    appointment: Appointment
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Block:
    """One thing in a practitioner's column, at its place on the grid.

    ``kind`` is ``shift`` (working time, drawn under the rest), ``booking`` (one
    appointment), ``class`` (a class session's attendees), ``gap`` (free time
    that can be booked), ``off`` (time off) or ``elsewhere`` (a booking at
    another clinic). Times are local to the diary's clinic, and written as its
    locale writes them (``start_text``, ``end_text``).
    """

    kind: str
    place: Place
    start: datetime
    end: datetime
    start_text: str
    end_text: str
    entries: tuple[Entry, ...] = ()
    label: str = ""

    @property
    def entry(self) -> Entry:
        return self.entries[0]

    @property
    def start_param(self) -> str:
        return self.start.isoformat(timespec="minutes")

    @property
    def end_param(self) -> str:
        return self.end.isoformat(timespec="minutes")


@dataclass(frozen=True)
class Column:
    practitioner: Practitioner
    shifts: str
    blocks: list[Block]
    booked: int
    free_minutes: int


@dataclass(frozen=True)
class DiaryDay:
    clinic: Clinic
    day: date
    today: date
    closure: Closure | None
    grid: Grid
    marks: list[tuple[Place, str]]
    columns: list[Column]
    cancelled: list[tuple[str, Entry]]

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date:
        return self.day + timedelta(days=1)


def get_day_diary(*, clinic: Clinic, day: date, now: datetime) -> DiaryDay:
    """A clinic's diary for local ``day``: a column per practitioner working or booked
    there, with their bookings, free gaps from ``now`` on and time off, placed on a
    grid of five-minute rows; and the day's cancelled bookings."""
    read = read_days(clinic, day, 1)
    zone = clinic.time_zone
    days = {pid: practitioner_day(read, pid, day, now) for pid in read.practitioners}
    spans = timeline.spans_on(zone, day, read.opening)
    for found in days.values():
        spans += found.working + [(e.start, e.end) for e in found.here]
    grid = timeline.day_grid(zone, day, spans)
    clock = _Clock(clinic)
    # A column for whoever works or is booked here that day; the rest are elsewhere.
    shown = [pid for pid, found in days.items() if found.working or found.here or found.time_off]
    columns = [
        _column(read.practitioners[pid], days[pid], grid, clock)
        for pid in sorted(shown, key=lambda p: name_key(read.practitioners[p]))
    ]
    cancelled = [
        (clock.text(e.start), e) for e in read.entries if e.clinic_id == clinic.pk and not e.is_live
    ]
    return DiaryDay(
        clinic=clinic,
        day=day,
        today=local_today(clinic, now),
        closure=read.closure_on(day),
        grid=grid,
        marks=[(place, clock.text(to_us(at))) for place, at in grid.marks(zone)],
        columns=columns,
        cancelled=cancelled,
    )


class _Clock:
    """Instants as the clinic's wall clock shows them, written in its locale."""

    def __init__(self, clinic: Clinic) -> None:
        self.zone = ZoneInfo(clinic.time_zone)
        self.locale = clinic.locale

    def local(self, instant: int) -> datetime:
        return from_us(instant).astimezone(self.zone)

    def text(self, instant: int) -> str:
        return locales.format_time(self.local(instant), self.locale)


def name_key(practitioner: Practitioner) -> tuple[str, str, int]:
    return (practitioner.last_name.lower(), practitioner.first_name.lower(), practitioner.pk)


_ORDER = {"shift": 0, "off": 1, "elsewhere": 2, "booking": 3, "class": 3, "gap": 4}


def _column(practitioner: Practitioner, day: PractitionerDay, grid: Grid, clock: _Clock) -> Column:
    def block(kind: str, span: Span, *found: Entry, label: str = "") -> Block:
        start, end = span
        return Block(
            kind, grid.place(start, end), clock.local(start), clock.local(end),
            clock.text(start), clock.text(end), found, label,
        )  # fmt: skip

    blocks = [block("shift", span) for span in day.working]
    blocks += [block("off", span, label="Time off") for span in day.time_off]
    for entry in day.elsewhere:
        blocks.append(block("elsewhere", (entry.start, entry.end), label=f"At {entry.clinic_name}"))
    for group in _sessions(day.here):
        span = (group[0].start, max(e.end for e in group))
        blocks.append(block("class" if group[0].is_class else "booking", span, *group))
    blocks += [block("gap", span) for span in day.gaps]
    blocks.sort(key=lambda b: (b.start, _ORDER[b.kind]))
    shifts = ", ".join(f"{clock.text(start)}–{clock.text(end)}" for start, end in day.working)
    return Column(
        practitioner=practitioner,
        shifts=shifts,
        blocks=blocks,
        booked=len(day.here),
        free_minutes=timeline.minutes(day.gaps),
    )


def _sessions(entries: Iterable[Entry]) -> list[list[Entry]]:
    """One group per class session (shared key), one per other appointment, in time order."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.session_key, []).append(entry)
    return sorted(groups.values(), key=lambda group: (group[0].start, group[0].pk))


@dataclass(frozen=True)
class WeekCell:
    day: date
    booked: int
    free_minutes: int
    working_minutes: int
    off: bool


@dataclass(frozen=True)
class WeekRow:
    practitioner: Practitioner
    cells: list[WeekCell]


@dataclass(frozen=True)
class DiaryWeek:
    clinic: Clinic
    first_day: date
    today: date
    days: list[date]
    closures: list[Closure | None]
    rows: list[WeekRow]

    @property
    def previous_week(self) -> date:
        return self.first_day - timedelta(days=WEEK)

    @property
    def next_week(self) -> date:
        return self.first_day + timedelta(days=WEEK)


def get_week_diary(*, clinic: Clinic, first_day: date, now: datetime) -> DiaryWeek:
    """Seven local days from ``first_day``: per practitioner and day, the bookings at the
    clinic, the free time from ``now`` on and the working time; in the queries of one day."""
    read = read_days(clinic, first_day, WEEK)
    days = [first_day + timedelta(days=n) for n in range(WEEK)]
    rows = []
    for pid in sorted(read.practitioners, key=lambda p: name_key(read.practitioners[p])):
        cells = []
        for day in days:
            found = practitioner_day(read, pid, day, now)
            cells.append(
                WeekCell(
                    day=day,
                    booked=len(found.here),
                    free_minutes=timeline.minutes(found.gaps),
                    working_minutes=timeline.minutes(found.working),
                    off=bool(found.time_off),
                )
            )
        rows.append(WeekRow(read.practitioners[pid], cells))
    return DiaryWeek(
        clinic=clinic,
        first_day=first_day,
        today=local_today(clinic, now),
        days=days,
        closures=[read.closure_on(day) for day in days],
        rows=rows,
    )
