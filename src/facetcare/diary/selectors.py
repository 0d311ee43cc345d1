"""Reads for the reception diary: a clinic's day and week, and what the diary's forms offer.

A day or a week is read in a fixed number of queries whatever the number of
bookings (clinics, working hours, opening hours, closures, appointments, time
off), then laid out in Python by ``timeline``.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q

from facetcare.audit.models import RecordVersion
from facetcare.booking.models import Appointment
from facetcare.booking.selectors import LocalSlot, get_local_availability, local_day_bounds
from facetcare.booking.services import ATTENDANCE_FROM, attendance_problem
from facetcare.clinics.models import (
    Clinic,
    Closure,
    OpeningHours,
    Practitioner,
    Room,
    Service,
    TimeOff,
    WorkingHours,
)
from facetcare.core.scheduling.calendar import from_us, local_day, to_us
from facetcare.core.scheduling.intervals import Span, intersect, normalise
from facetcare.core.scheduling.types import WeeklyHours
from facetcare.diary import timeline
from facetcare.diary.timeline import Grid, Place
from facetcare.errors import NotFound

WEEK = 7
# How many bookable starts a form lists at most: a long day in five-minute steps.
MAX_STARTS = 300


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


def clinic_today(clinic: Clinic, now: datetime) -> date:
    return now.astimezone(ZoneInfo(clinic.time_zone)).date()


@dataclass(frozen=True)
class ListRow:
    appointment: Appointment
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Block:
    """One thing in a practitioner's column, at its place on the grid.

    ``kind`` is ``shift`` (working time, drawn under the rest), ``booking`` (one
    appointment), ``class`` (a class session's attendees), ``gap`` (free time
    that can be booked), ``off`` (time off) or ``elsewhere`` (a booking at
    another clinic). Times are local to the diary's clinic.
    """

    kind: str
    place: Place
    start: datetime
    end: datetime
    appointments: tuple[Appointment, ...] = ()
    label: str = ""

    @property
    def appointment(self) -> Appointment:
        return self.appointments[0]

    @property
    def start_param(self) -> str:
        return self.start.isoformat(timespec="minutes")

    @property
    def end_param(self) -> str:
        return self.end.isoformat(timespec="minutes")

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Column:
    practitioner: Practitioner
    shifts: list[tuple[datetime, datetime]]
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
    marks: list[tuple[Place, datetime]]
    columns: list[Column]
    cancelled: list[ListRow]

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date:
        return self.day + timedelta(days=1)

    @property
    def week_start(self) -> date:
        return self.day - timedelta(days=self.day.weekday())


@dataclass
class _Read:
    """What a clinic's diary needs for some local days, as read from the database."""

    clinic: Clinic
    first_day: date
    days: int
    window: Span
    practitioners: dict[int, Practitioner] = field(default_factory=dict)
    working: dict[int, list[WeeklyHours]] = field(default_factory=lambda: defaultdict(list))
    opening: list[WeeklyHours] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    time_off: dict[int, list[Span]] = field(default_factory=lambda: defaultdict(list))

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.first_day <= day <= c.last_day), None)


def _read(clinic: Clinic, first_day: date, days: int) -> _Read:
    """Four queries, or five when anyone works or is booked at the clinic in the range."""
    bounds = local_day_bounds(clinic.time_zone, first_day, days)
    last_day = first_day + timedelta(days=days - 1)
    read = _Read(clinic, first_day, days, (to_us(bounds.start), to_us(bounds.end)))
    hours = (
        WorkingHours.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=first_day),
            clinic=clinic,
            valid_from__lte=last_day,
            practitioner__is_active=True,
            practitioner__clinics=F("clinic_id"),
        )
        .select_related("practitioner")
        .order_by()
    )
    for row in hours:
        read.practitioners[row.practitioner_id] = row.practitioner
        read.working[row.practitioner_id].append(
            WeeklyHours(row.weekday, row.starts, row.ends, row.valid_from, row.valid_until)
        )
    for weekday, opens, closes in OpeningHours.objects.filter(clinic=clinic).values_list(
        "weekday", "opens", "closes"
    ):
        read.opening.append(WeeklyHours(weekday, opens, closes))
    read.closures = list(
        Closure.objects.filter(clinic=clinic, first_day__lte=last_day, last_day__gte=first_day)
    )
    here = Q(clinic=clinic, start__gte=bounds.start, start__lt=bounds.end)
    elsewhere = (
        Q(
            practitioner_id__in=list(read.practitioners),
            occupied_start__lt=bounds.end,
            occupied_end__gt=bounds.start,
        )
        & Appointment.LIVE
    )
    read.appointments = list(
        Appointment.objects.filter(here | elsewhere)
        .select_related("patient", "service", "room", "practitioner", "clinic")
        .order_by("start", "pk")
    )
    for appointment in read.appointments:
        if appointment.clinic_id == clinic.pk:
            read.practitioners.setdefault(appointment.practitioner_id, appointment.practitioner)
    if read.practitioners:
        for pid, start, end in TimeOff.objects.filter(
            practitioner_id__in=list(read.practitioners), start__lt=bounds.end, end__gt=bounds.start
        ).values_list("practitioner_id", "start", "end"):
            read.time_off[pid].append((to_us(start), to_us(end)))
    return read


