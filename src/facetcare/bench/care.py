"""Targets h to j: planning a programme, the portal's Today page and the clinic's outcomes.

The data set: at full scale 100,000 patients (the network's own first, then new
ones), each with one episode, a procedure for seven in ten (a facet injection or
block) or conservative care for the rest, a rehabilitation programme planned by
the core planner, a follow-up schedule with its due measures as the outcomes app
makes them, PSFS answers where those were due, two weeks of exercise ticks, a
portal account, and two years of daily pain scores: 73 million rows.

Everything is written by PostgreSQL itself (``INSERT ... SELECT`` over
``generate_series`` and small tables of planned programmes), never row by row
through the ORM. The pain-score table's secondary indexes and foreign keys are
dropped for its load and put back afterwards (the keys validated), as a bulk
load into a live table is done; then the new tables are vacuumed and analysed.
"""

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.db.models import JSONField, Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from psycopg.types.json import Jsonb

from facetcare.bench.dataset import PATIENT_DOMAIN, Network
from facetcare.bench.measure import Timing, profile_text, time_calls
from facetcare.core.outcomes import Pathway as SchedulePathway
from facetcare.core.outcomes import plan_measures
from facetcare.core.rehab import Pathway
from facetcare.core.rehab.exercises import shipped_library
from facetcare.core.rehab.planner import plan_programme
from facetcare.core.rehab.templates import all_templates
from facetcare.core.rehab.timing import planning_calls
from facetcare.patients.models import Patient
from facetcare.web.roles import Role

FULL_PATIENTS = 100_000
SCORE_DAYS = 730
LOG_DAYS = 14
# The targets.
PLAN_P95_MS = 5
TODAY_P95_MS = 40
CLINIC_OUTCOMES_MS = 300
CLINICIAN = "bench-clinician"
PORTAL_PREFIX = "bench-portal-"
# The goals and cautions the planned programmes are made from (a few combinations per
# region and pathway; patients take them in turn).
GOAL_SETS = (
    ("Turn my head to reverse the car", "Work a full day at the screen"),
    ("Sit through a meeting",),
    ("Play golf again", "Sleep through the night"),
    ("Lift my grandson", "Walk the dog for half an hour"),
    ("Hang out the washing", "Tie my shoelaces"),
)
CAUTION_SETS = ((), ("osteoporosis",), ("shoulder_injury", "balance_problems"))
# Days since the procedure (or the start of conservative care): spread over 200 days.
ANCHOR_SPREAD = 200


@dataclass
class CareData:
    """What was built, how long each step took, and who signs in for the pages."""

    patients: int
    score_rows: int
    rows: dict[str, int]
    steps: dict[str, float]
    build_seconds: float
    portal_users: list[int] = field(default_factory=list)


def patients_for(scale: float) -> int:
    return max(200, round(FULL_PATIENTS * scale))


