"""Utilisation for managers: booked against available minutes per practitioner and clinic.

Available is a practitioner's working hours at the clinic inside its opening
hours, less their time off and the clinic's closures; booked is the time of live
(not cancelled) appointments there, a class session counted once however many
attend. Both are over one local week (Monday to Sunday in each clinic's zone).
Five queries for every clinic at once; the bookings are grouped per session in
SQL.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, Max, Min, Q

from facetcare.booking.models import Appointment
from facetcare.booking.selectors import local_day_bounds
from facetcare.clinics.models import Clinic, Closure, OpeningHours, Practitioner, TimeOff
from facetcare.clinics.models import WorkingHours as WorkingRow
from facetcare.core.scheduling.calendar import to_us
from facetcare.core.scheduling.intervals import Span, normalise
from facetcare.core.scheduling.types import WeeklyHours
from facetcare.diary import timeline

WEEK = 7


@dataclass(frozen=True)
class Usage:
    """Minutes available and booked; ``percent`` is None when nothing was available."""

    label: str
    available: int
    booked: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.booked / self.available) if self.available else None

    @property
    def percent_text(self) -> str:
        """``70%``; ``<1%`` rather than a misleading 0% when something is booked."""
        if self.percent is None:
            return "–"
        return "<1%" if self.percent == 0 and self.booked else f"{self.percent}%"


@dataclass(frozen=True)
class Utilisation:
    first_day: date
    clinic: Clinic
    clinics: list[Usage]
    practitioners: list[Usage]

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=WEEK - 1)

    @property
    def previous_week(self) -> date:
        return self.first_day - timedelta(days=WEEK)

    @property
    def next_week(self) -> date:
        return self.first_day + timedelta(days=WEEK)


@dataclass
class _Week:
    working: dict[tuple[int, int], list[WeeklyHours]]
    opening: dict[int, list[WeeklyHours]]
    closures: dict[int, list[tuple[date, date]]]
    time_off: dict[int, list[Span]]
    sessions: dict[tuple[int, int], list[Span]]
    names: dict[int, Practitioner]


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def get_utilisation(*, first_day: date, clinic: Clinic, clinics: list[Clinic]) -> Utilisation:
    """Per clinic of ``clinics`` and per practitioner at ``clinic``, the week from
    ``first_day``: minutes available and booked."""
    week = _read_week(clinics, first_day)
    per_clinic: list[Usage] = []
    practitioners: list[Usage] = []
    for each in clinics:
        rows = _practitioner_usage(each, first_day, week)
        per_clinic.append(
            Usage(each.name, sum(r.available for r in rows), sum(r.booked for r in rows))
        )
        if each.pk == clinic.pk:
            practitioners = rows
    return Utilisation(first_day, clinic, per_clinic, practitioners)


def _practitioner_usage(clinic: Clinic, first_day: date, week: _Week) -> list[Usage]:
    days = [first_day + timedelta(days=n) for n in range(WEEK)]
    closed = week.closures.get(clinic.pk, [])
    pids = {pid for cid, pid in week.working if cid == clinic.pk}
    pids |= {pid for cid, pid in week.sessions if cid == clinic.pk}
    rows = []
    for pid in pids:
        available = 0
        for day in days:
            working = timeline.working_time(
                zone=clinic.time_zone,
                day=day,
                working=week.working.get((clinic.pk, pid), ()),
                opening=week.opening.get(clinic.pk, ()),
                closed=any(first <= day <= last for first, last in closed),
                time_off=week.time_off.get(pid, ()),
            )
            available += timeline.minutes(working)
        booked = timeline.minutes(normalise(week.sessions.get((clinic.pk, pid), ())))
        rows.append(Usage(week.names[pid].display_name, available, booked))
    return sorted(rows, key=lambda usage: usage.label.lower())


def _read_week(clinics: list[Clinic], first_day: date) -> _Week:
    last_day = first_day + timedelta(days=WEEK - 1)
    ids = [c.pk for c in clinics]
    zones = {c.pk: ZoneInfo(c.time_zone) for c in clinics}
    bounds = [local_day_bounds(c.time_zone, first_day, WEEK) for c in clinics]
    low = min((b.start for b in bounds), default=None)
    high = max((b.end for b in bounds), default=None)
    week = _Week({}, defaultdict(list), defaultdict(list), defaultdict(list), {}, {})
    if low is None or high is None:
        return week
    working: dict[tuple[int, int], list[WeeklyHours]] = defaultdict(list)
    for cid, pid, weekday, starts, ends, valid_from, valid_until in WorkingRow.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=first_day),
        clinic_id__in=ids,
        valid_from__lte=last_day,
        practitioner__is_active=True,
        practitioner__clinics=F("clinic_id"),
    ).values_list("clinic_id", "practitioner_id", "weekday", "starts", "ends", "valid_from",
                  "valid_until"):  # fmt: skip
        working[(cid, pid)].append(WeeklyHours(weekday, starts, ends, valid_from, valid_until))
    week.working = dict(working)
    for cid, weekday, opens, closes in OpeningHours.objects.filter(clinic_id__in=ids).values_list(
        "clinic_id", "weekday", "opens", "closes"
    ):
        week.opening[cid].append(WeeklyHours(weekday, opens, closes))
    for cid, first, last in Closure.objects.filter(
        clinic_id__in=ids, first_day__lte=last_day, last_day__gte=first_day
    ).values_list("clinic_id", "first_day", "last_day"):
        week.closures[cid].append((first, last))
    sessions: dict[tuple[int, int], list[Span]] = defaultdict(list)
    grouped = (
        Appointment.objects.filter(
            Appointment.LIVE, clinic_id__in=ids, start__gte=low, start__lt=high
        )
        .values("clinic_id", "practitioner_id", "session_key")
        .annotate(first=Min("start"), last=Max("end"))
        .order_by()
    )
    for row in grouped:
        cid = row["clinic_id"]
        if first_day <= row["first"].astimezone(zones[cid]).date() <= last_day:
            sessions[(cid, row["practitioner_id"])].append(
                (to_us(row["first"]), to_us(row["last"]))
            )
    week.sessions = dict(sessions)
    pids = {pid for _, pid in week.working} | {pid for _, pid in week.sessions}
    week.names = Practitioner.objects.in_bulk(pids) if pids else {}
    for pid, start, end in TimeOff.objects.filter(
        practitioner_id__in=pids, start__lt=high, end__gt=low
    ).values_list("practitioner_id", "start", "end"):
        week.time_off[pid].append((to_us(start), to_us(end)))
    return week
