"""The synthetic network the benchmark measures: clinics, staff, patients and a full diary.

Full scale is 50 clinics, 400 practitioners and 1,000,000 appointments; the
``scale`` factor shrinks clinics and appointments together. Beside the network
stands one more clinic with 12 practitioners (the diary's benchmark asks for
that many), offering a service of its own, so that no figure about the
network's service sees it; its diary is as full as the network's. Appointments fill
85 % of each practitioner's half-hour slots, newest days first, so the coming
fortnight is as busy as a real network's. On PostgreSQL the appointments are
loaded with COPY, with the exclusion constraints dropped for the load and put
back afterwards (which also proves the generated diary has no double booking).
"""

import importlib
import itertools
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection, transaction

from facetcare.booking.models import Appointment
from facetcare.clinics.models import (
    Clinic,
    OpeningHours,
    Practitioner,
    Room,
    Service,
    TimeOff,
    WorkingHours,
)
from facetcare.patients.models import Patient

PRACTITIONERS_PER_CLINIC = 8
DIARY_PRACTITIONERS = 12
ROOMS_PER_CLINIC = 10
FULL_APPOINTMENTS = 1_000_000
FULL_CLINICS = 50
UTILISATION = 0.85
SLOT = timedelta(minutes=30)
DAY_START, DAY_END = time(8), time(18)
FUTURE_DAYS = 21
PATIENT_DOMAIN = "bench.example.com"
DIARY_SERVICE = "bench-diary-visit"
DIARY_PREFIX = "d"


@dataclass(frozen=True)
class Network:
    service: Service
    clinics: list[Clinic]
    practitioners: list[tuple[Practitioner, Clinic, Room]]
    appointments: int
    patients: int
    # The 12-practitioner clinic beside the network, and how many bookings it holds.
    diary_clinic: Clinic | None = None
    diary_appointments: int = 0