@dataclass(frozen=True)
class _PractitionerDay:
    """One practitioner's day at the clinic as spans, before it is laid out."""

    working: list[Span]
    gaps: list[Span]
    time_off: list[Span]
    here: list[Appointment]
    elsewhere: list[Appointment]


def _practitioner_day(read: _Read, pid: int, day: date, now: datetime) -> _PractitionerDay:
    zone = read.clinic.time_zone
    local = local_day(zone, day)
    closed = read.closure_on(day) is not None
    time_off = read.time_off.get(pid, [])
    working = timeline.working_time(
        zone=zone,
        day=day,
        working=read.working.get(pid, ()),
        opening=read.opening,
        closed=closed,
        time_off=time_off,
    )
    mine = [
        a
        for a in read.appointments
        if a.practitioner_id == pid
        and a.is_live
        and to_us(a.occupied_start) < local.end
        and to_us(a.occupied_end) > local.start
    ]
    busy = [(to_us(a.occupied_start), to_us(a.occupied_end)) for a in mine]
    planned = timeline.spans_on(zone, day, read.working.get(pid, ()))
    return _PractitionerDay(
        working=working,
        gaps=timeline.free_gaps(working, busy, not_before=max(to_us(now), local.start)),
        time_off=[] if closed else intersect(planned, normalise(time_off)),
        here=[a for a in mine if a.clinic_id == read.clinic.pk],
        elsewhere=[a for a in mine if a.clinic_id != read.clinic.pk],
    )


def get_day_diary(*, clinic: Clinic, day: date, now: datetime) -> DiaryDay:
    """A clinic's diary for local ``day``: a column per practitioner working or booked
    there, with their bookings, free gaps from ``now`` on and time off, placed on a
    grid of five-minute rows; and the day's cancelled bookings."""
    read = _read(clinic, day, 1)
    zone = clinic.time_zone
    tz = ZoneInfo(zone)
    days = {pid: _practitioner_day(read, pid, day, now) for pid in read.practitioners}
    spans = timeline.spans_on(zone, day, read.opening)
    for found in days.values():
        spans += found.working + [(to_us(a.start), to_us(a.end)) for a in found.here]
    grid = timeline.day_grid(zone, day, spans)
    # A column for whoever works or is booked here that day; the rest are elsewhere.
    shown = [pid for pid, found in days.items() if found.working or found.here or found.time_off]
    columns = [
        _column(read.practitioners[pid], days[pid], grid, tz)
        for pid in sorted(shown, key=lambda p: _name_key(read.practitioners[p]))
    ]
    cancelled = [
        ListRow(a, a.start.astimezone(tz), a.end.astimezone(tz))
        for a in read.appointments
        if a.clinic_id == clinic.pk and not a.is_live
    ]
    return DiaryDay(
        clinic=clinic,
        day=day,
        today=clinic_today(clinic, now),
        closure=read.closure_on(day),
        grid=grid,
        marks=grid.marks(zone),
        columns=columns,
        cancelled=cancelled,
    )


def _name_key(practitioner: Practitioner) -> tuple[str, str, int]:
    return (practitioner.last_name.lower(), practitioner.first_name.lower(), practitioner.pk)


def _column(practitioner: Practitioner, day: _PractitionerDay, grid: Grid, tz: ZoneInfo) -> Column:
    def local(instant: int) -> datetime:
        return from_us(instant).astimezone(tz)

    def block(kind: str, span: Span, *found: Appointment, label: str = "") -> Block:
        return Block(kind, grid.place(*span), local(span[0]), local(span[1]), found, label)

    blocks = [block("shift", span) for span in day.working]
    blocks += [block("off", span, label="Time off") for span in day.time_off]
    for appointment in day.elsewhere:
        span = (to_us(appointment.start), to_us(appointment.end))
        blocks.append(block("elsewhere", span, label=f"At {appointment.clinic.name}"))
    for group in _sessions(day.here):
        span = (to_us(group[0].start), max(to_us(a.end) for a in group))
        blocks.append(block("class" if group[0].service.is_class else "booking", span, *group))
    blocks += [block("gap", span) for span in day.gaps]
    order = {"shift": 0, "off": 1, "elsewhere": 2, "booking": 3, "class": 3, "gap": 4}
    blocks.sort(key=lambda b: (b.start, order[b.kind]))
    return Column(
        practitioner=practitioner,
        shifts=[(local(start), local(end)) for start, end in day.working],
        blocks=blocks,
        booked=len(day.here),
        free_minutes=timeline.minutes(day.gaps),
    )