def build_care(network: Network, *, scale: float, today: date) -> CareData:
    """Wipe the care data a previous run left and build it at ``scale`` (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The care data set is built by PostgreSQL itself; SQLite cannot.")
    count = patients_for(scale)
    steps: dict[str, float] = {}
    began = time.perf_counter()
    clinician = bench_clinician()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '256MB'")
        with _step(steps, "wipe and patients"):
            _wipe(cursor)
            _patients(cursor, count)
            _care_table(cursor, count, network, today)
        with _step(steps, "episodes, procedures, portal accounts"):
            _episodes(cursor, clinician.pk, today)
            _accounts(cursor)
        with _step(steps, "programmes, phases, exercises, logs"):
            _programmes(cursor, clinician.pk, today)
        with _step(steps, "schedules, due measures, PSFS answers"):
            _schedules(cursor, today)
        # One transaction: a failed load leaves the table's indexes and keys as they were.
        with transaction.atomic():
            with _step(steps, f"pain scores ({SCORE_DAYS} days each)"):
                score_rows = _pain_scores(cursor, today)
            with _step(steps, "pain-score indexes and keys"):
                _restore_indexes(cursor)
        with _step(steps, "vacuum and analyse"):
            _settle(cursor)
        rows = _counts(cursor)
        cursor.execute(
            "SELECT user_id FROM portal_portalaccount a JOIN bench_care c USING (patient_id)"
            " WHERE NOT c.discharged ORDER BY c.n"
        )
        users = [row[0] for row in cursor.fetchall()]
        cursor.execute("SET synchronous_commit = on")
    return CareData(
        patients=count,
        score_rows=score_rows,
        rows=rows,
        steps=steps,
        build_seconds=time.perf_counter() - began,
        portal_users=users,
    )


@contextmanager
def _step(steps: dict[str, float], name: str) -> Iterator[None]:
    began = time.perf_counter()
    yield
    steps[name] = time.perf_counter() - began
    print(f"[bench care] {name}: {steps[name]:.1f} s", flush=True)


def bench_clinician() -> User:
    """The bench's physiotherapist, who reads the clinic's outcomes."""
    user, _ = User.objects.get_or_create(username=CLINICIAN)
    group, _ = Group.objects.get_or_create(name=Role.PHYSIOTHERAPIST.value)
    user.groups.add(group)
    return user


CARE_TABLES = (
    "rehab_exerciselog", "rehab_programmeexercise", "rehab_programmephase", "rehab_programme",
    "outcomes_duemeasure", "outcomes_measureschedule", "outcomes_questionnaireresponse",
    "outcomes_derivedresponse", "outcomes_painscore", "pathway_procedurerecord",
    "portal_portalaccount",
)  # fmt: skip


def _wipe(cursor: Any) -> None:
    # The bench owns this database: every row of these tables is an earlier run's.
    cursor.execute(f"TRUNCATE {', '.join(CARE_TABLES)} RESTART IDENTITY CASCADE")
    cursor.execute("DELETE FROM pathway_episode")
    cursor.execute(
        "DELETE FROM patients_patient p WHERE p.email LIKE %s"
        " AND NOT EXISTS (SELECT 1 FROM booking_appointment a WHERE a.patient_id = p.id)",
        [f"care%@{PATIENT_DOMAIN}"],
    )


def _defaults(model: type[Model], given: set[str]) -> dict[str, object]:
    """Each column of ``model`` not in ``given`` (nor the key) with its field's default."""
    found: dict[str, object] = {}
    for column_field in model._meta.concrete_fields:
        if column_field.primary_key or column_field.column in given or not column_field.column:
            continue
        value = None if column_field.null else column_field.get_default()
        found[column_field.column] = Jsonb(value) if isinstance(column_field, JSONField) else value
    return found


def _patients(cursor: Any, count: int) -> None:
    """New patients where the network has fewer than ``count``."""
    cursor.execute("SELECT count(*) FROM patients_patient WHERE email LIKE %s", [_ours()])
    missing = count - cursor.fetchone()[0]
    if missing <= 0:
        return
    given = ["first_name", "last_name", "date_of_birth", "email", "phone", "created_at"]
    rest = _defaults(Patient, set(given))
    cursor.execute(
        f"INSERT INTO patients_patient ({', '.join([*given, *rest])})"  # noqa: S608 (our columns)
        " SELECT 'Care' || g, 'Bench', date '1945-01-01' + (g * 37 %% 20000),"
        f" 'care' || g || '@{PATIENT_DOMAIN}', '+4420794600' || lpad((g %% 100)::text, 2, '0'),"
        f" now(), {', '.join(['%s'] * len(rest))}"
        " FROM generate_series(1, %s::int) g",
        [*rest.values(), missing],
    )


def _ours() -> str:
    return f"%@{PATIENT_DOMAIN}"


