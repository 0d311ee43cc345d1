"""``facetcare demo``: load (or refresh) the demo world and print how to look at it.

Idempotent: the directory is upserted on natural keys, patients on their email,
the diary is written only when no demo appointments exist, and a clinical case
only when its patient has no episode yet. ``--reset`` removes every demo row
first and loads afresh.
"""

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from facetcare.demo.clinical import Case, load_clinical_cases
from facetcare.demo.diary import load_diary
from facetcare.demo.directory import load_directory
from facetcare.demo.outcomes import load_case_scores
from facetcare.demo.people import Login, load_patients, load_staff
from facetcare.demo.portal import open_demo_portal_accounts
from facetcare.demo.rehab import load_programmes
from facetcare.demo.showcase import WAITING_PATIENT, Showcase, set_up_showcase
from facetcare.demo.walkthrough import render_walkthrough
from facetcare.demo.wipe import wipe_demo
from facetcare.locales import format_datetime
from facetcare.patients.models import Patient
from facetcare.waitlist.tasks import offer_freed_slot

IN_MEMORY_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
NO_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@dataclass(frozen=True)
class Loaded:
    summary: dict[str, int]
    logins: list[Login]
    token: str
    cases: list[Case]
    showcase: Showcase
    portal: list[Patient]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="facetcare demo", description="Load the FacetCare demo data (safe to run twice)."
    )
    parser.add_argument("--reset", action="store_true", help="delete the demo data, then reload")
    args = parser.parse_args(list(argv))
    began = time.perf_counter()
    # The demo's bookings queue their confirmations on commit like any other. The
    # patients are fiction: nothing is queued for the worker to print later (the
    # dummy backend drops the tasks) and no mail reaches the console, so the
    # summary is all the demo prints. The commit comes first on leaving.
    with (
        override_settings(MAILERS=IN_MEMORY_MAIL, TASKS=NO_TASKS),
        transaction.atomic(),
    ):
        if args.reset:
            wipe_demo()
        loaded = load_demo()
    if loaded.showcase.freed is not None:
        # Queued for the worker now the load has committed (the dummy backend is gone).
        offer_freed_slot.enqueue(loaded.showcase.freed.pk)
    elapsed = time.perf_counter() - began
    print(render_summary(loaded, elapsed))
    return 0


def load_demo() -> Loaded:
    """Load (or refresh) the whole demo world; safe to call on a loaded database."""
    now = timezone.now()
    directory = load_directory(today=now.date())
    logins, token = load_staff()
    uk_patients, us_patients = load_patients(uk=360, us=120)
    booked = load_diary(
        directory=directory,
        patients_by_currency={"GBP": uk_patients, "USD": us_patients},
        now=now,
    )
    added, cases = load_clinical_cases(directory=directory, now=now)
    portal = open_demo_portal_accounts(cases=cases, now=now)
    programmes = load_programmes(cases=cases, now=now)
    scores = load_case_scores(cases=cases, now=now)
    showcase = set_up_showcase(directory=directory, now=now)
    summary = {
        "clinics": len(directory.clinics),
        "services": len(directory.services),
        "practitioners": len(directory.practitioners),
        "patients": len(uk_patients) + len(us_patients) + len(cases),
        "appointments added": booked,
        "clinical cases added": added,
        "rehab programmes added": programmes,
        "pain scores added": scores,
    }
    return Loaded(summary, logins, token, cases, showcase, portal)


def render_summary(loaded: Loaded, elapsed: float) -> str:
    counts = ", ".join(f"{count} {what}" for what, count in loaded.summary.items())
    logins, token = loaded.logins, loaded.token
    # The site's own address, as in its emails (`make run` sets it from FACETCARE_ADDRESS).
    base_url = settings.FACETCARE_SITE_URL
    width = max(len(login.username) for login in logins)
    lines = [
        f"FacetCare demo loaded in {elapsed:.1f} s: {counts}.",
        "",
        f"  Site:     {base_url}/",
        f"  Admin:    {base_url}/admin/",
        f"  API docs: {base_url}/api/v1/docs",
        "",
        "Demo logins (demo-only passwords):",
    ]
    lines += [
        f"  {login.username:<{width}}  {login.password:<16} {login.role:<16} {login.look_at}"
        for login in logins
    ]
    lines += [
        "",
        "Staff API token (receptionist; shown once, a re-run issues a new one):",
        f"  Authorization: Bearer {token}",
        f"  curl -H 'Authorization: Bearer {token}' {base_url}/api/v1/clinics",
        "",
        *render_walkthrough(loaded.cases, base_url),
        *_render_showcase(loaded.showcase),
        *_render_portal(loaded.portal, base_url),
    ]
    return "\n".join(lines)


def _render_portal(patients: list[Patient], base_url: str) -> list[str]:
    """How to sign in to the patient portal as a demo patient (the link is emailed to the
    server's console)."""
    if not patients:
        return []
    lines = [
        "",
        f"Patient portal: {base_url}/portal/sign-in/ — enter the email and date of birth of",
    ]
    lines += [
        f"  {p.first_name} {p.last_name}: {p.email}, born {p.date_of_birth.isoformat()}"
        for p in patients
    ]
    lines.append("  and open the sign-in link printed on the server's console.")
    return lines


def _render_showcase(showcase: Showcase) -> list[str]:
    """What the worker beside the server will print to the console soon after start."""
    lines = []
    if showcase.reminder_for is not None:
        appointment = showcase.reminder_for
        when = format_datetime(
            appointment.start.astimezone(ZoneInfo(appointment.clinic.time_zone)),
            appointment.clinic.locale,
        )
        lines.append(
            f"  - a reminder to {appointment.patient.first_name} {appointment.patient.last_name}"
            f" for {appointment.service.name} at {appointment.clinic.name}, {when}"
        )
    if showcase.freed is not None:
        lines.append(
            f"  - a waitlist offer to {WAITING_PATIENT.first_name} {WAITING_PATIENT.last_name}"
            f" of the {showcase.freed.service.name} time just cancelled at"
            f" {showcase.freed.clinic.name}"
        )
    if not lines:
        return []
    return ["", "Watch the server's console: within a minute the task worker emails", *lines]