def wipe_booking_data() -> None:
    """Remove every clinic, patient and appointment (the bench owns this database)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE booking_appointment, patients_patient, clinics_clinic, "
                "clinics_service, clinics_practitioner RESTART IDENTITY CASCADE"
            )
        return
    Appointment.objects.all().delete()
    Patient.objects.all().delete()
    Practitioner.objects.all().delete()
    Service.objects.all().delete()
    Clinic.objects.all().delete()


def bench_service(
    slug: str = "bench-follow-up", name: str = "Bench follow-up", *, slot_step_minutes: int = 15
) -> Service:
    service, _ = Service.objects.update_or_create(
        slug=slug,
        defaults={"slot_step_minutes": slot_step_minutes},
        create_defaults={
            "name": name,
            "category": Service.Category.TREATMENT,
            "duration_minutes": 30,
            "price": Decimal("55.00"),
            "required_profession": "physiotherapist",
            "required_equipment": ["couch"],
            "min_notice_minutes": 0,
            "max_advance_days": 90,
            "slot_step_minutes": slot_step_minutes,
        },
    )
    return service


def build_directory(
    *, clinics: int, per_clinic: int, service: Service, prefix: str, hours: list[tuple[time, time]]
) -> list[tuple[Practitioner, Clinic, Room]]:
    """Clinics open every day 07:00-21:00 and their practitioners' Mon-Sat patterns."""
    rng = random.Random(clinics)  # noqa: S311 (repeatable synthetic data)
    Clinic.objects.bulk_create(
        Clinic(
            name=f"Bench clinic {prefix}{n:03d}",
            slug=f"bench-{prefix}{n:03d}",
            address=f"{n} Example Street",
            latitude=Decimal(f"{50 + rng.random() * 5:.5f}"),
            longitude=Decimal(f"{-4 + rng.random() * 4:.5f}"),
            phone="+442079460000",
            email=f"clinic{n}@{PATIENT_DOMAIN}",
            # One clinic in five is Californian, so time-zone handling is in the path.
            time_zone="America/Los_Angeles" if n % 5 == 4 else "Europe/London",
        )
        for n in range(clinics)
    )
    made = list(Clinic.objects.filter(slug__startswith=f"bench-{prefix}").order_by("pk"))
    OpeningHours.objects.bulk_create(
        OpeningHours(clinic=c, weekday=d, opens=time(7), closes=time(21))
        for c in made
        for d in range(7)
    )
    Room.objects.bulk_create(
        Room(clinic=c, name=f"Room {r}", equipment=["couch"])
        for c in made
        for r in range(max(ROOMS_PER_CLINIC, per_clinic + 2))
    )
    rooms = {c.pk: list(c.rooms.order_by("pk")) for c in made}
    staff = Practitioner.objects.bulk_create(
        Practitioner(first_name=f"P{c.pk}-{i}", last_name="Bench", profession="physiotherapist")
        for c in made
        for i in range(per_clinic)
    )
    placed = [
        (p, made[k // per_clinic], rooms[made[k // per_clinic].pk][k % per_clinic])
        for k, p in enumerate(staff)
    ]
    Practitioner.clinics.through.objects.bulk_create(
        Practitioner.clinics.through(practitioner_id=p.pk, clinic_id=c.pk) for p, c, _ in placed
    )
    Practitioner.services.through.objects.bulk_create(
        Practitioner.services.through(practitioner_id=p.pk, service_id=service.pk)
        for p, _, _ in placed
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(
            practitioner=p, clinic=c, weekday=d, starts=s, ends=e, valid_from=date(2024, 1, 1)
        )
        for p, c, _ in placed
        for d in range(6)
        for s, e in hours
    )
    return placed


def build_network(*, scale: float, today: date) -> Network:
    """Wipe and build the scaled network and the diary clinic; returns what was made."""
    wipe_booking_data()
    with transaction.atomic():
        service = bench_service()
        clinics = max(2, round(FULL_CLINICS * scale))
        placed = build_directory(
            clinics=clinics,
            per_clinic=PRACTITIONERS_PER_CLINIC,
            service=service,
            prefix="n",
            hours=[(DAY_START, DAY_END)],
        )
        patients = make_patients(max(200, round(20_000 * scale)))
        time_off_rows(placed, today)
        visit = bench_service(DIARY_SERVICE, "Bench diary visit")
        diary = build_directory(
            clinics=1,
            per_clinic=DIARY_PRACTITIONERS,
            service=visit,
            prefix=DIARY_PREFIX,
            hours=[(DAY_START, DAY_END)],
        )
    target = max(1000, round(FULL_APPOINTMENTS * scale))
    # As many a practitioner as the network has, so the diary is as full.
    diary_target = round(target * DIARY_PRACTITIONERS / (clinics * PRACTITIONERS_PER_CLINIC))
    rows = diary_rows(placed=placed, service=service, patients=patients, today=today, target=target)
    diary_clinic_rows = diary_rows(
        placed=diary, service=visit, patients=patients, today=today, target=diary_target,
        key_prefix="bench:d",
    )  # fmt: skip
    load_appointments(itertools.chain(rows, diary_clinic_rows))
    settle()
    return Network(
        service=service,
        clinics=sorted({c for _, c, _ in placed}, key=lambda c: c.pk),
        practitioners=placed,
        appointments=target,
        patients=len(patients),
        diary_clinic=diary[0][1],
        diary_appointments=diary_target,
    )


def existing_network() -> Network | None:
    """The network a previous run left in this database, if any (for ``--reuse-data``)."""
    service = Service.objects.filter(slug="bench-follow-up").first()
    clinics = list(Clinic.objects.filter(slug__startswith="bench-n").order_by("pk"))
    if service is None or not clinics:
        return None
    placed = []
    for clinic in clinics:
        rooms = list(clinic.rooms.order_by("pk"))
        staff = clinic.practitioners.order_by("pk")
        placed += [(p, clinic, rooms[k % len(rooms)]) for k, p in enumerate(staff)]
    diary = Clinic.objects.filter(slug=f"bench-{DIARY_PREFIX}000").first()
    return Network(
        service=service,
        clinics=clinics,
        practitioners=placed,
        appointments=Appointment.objects.filter(service=service).count(),
        patients=Patient.objects.filter(email__endswith=PATIENT_DOMAIN).count(),
        diary_clinic=diary,
        diary_appointments=Appointment.objects.filter(clinic=diary).count() if diary else 0,
    )


def forget_earlier_load(network: Network) -> int:
    """Delete the bookings and patients earlier HTTP runs made on a kept network.

    Each run books thousands of the coming fortnight's free slots; kept, they
    would fill the diary run after run until no slot is left, and every run
    would measure a different network. The generated diary is kept (its
    session keys start ``bench:``). Returns how many bookings went.
    """
    made = Appointment.objects.filter(service=network.service).exclude(
        session_key__startswith="bench:"
    )
    removed, _ = made.delete()
    Patient.objects.filter(email__startswith="load", email__endswith=f"@{PATIENT_DOMAIN}").delete()
    settle()  # vacuums away the deleted rows, among other things
    return removed


_INSUFFICIENT_PRIVILEGE = "42501"


def settle() -> None:
    """Bring a freshly written data set to the state a running database keeps it in,
    so the measurements that follow do not pay for the load (PostgreSQL only).

    VACUUM (ANALYZE) clears dead rows, sets the hint bits and the visibility map
    that autovacuum would set (it may be off: the CI machines turn it off) and
    refreshes the statistics. CHECKPOINT writes out the pages the load dirtied
    now: otherwise the checkpoint the load's WAL started spreads that writing
    over the next minutes, across the timed runs, and every commit's flush waits
    behind it. CHECKPOINT needs a superuser or the pg_checkpoint role; without
    either the runs go on, only less settled.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) booking_appointment, patients_patient")
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError as error:
            if getattr(error.__cause__, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
                raise


def make_patients(count: int) -> list[int]:
    Patient.objects.bulk_create(
        (
            Patient(
                first_name=f"Patient{n}",
                last_name="Bench",
                date_of_birth=date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
                email=f"patient{n}@{PATIENT_DOMAIN}",
                phone=f"+4420794600{n % 100:02d}",
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    return list(Patient.objects.filter(email__endswith=PATIENT_DOMAIN).values_list("pk", flat=True))


AppointmentRow = tuple[object, ...]
COLUMNS = (
    "patient_id", "service_id", "clinic_id", "practitioner_id", "room_id", "start", '"end"',
    "occupied_start", "occupied_end", "session_key", "status", "channel", "price", "discount",
    "currency", "request_fingerprint", "manage_secret", "created_at", "cancellation_reason",
)  # fmt: skip


def diary_rows(
    *,
    placed: list[tuple[Practitioner, Clinic, Room]],
    service: Service,
    patients: list[int],
    today: date,
    target: int,
    utilisation: float = UTILISATION,
    future_days: int = FUTURE_DAYS,
    hours: tuple[tuple[time, time], ...] = ((DAY_START, DAY_END),),
    key_prefix: str = "bench:",
) -> Iterator[AppointmentRow]:
    """Up to ``target`` appointment rows, from the last future day backwards; their
    session keys start with ``key_prefix`` (which must start ``bench:``)."""
    rng = random.Random(target)  # noqa: S311 (repeatable synthetic data)
    made = 0
    created = datetime.now(UTC)
    day = today + timedelta(days=future_days - 1)
    while made < target:
        if day.weekday() < 6:
            for practitioner, clinic, room in placed:
                zone = ZoneInfo(clinic.time_zone)
                for opens, closes in hours:
                    start = datetime.combine(day, opens, zone).astimezone(UTC)
                    end = datetime.combine(day, closes, zone).astimezone(UTC)
                    for k in range(int((end - start) / SLOT)):
                        if made >= target:
                            return
                        if rng.random() >= utilisation:
                            continue
                        begin = start + k * SLOT
                        status = (
                            "booked" if day >= today else ("completed" if made % 10 else "no_show")
                        )
                        yield (
                            rng.choice(patients), service.pk, clinic.pk, practitioner.pk, room.pk,
                            begin, begin + SLOT, begin, begin + SLOT, f"{key_prefix}{made}", status,
                            "online", Decimal("55.00"), Decimal("0"), "GBP", "",
                            secrets.token_urlsafe(24), created, "",
                        )  # fmt: skip
                        made += 1
        day -= timedelta(days=1)


def load_appointments(rows: Iterator[AppointmentRow]) -> None:
    if connection.vendor != "postgresql":
        Appointment.objects.bulk_create(
            (
                Appointment(**dict(zip([c.strip('"') for c in COLUMNS], row, strict=True)))
                for row in rows
            ),
            batch_size=2000,
        )
        return
    constraints = importlib.import_module(
        "facetcare.booking.migrations.0002_postgres_exclusion_constraints"
    )
    with transaction.atomic():
        with connection.schema_editor(atomic=False) as editor:
            constraints.drop_constraints(None, editor)
        raw = connection.connection
        assert raw is not None
        with raw.cursor() as cursor:
            copy_sql = f"COPY booking_appointment ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        # The deferred foreign-key checks must run before the table can be altered.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with connection.schema_editor(atomic=False) as editor:
            constraints.create_constraints(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def time_off_rows(placed: list[tuple[Practitioner, Clinic, Room]], today: date) -> None:
    """A day of leave for one practitioner in eight, so time off is on the read path."""
    TimeOff.objects.bulk_create(
        TimeOff(
            practitioner=p,
            start=datetime.combine(
                today + timedelta(days=3 + k % 10), time(0), ZoneInfo(c.time_zone)
            ),
            end=datetime.combine(
                today + timedelta(days=4 + k % 10), time(0), ZoneInfo(c.time_zone)
            ),
            reason="Leave",
        )
        for k, (p, c, _) in enumerate(placed)
        if k % 8 == 0
    )