def _care_table(cursor: Any, count: int, network: Network, today: date) -> None:
    """``bench_care``: one row per patient with what the data set gives them."""
    clinics = [(c.pk, c.time_zone) for c in network.clinics]
    cursor.execute("DROP TABLE IF EXISTS bench_care, bench_clinic")
    cursor.execute("CREATE TEMP TABLE bench_clinic (k int, clinic_id bigint, tz text)")
    cursor.executemany(
        "INSERT INTO bench_clinic VALUES (%s, %s, %s)",
        [(k, pk, zone) for k, (pk, zone) in enumerate(clinics)],
    )
    regions = ["cervical", "thoracic", "lumbar"]
    combos = len(GOAL_SETS) * len(CAUTION_SETS)
    cursor.execute(
        "CREATE TEMP TABLE bench_care AS"
        " SELECT p.n, p.patient_id, (%s::text[])[p.n %% 3 + 1] AS region,"
        " p.n %% 10 < 7 AS injected, p.n %% 10 = 9 AS discharged,"
        " %s::date - (p.n * 7 %% %s)::int AS anchor, bc.clinic_id, bc.tz,"
        # variant: (region, pathway) then the goal and caution combination
        " ((p.n %% 3) * 2 + CASE WHEN p.n %% 10 < 7 THEN 0 ELSE 1 END) * %s"
        "   + (p.n / 3) %% %s AS variant,"
        " NULL::bigint AS episode_id, NULL::bigint AS procedure_id,"
        " NULL::bigint AS programme_id, NULL::bigint AS schedule_id"
        " FROM (SELECT row_number() OVER (ORDER BY id) AS n, id AS patient_id"
        "   FROM patients_patient WHERE email LIKE %s AND email NOT LIKE 'load%%'"
        "   ORDER BY id LIMIT %s) p"
        " JOIN bench_clinic bc ON bc.k = p.n %% %s",
        [regions, today, ANCHOR_SPREAD, combos, combos, _ours(), count, len(clinics)],
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_care (patient_id)")
    cursor.execute("ANALYZE bench_care")


def _episodes(cursor: Any, clinician: int, today: date) -> None:
    opened = today - timedelta(days=SCORE_DAYS + 10)
    cursor.execute(
        "INSERT INTO pathway_episode (region, side, onset_date, referral_source, referral_note,"
        " policy_pack_id, policy_pack_version, state, state_changed_at, state_reason, opened_at,"
        " opened_by_id, patient_id, procedure_plan)"
        " SELECT region, 'bilateral', %s::date - 30, 'gp', '', 'bench', '1',"
        " CASE WHEN discharged THEN 'discharged' WHEN injected THEN 'post_procedure_rehab'"
        " ELSE 'conservative_care' END, now(), '', %s::date + time '10:00', %s, patient_id, '[]'"
        " FROM bench_care ORDER BY n",
        [opened, opened, clinician],
    )
    cursor.execute(
        "UPDATE bench_care c SET episode_id = e.id FROM pathway_episode e"
        " WHERE e.patient_id = c.patient_id"
    )
    # A facet injection or block, for seven episodes in ten (some since discharged).
    cursor.execute(
        "INSERT INTO pathway_procedurerecord (performed_elsewhere, performed_on, type, region,"
        " levels, side, guidance, sedation, injectate, steroid_mg_mpde, consent_obtained,"
        " risks_discussed, started_at, complications, pre_pain_nrs, same_day_discharge,"
        " aftercare, recorded_at, episode_id, recorded_by_id)"
        # Done at the bench's hospital: no appointment in the network's diary.
        " SELECT 'Bench hospital', anchor,"
        " CASE WHEN n %% 2 = 0 THEN 'ia_therapeutic' ELSE 'mbb_therapeutic' END, region,"
        " jsonb_build_array(CASE region WHEN 'cervical' THEN 'C5-C6' WHEN 'thoracic' THEN 'T5-T6'"
        " ELSE 'L4-L5' END), 'bilateral', 'fluoroscopy', 'none', '[]', 40, true, '[]',"
        " (anchor + time '10:00') AT TIME ZONE tz, '', 7, true, '',"
        " (anchor + time '11:00') AT TIME ZONE tz, episode_id, %s"
        " FROM bench_care WHERE injected ORDER BY n",
        [clinician],
    )
    cursor.execute(
        "UPDATE bench_care c SET procedure_id = r.id FROM pathway_procedurerecord r"
        " WHERE r.episode_id = c.episode_id"
    )


def _accounts(cursor: Any) -> None:
    """A portal user and account for every patient (users outlive a wipe: reused)."""
    cursor.execute(
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,"
        " is_staff, is_active, date_joined)"
        " SELECT '!', false, %s || n, '', '', '', false, true, now() FROM bench_care"
        " ON CONFLICT (username) DO NOTHING",
        [PORTAL_PREFIX],
    )
    cursor.execute(
        "INSERT INTO portal_portalaccount (created_at, patient_id, user_id)"
        " SELECT now(), c.patient_id, u.id FROM bench_care c"
        " JOIN auth_user u ON u.username = %s || c.n",
        [PORTAL_PREFIX],
    )


def _variants() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The planned programmes patients take in turn: (variant, ...) rows of programmes,
    phases (days from the start) and prescribed exercises, from the core planner."""
    library = shipped_library()
    start = date(2027, 1, 4)
    programmes, phases, exercises = [], [], []
    by_key = {(t.region.value, t.pathway): t for t in all_templates()}
    variant = 0
    for region in ("cervical", "thoracic", "lumbar"):
        for pathway in (Pathway.POST_INJECTION, Pathway.CONSERVATIVE):
            for goals in GOAL_SETS:
                for cautions in CAUTION_SETS:
                    planned = plan_programme(
                        by_key[(region, pathway)],
                        goals=goals,
                        cautions=cautions,
                        start=start,
                        library=library,
                    )
                    programmes.append((
                        variant, pathway.value,
                        Jsonb([{"text": g.text, "tags": sorted(g.tags)} for g in planned.goals]),
                        Jsonb(sorted(planned.cautions)),
                        Jsonb([{"phase": s.phase, "aim": s.aim.value, "message": s.message}
                               for s in planned.shortfalls]),
                    ))  # fmt: skip
                    for phase in planned.phases:
                        t = phase.template
                        phases.append((
                            variant, t.number, t.title, t.weeks_label,
                            (phase.planned_start - start).days, (phase.planned_end - start).days,
                            t.goals, Jsonb(list(t.interventions)), Jsonb([a.value for a in t.aims]),
                        ))  # fmt: skip
                        for order, p in enumerate(phase.exercises, start=1):
                            d = p.dosage
                            exercises.append((
                                variant, t.number, p.exercise.slug, order, Jsonb(list(p.goals)),
                                d.sets, d.reps, d.hold_seconds, d.minutes, d.per_day, d.per_week,
                            ))  # fmt: skip
                    variant += 1
    return programmes, phases, exercises


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _programmes(cursor: Any, clinician: int, today: date) -> None:
    programmes, phases, exercises = _variants()
    cursor.execute("DROP TABLE IF EXISTS bench_variant, bench_variant_phase, bench_variant_ex")
    cursor.execute(
        "CREATE TEMP TABLE bench_variant (variant int, pathway text, goals jsonb,"
        " cautions jsonb, shortfalls jsonb)"
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_variant_phase (variant int, number int, title text,"
        " weeks_label text, start_day int, end_day int, goals text, interventions jsonb,"
        " aims jsonb)"
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_variant_ex (variant int, number int, slug text, ord int,"
        " goals jsonb, sets int, reps int, hold_seconds int, minutes int, per_day int,"
        " per_week int)"
    )
    cursor.executemany("INSERT INTO bench_variant VALUES (%s, %s, %s, %s, %s)", programmes)
    cursor.executemany(f"INSERT INTO bench_variant_phase VALUES ({_marks(9)})", phases)  # noqa: S608
    cursor.executemany(f"INSERT INTO bench_variant_ex VALUES ({_marks(11)})", exercises)  # noqa: S608
    # The phase in force: the latest whose planned start has come (reviews on time).
    cursor.execute(
        "INSERT INTO rehab_programme (region, pathway, started_on, current_phase, goals,"
        " cautions, shortfalls, status, created_at, clinic_id, created_by_id, episode_id,"
        " patient_id, procedure_id)"
        " SELECT c.region, v.pathway, c.anchor, (SELECT max(number) FROM bench_variant_phase p"
        "   WHERE p.variant = c.variant AND c.anchor + p.start_day <= %s),"
        " v.goals, v.cautions, v.shortfalls,"
        " CASE WHEN c.discharged THEN 'completed' ELSE 'active' END,"
        " (c.anchor + time '12:00') AT TIME ZONE c.tz, c.clinic_id, %s, c.episode_id,"
        " c.patient_id, c.procedure_id"
        " FROM bench_care c JOIN bench_variant v USING (variant) ORDER BY c.n",
        [today, clinician],
    )
    cursor.execute(
        "UPDATE bench_care c SET programme_id = r.id FROM rehab_programme r"
        " WHERE r.episode_id = c.episode_id"
    )
    cursor.execute(
        "INSERT INTO rehab_programmephase (number, title, weeks_label, planned_start,"
        " planned_end, actual_start, goals, interventions, aims, review_note, programme_id)"
        " SELECT p.number, p.title, p.weeks_label, c.anchor + p.start_day, c.anchor + p.end_day,"
        " CASE WHEN c.anchor + p.start_day <= %s THEN c.anchor + p.start_day END,"
        " p.goals, p.interventions, p.aims, '', c.programme_id"
        " FROM bench_care c JOIN bench_variant_phase p USING (variant)"
        " ORDER BY c.n, p.number",
        [today],
    )
    cursor.execute(
        "INSERT INTO rehab_programmeexercise (sets, reps, hold_seconds, minutes, per_day,"
        ' per_week, exercise_slug, "order", clinician_note, goals, added_at, removed_reason,'
        " added_by_id, phase_id)"
        " SELECT x.sets, x.reps, x.hold_seconds, x.minutes, x.per_day, x.per_week, x.slug,"
        " x.ord, '', x.goals, (c.anchor + time '12:00') AT TIME ZONE c.tz, '', %s, ph.id"
        " FROM bench_care c JOIN rehab_programmephase ph ON ph.programme_id = c.programme_id"
        " JOIN bench_variant_ex x ON x.variant = c.variant AND x.number = ph.number"
        " ORDER BY c.n, ph.number, x.ord",
        [clinician],
    )
    # Ticks for the last two weeks, two days in three, of the phase in force.
    cursor.execute(
        "INSERT INTO rehab_exerciselog (day, sets_done, note, recorded_at, programme_exercise_id,"
        " recorded_by_id)"
        " SELECT d.day, x.sets, '', (d.day + time '19:00') AT TIME ZONE c.tz, x.id, a.user_id"
        " FROM bench_care c JOIN rehab_programme r ON r.id = c.programme_id"
        " JOIN rehab_programmephase ph ON ph.programme_id = r.id AND ph.number = r.current_phase"
        " JOIN rehab_programmeexercise x ON x.phase_id = ph.id"
        " JOIN portal_portalaccount a ON a.patient_id = c.patient_id"
        " CROSS JOIN LATERAL (SELECT %s::date - k AS day FROM generate_series(1, %s::int) k) d"
        " WHERE NOT c.discharged AND d.day >= ph.actual_start"
        " AND (c.n + x.id + (d.day - %s::date)) %% 3 <> 0"
        " ORDER BY d.day, c.n",
        [today, LOG_DAYS, today],
    )


def _due_plan() -> list[tuple[str, str, str, int, int, str]]:
    """Each pathway's measures as days after the anchor (a reference anchor: the
    six-month follow-up moves a day or two with the month's length)."""
    anchor = datetime(2027, 1, 4, 10, tzinfo=UTC)
    rows = []
    for pathway in SchedulePathway:
        for item in plan_measures(anchor, UTC, pathway=pathway):
            remind = "18:00" if item.measure.value == "NRS-11" else "09:00"
            rows.append((
                pathway.value, item.measure.value, item.label,
                (item.due_on - anchor.date()).days, (item.closes_on - anchor.date()).days, remind,
            ))  # fmt: skip
    return rows


def _schedules(cursor: Any, today: date) -> None:
    cursor.execute("DROP TABLE IF EXISTS bench_due_plan")
    cursor.execute(
        "CREATE TEMP TABLE bench_due_plan (pathway text, measure text, label text,"
        " due_day int, close_day int, remind time)"
    )
    cursor.executemany("INSERT INTO bench_due_plan VALUES (%s, %s, %s, %s, %s, %s)", _due_plan())
    cursor.execute(
        "INSERT INTO outcomes_measureschedule (pathway, anchor_at, anchor_date, time_zone,"
        " created_at, episode_id, patient_id, procedure_id)"
        " SELECT CASE WHEN injected THEN 'post_procedure' ELSE 'conservative' END,"
        " (anchor + time '10:00') AT TIME ZONE tz, anchor, tz,"
        " (anchor + time '11:00') AT TIME ZONE tz, episode_id, patient_id, procedure_id"
        " FROM bench_care ORDER BY n"
    )
    cursor.execute(
        "UPDATE bench_care c SET schedule_id = s.id FROM outcomes_measureschedule s"
        " WHERE s.episode_id = c.episode_id"
    )
    # Answered when due, except the disability questionnaire (no licensed one is loaded).
    cursor.execute(
        "INSERT INTO outcomes_duemeasure (measure, label, due_on, closes_on, remind_at,"
        " reminded_at, completed_at, patient_id, schedule_id)"
        " SELECT p.measure, p.label, c.anchor + p.due_day, c.anchor + p.close_day,"
        " (c.anchor + p.due_day + p.remind) AT TIME ZONE c.tz,"
        " CASE WHEN c.anchor + p.due_day < %s THEN"
        "   (c.anchor + p.due_day + p.remind) AT TIME ZONE c.tz END,"
        " CASE WHEN c.anchor + p.due_day < %s AND p.measure <> 'disability' THEN"
        "   (c.anchor + p.due_day + time '19:00') AT TIME ZONE c.tz END,"
        " c.patient_id, c.schedule_id"
        " FROM bench_care c JOIN bench_due_plan p"
        "   ON p.pathway = CASE WHEN c.injected THEN 'post_procedure' ELSE 'conservative' END"
        " ORDER BY c.anchor + p.due_day, c.n",
        [today, today],
    )
    # PSFS answers for those answered: each goal scored, better at each follow-up.
    cursor.execute(
        "INSERT INTO outcomes_questionnaireresponse (answered_at, answers, total, source,"
        " entered_at, episode_id, instrument_id, patient_id)"
        " SELECT d.completed_at, jsonb_build_array(jsonb_build_object('linkId', 'goal-1',"
        "   'text', v.goals -> 0 ->> 'text', 'value', s.score)), s.score, 'patient',"
        " d.completed_at, c.episode_id, i.id, c.patient_id"
        " FROM outcomes_duemeasure d JOIN bench_care c USING (schedule_id)"
        " JOIN bench_variant v USING (variant)"
        " JOIN outcomes_instrument i ON i.code = 'PSFS'"
        " CROSS JOIN LATERAL (SELECT least(10, 3 + (d.due_on - c.anchor) / 30 + c.n % 2)"
        "   AS score) s"
        " WHERE d.measure = 'PSFS' AND d.completed_at IS NOT NULL AND v.goals <> '[]'"
        " ORDER BY d.completed_at"
    )


# The pain-score table's indexes and foreign keys, dropped for the load.
def _pain_score_extras(cursor: Any) -> tuple[list[str], list[tuple[str, str]]]:
    cursor.execute(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'outcomes_painscore'"
        " AND indexname NOT LIKE '%pkey'"
    )
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = 'outcomes_painscore'::regclass AND contype = 'f'"
    )
    return indexes, list(cursor.fetchall())


