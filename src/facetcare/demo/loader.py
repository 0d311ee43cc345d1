"""``facetcare demo``: load (or refresh) the demo world and print how to look at it.

Idempotent: the directory is upserted on natural keys, patients on their email,
and the diary is written only when no demo appointments exist. ``--reset``
removes every demo row first and loads afresh.
"""

import argparse
import time
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from facetcare.demo.diary import load_diary
from facetcare.demo.directory import load_directory
from facetcare.demo.people import Login, load_patients, load_staff
from facetcare.demo.wipe import wipe_demo

BASE_URL = "http://127.0.0.1:8000"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="facetcare demo", description="Load the FacetCare demo data (safe to run twice)."
    )
    parser.add_argument("--reset", action="store_true", help="delete the demo data, then reload")
    args = parser.parse_args(list(argv))
    began = time.perf_counter()
    with transaction.atomic():
        if args.reset:
            wipe_demo()
        summary, logins, token = load_demo()
    elapsed = time.perf_counter() - began
    print(render_summary(summary, logins, token, elapsed))
    return 0


def load_demo() -> tuple[dict[str, int], list[Login], str]:
    now = timezone.now()
    directory = load_directory(today=now.date())
    logins, token = load_staff()
    uk_patients, us_patients = load_patients(uk=360, us=120)
    booked = load_diary(
        directory=directory,
        patients_by_currency={"GBP": uk_patients, "USD": us_patients},
        now=now,
    )
    summary = {
        "clinics": len(directory.clinics),
        "services": len(directory.services),
        "practitioners": len(directory.practitioners),
        "patients": len(uk_patients) + len(us_patients),
        "appointments added": booked,
    }
    summary.update(_load_pathway_cases())
    return summary, logins, token


def _load_pathway_cases() -> dict[str, int]:
    return {}


def render_summary(summary: dict[str, int], logins: list[Login], token: str, elapsed: float) -> str:
    counts = ", ".join(f"{count} {what}" for what, count in summary.items())
    width = max(len(login.username) for login in logins)
    lines = [
        f"FacetCare demo loaded in {elapsed:.1f} s: {counts}.",
        "",
        f"  Site:     {BASE_URL}/",
        f"  Admin:    {BASE_URL}/admin/",
        f"  API docs: {BASE_URL}/api/v1/docs",
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
        f"  curl -H 'Authorization: Bearer {token}' {BASE_URL}/api/v1/clinics",
    ]
    return "\n".join(lines)