def _sessions(appointments: Iterable[Appointment]) -> list[list[Appointment]]:
    """One group per class session (shared key), one per other appointment, in time order."""
    groups: dict[str, list[Appointment]] = {}
    for appointment in appointments:
        groups.setdefault(appointment.session_key, []).append(appointment)
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
    read = _read(clinic, first_day, WEEK)
    days = [first_day + timedelta(days=n) for n in range(WEEK)]
    rows = []
    for pid in sorted(read.practitioners, key=lambda p: _name_key(read.practitioners[p])):
        cells = []
        for day in days:
            found = _practitioner_day(read, pid, day, now)
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
        today=clinic_today(clinic, now),
        days=days,
        closures=[read.closure_on(day) for day in days],
        rows=rows,
    )


def list_bookable_services(*, clinic: Clinic, practitioner: Practitioner) -> list[Service]:
    """The active services ``practitioner`` provides that ``clinic`` has a room for: two
    queries."""
    rooms = [
        frozenset(equipment or ())
        for equipment in Room.objects.filter(clinic=clinic, is_active=True).values_list(
            "equipment", flat=True
        )
    ]
    services = practitioner.services.filter(
        is_active=True, required_profession=practitioner.profession
    ).order_by("name")
    return [
        service
        for service in services
        if any(frozenset(service.required_equipment or ()) <= room for room in rooms)
    ]


def list_free_starts(
    *, service: Service, clinic: Clinic, practitioner: Practitioner, day: date, now: datetime
) -> list[LocalSlot]:
    """The starts ``practitioner`` can take ``service`` at ``clinic`` on local ``day``."""
    return get_local_availability(
        service=service,
        clinic=clinic,
        practitioner=practitioner,
        first_day=day,
        days=1,
        limit=MAX_STARTS,
        now=now,
    )


@dataclass(frozen=True)
class MoveChoices:
    """Free starts for an appointment's service on one day, by practitioner."""

    day: date
    by_practitioner: list[tuple[Practitioner, list[LocalSlot]]]


def list_move_choices(*, appointment: Appointment, day: date, now: datetime) -> MoveChoices:
    """Where ``appointment`` could move to on local ``day`` at its clinic: every free start
    of its service, with any practitioner who provides it there."""
    slots = get_local_availability(
        service=appointment.service,
        clinic=appointment.clinic,
        first_day=day,
        days=1,
        limit=MAX_STARTS,
        now=now,
    )
    practitioners = Practitioner.objects.in_bulk({slot.practitioner_id for slot in slots})
    grouped: dict[int, list[LocalSlot]] = defaultdict(list)
    for slot in slots:
        grouped[slot.practitioner_id].append(slot)
    ordered = sorted(grouped, key=lambda pid: _name_key(practitioners[pid]))
    return MoveChoices(day, [(practitioners[pid], grouped[pid]) for pid in ordered])


def get_diary_appointment(*, appointment_id: int) -> Appointment:
    """One appointment with what its page shows (who booked it, what it was moved
    from or to). Raises NotFound."""
    appointment = (
        Appointment.objects.select_related(
            "service", "clinic", "practitioner", "room", "patient", "booked_by", "rescheduled_from"
        )
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise NotFound("No such booking")
    return appointment


def get_moved_to(*, appointment: Appointment) -> Appointment | None:
    """The booking ``appointment`` was moved to, if it was."""
    return Appointment.objects.filter(rescheduled_from=appointment).first()


def get_practitioner_for(*, user: AbstractBaseUser | AnonymousUser) -> Practitioner | None:
    """The practitioner record a signed-in clinician is, if any."""
    if not user.is_authenticated:
        return None
    return Practitioner.objects.filter(user_id=user.pk, is_active=True).first()


def list_practitioners() -> list[Practitioner]:
    return list(Practitioner.objects.filter(is_active=True).order_by("last_name", "first_name"))


def list_practitioner_day(*, practitioner: Practitioner, day: date) -> list[ListRow]:
    """``practitioner``'s live appointments on local ``day`` (each clinic's own zone),
    earliest first, with the patient, service, clinic and room: one query."""
    # Every zone's local day lies within a day and a half either side of UTC's.
    low = datetime.combine(day - timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo("UTC"))
    appointments = (
        Appointment.objects.filter(
            Appointment.LIVE,
            practitioner=practitioner,
            start__gte=low,
            start__lt=low + timedelta(days=3),
        )
        .select_related("patient", "service", "clinic", "room")
        .order_by("start", "pk")
    )
    rows = []
    for appointment in appointments:
        zone = ZoneInfo(appointment.clinic.time_zone)
        start = appointment.start.astimezone(zone)
        if start.date() == day:
            rows.append(ListRow(appointment, start, appointment.end.astimezone(zone)))
    return rows


def list_appointment_history(*, appointment: Appointment) -> list[RecordVersion]:
    """Who changed the booking and why (attendance, cancel, move), oldest first."""
    content_type = ContentType.objects.get_for_model(Appointment)
    return list(
        RecordVersion.objects.filter(content_type=content_type, object_id=appointment.pk)
        .select_related("changed_by")
        .order_by("version")
    )


def attendance_marks(*, appointment: Appointment, now: datetime) -> list[str]:
    """The attendance marks ``appointment`` can take at ``now``, in the order offered."""
    return [
        status for status in ATTENDANCE_FROM if attendance_problem(appointment, status, now) is None
    ]