_SAVED: dict[str, Any] = {}


def _pain_scores(cursor: Any, today: date) -> int:
    """Two years of daily scores for every patient, day by day across patients.

    Before the anchor a steady score (5 to 8, give or take one); after an
    injection it falls over the first days and holds; in conservative care it
    eases slowly."""
    indexes, keys = _pain_score_extras(cursor)
    _SAVED["indexes"], _SAVED["keys"] = indexes, keys
    for name, _ in keys:
        cursor.execute(f'ALTER TABLE outcomes_painscore DROP CONSTRAINT "{name}"')
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'outcomes_painscore'"
        " AND indexname NOT LIKE '%pkey'"
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
    first = today - timedelta(days=SCORE_DAYS)
    block = 73
    for start in range(0, SCORE_DAYS, block):
        cursor.execute(
            "INSERT INTO outcomes_painscore (region, recorded_at, value, scale, loinc, source,"
            " entered_at, note, episode_id, patient_id)"
            " SELECT c.region, t.at, greatest(0, least(10, 5 + c.n %% 4"
            "   + ((c.n * 31 + d.k * 17) %% 3) - 1"
            "   - CASE WHEN d.day < c.anchor THEN 0"
            "     WHEN c.injected THEN least(3 + c.n %% 3, (d.day - c.anchor) / 2)"
            "     ELSE least(2, (d.day - c.anchor) / 30) END)),"
            " 'NRS-11', '72514-3', 'patient', t.at, '', c.episode_id, c.patient_id"
            " FROM (SELECT k, %s::date + k AS day FROM generate_series(%s::int, %s::int) k) d"
            " CROSS JOIN bench_care c"
            " CROSS JOIN LATERAL (SELECT (d.day + time '19:00'"
            "   + (c.n * 13 %% 180) * interval '1 minute') AT TIME ZONE c.tz AS at) t",
            [first, start, min(SCORE_DAYS, start + block) - 1],
        )
    cursor.execute("SELECT count(*) FROM outcomes_painscore")
    return int(cursor.fetchone()[0])


