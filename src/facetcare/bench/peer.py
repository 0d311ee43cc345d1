"""The peer comparison: django-appointment 3.12.0 against FacetCare on the same shape.

Shape: 20 staff working Monday to Saturday 08:00-18:00 with a 12:00-13:00 lunch
break, 30-minute slots, 5,000 appointments over the next 30 days; the task is
every free slot of every staff member for each of the next 14 days. The peer
runs in its own virtual environment (installed from PyPI) with a small Django
project generated at run time and its own database, and is timed calling its
own slot function, ``appointment.services.get_available_slots_for_staff``, for
each staff member and day. FacetCare answers the same question in this process.
"""

import json
import random
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from facetcare.bench.dataset import bench_service, build_directory, load_appointments
from facetcare.bench.measure import Timing
from facetcare.booking.models import Appointment
from facetcare.booking.selectors import get_availability
from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.core.scheduling.types import Slot
from facetcare.patients.models import Patient

PEER = "django-appointment==3.12.0"
STAFF, APPOINTMENTS, SPAN_DAYS, DAYS = 20, 5000, 30, 14
HOURS = ((clock(8), clock(12)), (clock(13), clock(18)))

PEER_SETTINGS = """
SECRET_KEY = "peer-benchmark-only"
DEBUG = False
USE_TZ = True
TIME_ZONE = "Europe/London"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes",
                  "django.contrib.sessions", "django.contrib.messages",
                  "django.contrib.admin", "phonenumber_field", "appointment"]
ROOT_URLCONF = "peer_urls"
DATABASES = {"default": %(database)s}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The wheel ships no migrations; they are generated into the project.
MIGRATION_MODULES = {"appointment": "peer_migrations.appointment"}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
              "OPTIONS": {"context_processors": []}}]
"""

PEER_SCRIPT = """
import json, os, sys, time
from datetime import date, time as clock, timedelta
os.environ["DJANGO_SETTINGS_MODULE"] = "peer_settings"
import django
django.setup()
from django.core.management import call_command
call_command("makemigrations", "appointment", verbosity=0)
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from appointment.models import (Appointment, AppointmentRequest, Service, StaffMember,
                                Unavailability, WorkingHours)
from appointment.services import get_available_slots_for_staff

shape = json.load(open(sys.argv[1]))
Appointment.objects.all().delete(); AppointmentRequest.objects.all().delete()
Unavailability.objects.all().delete(); WorkingHours.objects.all().delete()
StaffMember.objects.all().delete(); Service.objects.all().delete()
get_user_model().objects.all().delete()
service = Service.objects.create(name="Follow-up", duration=timedelta(minutes=30), price=55)
staff = []
for n in range(shape["staff"]):
    user = get_user_model().objects.create(username=f"staff{n}", email=f"s{n}@example.com")
    member = StaffMember.objects.create(user=user, slot_duration=30, work_on_saturday=True)
    member.services_offered.add(service)
    staff.append(member)
first = date.fromisoformat(shape["first_day"])
WorkingHours.objects.bulk_create(
    WorkingHours(staff_member=m, day_of_week=d, start_time=clock(8), end_time=clock(18))
    for m in staff for d in range(1, 7))
lunches = []
for offset in range(shape["span_days"]):
    day = first + timedelta(days=offset)
    if day.weekday() < 6:
        lunches += [Unavailability(staff_member=m, date=day, start_time=clock(12),
                                   end_time=clock(13)) for m in staff]
Unavailability.objects.bulk_create(lunches)
requests = AppointmentRequest.objects.bulk_create(
    AppointmentRequest(date=date.fromisoformat(d), start_time=clock.fromisoformat(s),
                       end_time=clock.fromisoformat(e), service=service, staff_member=staff[i])
    for i, d, s, e in shape["appointments"])
Appointment.objects.bulk_create(Appointment(appointment_request=r) for r in requests)
timings, found = [], 0
for run in range(shape["repeat"]):
    began = time.perf_counter()
    for member in staff:
        for offset in range(shape["days"]):
            day = first + timedelta(days=offset)
            weekday = (day.weekday() + 1) % 7  # the peer counts from Sunday
            found += len(get_available_slots_for_staff(day, member, weekday, service))
    timings.append((time.perf_counter() - began) * 1000)
print(json.dumps({"totals_ms": timings, "slots": found // shape["repeat"]}))
"""


def _peer_python(workdir: Path) -> Path:
    venv = workdir / "peer-venv"
    python = venv / "bin" / "python"
    probe = [
        str(python),
        "-c",
        "import psycopg, importlib.metadata as m; print(m.version('django-appointment'))",
    ]
    ok = (
        python.exists()
        and subprocess.run(probe, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
        == "3.12.0"
    )
    if not ok:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)  # noqa: S603
        packages = [PEER, "psycopg[binary]"]
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)  # noqa: S603
    return python


def _peer_database(workdir: Path, database: Mapping[str, Any] | None = None) -> str:
    """The peer's DATABASES entry, as Python source: a database named after ours,
    beside it on the same PostgreSQL server (created if missing), or SQLite in
    ``workdir`` when ours is not PostgreSQL."""
    ours: Mapping[str, Any] = database if database is not None else settings.DATABASES["default"]
    if ours["ENGINE"].endswith("postgresql"):
        from facetcare.bench.database import sibling_database

        return repr(sibling_database(ours, f"{ours['NAME']}_peer"))
    return repr({"ENGINE": "django.db.backends.sqlite3", "NAME": str(workdir / "peer.sqlite3")})


