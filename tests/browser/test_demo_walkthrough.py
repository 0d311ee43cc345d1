"""The demo's walkthrough in a real browser, on the demo data itself: what `make run`
shows a clinician, signed in with the printed demo logins."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from facetcare.booking.models import Appointment
from facetcare.demo.clinical import Case
from facetcare.demo.loader import Loaded, load_demo
from facetcare.demo.people import LOGINS
from facetcare.pathway.models import PolicyOverride, ProcedureRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORDS = {login.username: login.password for login in LOGINS}


@pytest.fixture
def demo() -> Loaded:
    return load_demo()


def case(demo: Loaded, key: str) -> Case:
    return next(c for c in demo.cases if c.key == key)


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def open_episode(page: Page, base_url: str, found: Case, link: str) -> None:
    patient = found.patient
    page.goto(f"{base_url}/patients/?q={patient.last_name}")
    page.get_by_role("link", name=f"{patient.last_name}, {patient.first_name}").click()
    page.get_by_role("link", name=link).click()


def physio_assesses_the_new_referral_and_ticks_a_red_flag(
    page: Page, url: str, demo: Loaded
) -> None:
    sign_in(page, url, "physio")
    open_episode(page, url, case(demo, "a"), "Lumbar · left")
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Red-flag screen done with the patient").check()
    page.get_by_label("Fever or rigors").check()
    page.get_by_label("Symptom pattern").select_option("axial")
    page.get_by_label("Radiculopathy").select_option("none")
    page.get_by_label("Pain duration (weeks)").fill("10")
    page.get_by_label("6", exact=True).check()
    page.get_by_role("button", name="Record assessment").click()
    banner = page.get_by_role("alert").filter(has_text="Suspected spinal infection")
    expect(banner).to_contain_text("same-day referral")
    page.get_by_role("button", name="Sign out").click()


def consultant_is_refused_then_overrides_books_and_records(
    page: Page, url: str, demo: Loaded, shots: Path
) -> None:
    sign_in(page, url, "consultant")
    open_episode(page, url, case(demo, "c"), "Cervical · right")
    page.get_by_role("button", name="Book the next free slot").click()
    expect(page.get_by_role("alert").filter(has_text="UK-STER-01")).to_be_visible()

    panel = page.locator("#policy-panel")
    expect(panel.get_by_label("Levels")).to_have_value("C5-6")
    panel.get_by_label("Procedure").select_option("ia_therapeutic")
    panel.get_by_role("button", name="Check against policy").click()
    decision = panel.locator(".decision")
    expect(decision).to_contain_text("Not eligible")
    expect(decision).to_contain_text("UK-STER-01")
    expect(decision).to_contain_text("4th steroid-containing spinal injection session in 6 months")
    page.screenshot(path=str(shots / "demo-refusal.png"), full_page=True)

    panel.get_by_role("button", name="Override and allow").click()
    expect(panel.locator(".has-error")).to_contain_text("This field is required")
    panel.get_by_label("Reason for proceeding against the policy").fill(
        "Pain stops work; RF contraindicated by an ICD; discussed with the patient"
    )
    panel.get_by_role("button", name="Override and allow").click()
    expect(panel).to_contain_text("Override recorded")

    page.get_by_role("button", name="Book the next free slot").click()
    expect(page.get_by_role("status").filter(has_text="Booked Cervical facet")).to_be_visible()
    page.get_by_role("link", name="Record a procedure").click()
    record_the_injection(page)
    newest = page.locator("section[aria-labelledby=procedures-heading] tbody tr").first
    newest.get_by_role("link", name="Record response").click()
    page.get_by_label("Relief of the index pain (%)").fill("70")
    page.get_by_label("Relief lasted (days)").fill("21")
    page.get_by_role("button", name="Record response").click()
    expect(page.get_by_text("70% relief for 21 days")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()


def record_the_injection(page: Page) -> None:
    page.get_by_role("combobox", name="Procedure:").select_option("ia_therapeutic")
    page.get_by_label("Levels").fill("C5-6")
    page.get_by_label("Agent 1", exact=True).fill("methylprednisolone")
    page.get_by_label("Agent 1 dose (mg)").fill("40")
    page.get_by_label("Steroid (mg MPDE)").fill("40")
    page.get_by_label("Written consent obtained for this procedure").check()
    for risk in ("Nerve injury", "Numbness", "Post dural", "Bleeding", "Infection", "Steroid"):
        page.get_by_role("checkbox", name=risk).check()
    page.get_by_role("button", name="Record procedure").click()


def manager_sees_who_read(page: Page, url: str, found: Case, reader: str) -> None:
    page.goto(f"{url}/audit/access-log/")
    page.get_by_label("Patient number").fill(str(found.patient.pk))
    page.get_by_label("Action").select_option("read")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.access-log tbody tr")
    expect(rows.filter(has_text=reader).filter(has_text="episode").first).to_be_visible()


def test_a_clinician_walks_the_demo_from_red_flag_to_override_to_the_access_log(
    page: Page, live_server: LiveServer, demo: Loaded, tmp_path: Path
) -> None:
    url = live_server.url
    physio_assesses_the_new_referral_and_ticks_a_red_flag(page, url, demo)
    consultant_is_refused_then_overrides_books_and_records(page, url, demo, tmp_path)

    sign_in(page, url, "manager")
    manager_sees_who_read(page, url, case(demo, "c"), "Consultant (demo)")
    manager_sees_who_read(page, url, case(demo, "a"), "Physio (demo)")

    cervical = case(demo, "c")
    override = PolicyOverride.objects.get(episode=cervical.episode)
    assert override.deciding_rules == ["UK-STER-01"]
    recorded = ProcedureRecord.objects.get(
        appointment__in=Appointment.objects.filter(
            patient=cervical.patient, channel="staff", status="booked"
        )
    )
    assert recorded.relief_percent == 70