def _restore_indexes(cursor: Any) -> None:
    for definition in _SAVED.get("indexes", []):
        cursor.execute(definition)
    for name, definition in _SAVED.get("keys", []):
        cursor.execute(f'ALTER TABLE outcomes_painscore ADD CONSTRAINT "{name}" {definition}')


SETTLED = (
    "patients_patient", "pathway_episode", "pathway_procedurerecord", "auth_user",
    "portal_portalaccount", "rehab_programme", "rehab_programmephase",
    "rehab_programmeexercise", "rehab_exerciselog", "outcomes_measureschedule",
    "outcomes_duemeasure", "outcomes_questionnaireresponse", "outcomes_painscore",
)  # fmt: skip


def _settle(cursor: Any) -> None:
    cursor.execute(f"VACUUM (ANALYZE) {', '.join(SETTLED)}")


def _counts(cursor: Any) -> dict[str, int]:
    found = {}
    for table in SETTLED[1:]:
        cursor.execute(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{table}'")  # noqa: S608
        found[table] = int(cursor.fetchone()[0])
    return found


# --- Measuring ---


def time_planning(runs: int) -> Timing:
    """Target h: plan one personalised programme in the pure core."""
    return time_calls("plan one personalised programme", list(planning_calls(max(runs, 100))))


def _client(user_id: int, *, second_factor: bool = False) -> Client:
    """A client signed in as the user; with ``second_factor``, as after giving a code
    from their authenticator app (clinicians must have one)."""
    client = Client()
    user = User.objects.get(pk=user_id)
    client.force_login(user)
    if second_factor:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _clinician_client() -> Client:
    return _client(bench_clinician().pk, second_factor=True)


def _get(client: Client, path: str) -> bytes:
    response = client.get(path, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not 200")
    return bytes(response.content)


def _getter(client: Client, path: str) -> Callable[[], object]:
    return lambda: _get(client, path)


def _queries(client: Client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        body = _get(client, path)
    return len(queries.captured_queries), len(body)


def time_today(care: CareData, *, runs: int) -> Timing:
    """Target i: the Today page for random patients holding an active programme."""
    rng = random.Random(13)  # noqa: S311 (sampling, not secrets)
    chosen = [rng.choice(care.portal_users) for _ in range(runs)]
    clients = {user: _client(user) for user in set(chosen)}
    path = reverse("portal:today")
    queries, size = _queries(clients[chosen[0]], path)
    calls = [_getter(clients[user], path) for user in chosen]
    timing = time_calls("Today page, a random patient", calls)
    extra: dict[str, object] = {"queries": queries, "bytes": size}
    return Timing(timing.label, timing.samples_ms, extra=extra)


def time_clinic_outcomes(*, runs: int) -> Timing:
    """Target j: the clinic's outcomes page, as a physiotherapist."""
    client = _clinician_client()
    path = reverse("outcomes:clinic")
    queries, size = _queries(client, path)
    timing = time_calls("clinic outcomes page", [lambda: _get(client, path)] * runs, warmup=1)
    extra: dict[str, object] = {"queries": queries, "bytes": size}
    return Timing(timing.label, timing.samples_ms, extra=extra)


def clinic_outcomes_plan() -> str:
    """EXPLAIN (ANALYZE) of the page's heaviest statement, the pain change by pathway."""
    client = _clinician_client()
    with CaptureQueriesContext(connection) as captured:
        _get(client, reverse("outcomes:clinic"))
    statements = [q["sql"] for q in captured.captured_queries if "outcomes_painscore" in q["sql"]]
    if not statements or connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {statements[0]}")
        return "\n".join(row[0] for row in cursor.fetchall())


def profile_today(care: CareData) -> str:
    client = _client(care.portal_users[0])
    path = reverse("portal:today")
    return profile_text(lambda: _get(client, path), repeat=50, lines=60)