def shape_appointments(first_day: date) -> list[tuple[int, str, str, str]]:
    """5,000 distinct (staff, day, start, end) half-hour bookings in the next 30 days."""
    rng = random.Random(5)  # noqa: S311 (repeatable synthetic data)
    free = [
        (staff, first_day + timedelta(days=offset), hour * 60 + half * 30)
        for staff in range(STAFF)
        for offset in range(SPAN_DAYS)
        if (first_day + timedelta(days=offset)).weekday() < 6
        for hour in (8, 9, 10, 11, 13, 14, 15, 16, 17)
        for half in (0, 1)
    ]
    chosen = rng.sample(free, APPOINTMENTS)
    return [
        (
            s,
            d.isoformat(),
            f"{m // 60:02d}:{m % 60:02d}",
            f"{(m + 30) // 60:02d}:{(m + 30) % 60:02d}",
        )
        for s, d, m in sorted(chosen)
    ]


def run_peer(workdir: Path, first_day: date, *, repeat: int) -> dict[str, object]:
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    python = _peer_python(workdir)
    project = workdir / "peer-project"
    project.mkdir(exist_ok=True)
    (project / "peer_settings.py").write_text(PEER_SETTINGS % {"database": _peer_database(workdir)})
    (project / "peer_urls.py").write_text("urlpatterns = []\n")
    (project / "peer_migrations" / "appointment").mkdir(parents=True, exist_ok=True)
    (project / "peer_migrations" / "__init__.py").touch()
    (project / "peer_migrations" / "appointment" / "__init__.py").touch()
    (project / "peer_bench.py").write_text(PEER_SCRIPT)
    shape = {
        "staff": STAFF,
        "days": DAYS,
        "span_days": SPAN_DAYS,
        "repeat": repeat,
        "first_day": first_day.isoformat(),
        "appointments": shape_appointments(first_day),
    }
    (project / "shape.json").write_text(json.dumps(shape))
    out = subprocess.run(  # noqa: S603 (the peer's own interpreter)
        [str(python), "peer_bench.py", "shape.json"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    ).stdout
    found: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return found


@dataclass(frozen=True)
class OursTimings:
    clinic_wide: Timing
    per_staff: Timing
    per_staff_day: Timing


def run_ours(first_day: date, *, now: datetime, repeat: int) -> OursTimings:
    """FacetCare on the same shape: the clinic's whole staff in one call (its natural
    question), one call per staff member for the fortnight, and one per staff member
    per day (the peer's own granularity)."""
    # The peer lists 30-minute slots on the half hour; the same grid on our side
    # makes the two answers the same set of slots.
    service = bench_service(
        "bench-peer-follow-up", "Bench peer-shape follow-up", slot_step_minutes=30
    )
    # A previous run's peer-shape clinic goes first, so reruns on kept data start equal.
    Appointment.objects.filter(service=service).delete()
    Practitioner.objects.filter(clinics__slug__startswith="bench-peer").delete()
    Clinic.objects.filter(slug__startswith="bench-peer").delete()
    placed = build_directory(
        clinics=1, per_clinic=STAFF, service=service, prefix="peer", hours=list(HOURS)
    )
    patient = Patient.objects.filter(email__endswith="bench.example.com").values_list(
        "pk", flat=True
    )
    clinic = placed[0][1]
    zone = ZoneInfo(clinic.time_zone)
    rows = []
    for number, (s, d, start, _) in enumerate(shape_appointments(first_day)):
        practitioner, _, room = placed[s]
        begin = datetime.combine(
            date.fromisoformat(d), clock.fromisoformat(start), zone
        ).astimezone(UTC)
        end = begin + timedelta(minutes=30)
        rows.append(
            (
                patient[0],
                service.pk,
                clinic.pk,
                practitioner.pk,
                room.pk,
                begin,
                end,
                begin,
                end,
                f"peer:{number}",
                "booked",
                "online",
                55,
                0,
                "GBP",
                "",
                f"s{number}",
                now,
                "",
            )
        )
    load_appointments(iter(rows))
    staff = [p for p, _, _ in placed]
    return _time_ours(service, clinic, staff, first_day, now=now, repeat=repeat)


def _time_ours(
    service: Service,
    clinic: Clinic,
    staff: list[Practitioner],
    first_day: date,
    *,
    now: datetime,
    repeat: int,
) -> OursTimings:
    """Three ways of asking FacetCare the same question, each timed ``repeat`` times."""

    def ask(practitioner: Practitioner | None, day: date, days: int) -> list[Slot]:
        return get_availability(
            service=service,
            clinic=clinic,
            practitioner=practitioner,
            first_day=day,
            days=days,
            limit=100_000,
            now=now,
        )

    def clinic_wide() -> list[Slot]:
        return ask(None, first_day, DAYS)

    def per_staff() -> list[Slot]:
        return [slot for member in staff for slot in ask(member, first_day, DAYS)]

    def per_staff_day() -> list[Slot]:
        return [
            slot
            for member in staff
            for offset in range(DAYS)
            for slot in ask(member, first_day + timedelta(days=offset), 1)
        ]

    timings = {}
    for label, call in (
        ("FacetCare, one call for the clinic (all staff, 14 days)", clinic_wide),
        ("FacetCare, one call per staff member (14 days)", per_staff),
        ("FacetCare, one call per staff member per day", per_staff_day),
    ):
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            found = call()
            samples.append((time.perf_counter() - began) * 1000)
        on_half_hours = sum(1 for slot in found if slot.start.minute % 30 == 0)
        timings[label] = Timing(
            label, samples, extra={"slots": len(found), "on_half_hours": on_half_hours}
        )
    return OursTimings(*timings.values())
