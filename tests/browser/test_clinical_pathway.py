"""A clinician's day through a real browser: assess, see a red flag, check the policy,
override with a reason, record a procedure and its response; a manager then sees
who looked at the record."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from facetcare.pathway.models import PolicyOverride, ProcedureRecord
from tests.browser.test_sign_in import sign_in
from tests.web.clinical_world import ClinicalWorld, build_clinical_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world() -> ClinicalWorld:
    return build_clinical_world()


def test_a_clinician_assessment_with_a_red_flag_shows_the_banner(
    page: Page, live_server: LiveServer, world: ClinicalWorld
) -> None:
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/patients/?q=Qui")
    page.get_by_role("link", name="Quinn, Nora").click()
    page.get_by_role("link", name="Lumbar · bilateral").click()
    page.get_by_role("link", name="New assessment").click()

    page.get_by_label("Red-flag screen done with the patient").check()
    page.get_by_label("Saddle anaesthesia").check()
    page.get_by_label("Symptom pattern").select_option("axial")
    page.get_by_label("Radiculopathy").select_option("none")
    page.get_by_label("Pain duration (weeks)").fill("6")
    page.get_by_label("7", exact=True).check()
    page.get_by_label("Functional goals, in the patient's own words").fill("Get back to work")
    page.get_by_role("button", name="Record assessment").click()

    banner = page.get_by_role("alert").filter(has_text="cauda equina")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("same-day referral")
    page.get_by_role("link", name="Nora Quinn · Lumbar episode").click()
    expect(page.locator(".banner-danger")).to_contain_text("Suspected cauda equina syndrome")


def test_a_consultant_sees_why_a_fourth_injection_is_refused_overrides_and_records_it(
    page: Page, live_server: LiveServer, world: ClinicalWorld, tmp_path: Path
) -> None:
    sign_in(page, live_server.url, "drpatel")
    page.goto(f"{live_server.url}/pathway/episodes/{world.injected_episode.pk}/")
    panel = page.locator("#policy-panel")
    panel.get_by_label("Procedure").select_option("ia_therapeutic")
    panel.get_by_label("Levels").fill("L4-5")
    panel.get_by_label("Corticosteroid").check()
    panel.get_by_label("Local anaesthetic").check()
    panel.get_by_label("Steroid (mg MPDE)").fill("40")
    panel.get_by_role("button", name="Check against policy").click()

    expect(panel.locator(".decision")).to_contain_text("Not eligible")
    expect(panel.locator(".decision")).to_contain_text("UK-STER-01")
    ster_row = panel.locator("tr", has=page.get_by_role("rowheader", name="UK-STER-01"))
    expect(ster_row).to_contain_text("6 months")
    # Kept with the run's temporary files, for a person to look at the page as a clinician would.
    page.screenshot(path=str(tmp_path / "episode.png"), full_page=True)

    panel.get_by_role("button", name="Override and allow").click()
    expect(panel.locator(".has-error")).to_contain_text("This field is required")
    assert not PolicyOverride.objects.exists()
    panel.get_by_label("Reason for proceeding against the policy").fill(
        "Severe pain despite physiotherapy; RFA contraindicated by a pacemaker"
    )
    panel.get_by_role("button", name="Override and allow").click()
    expect(panel).to_contain_text("Override recorded")
    assert PolicyOverride.objects.get().consultant == world.consultant

    page.get_by_role("link", name="Record a procedure").click()
    page.get_by_role("combobox", name="Procedure:").select_option("ia_therapeutic")
    page.get_by_label("Levels").fill("L4-5")
    page.get_by_label("Agent 1", exact=True).fill("methylprednisolone")
    page.get_by_label("Agent 1 dose (mg)").fill("40")
    page.get_by_label("Steroid (mg MPDE)").fill("40")
    page.get_by_label("Written consent obtained for this procedure").check()
    for risk in ("Nerve injury", "Numbness", "Post dural", "Bleeding", "Infection", "Steroid"):
        page.get_by_role("checkbox", name=risk).check()
    page.get_by_role("button", name="Record procedure").click()

    # Newest first: today's procedure heads the list, above the earlier ones elsewhere.
    todays = page.locator("section[aria-labelledby=procedures-heading] tbody tr").first
    expect(todays).to_contain_text("Therapeutic intra-articular facet injection")
    todays.get_by_role("link", name="Record response").click()
    page.get_by_label("Relief of the index pain (%)").fill("60")
    page.get_by_label("Relief lasted (days)").fill("30")
    page.get_by_role("button", name="Record response").click()
    expect(page.get_by_text("60% relief for 30 days")).to_be_visible()
    recorded = ProcedureRecord.objects.get(appointment=world.procedure_appointment)
    assert recorded.relief_percent == 60


def test_a_manager_sees_who_looked_at_a_record(
    page: Page, live_server: LiveServer, world: ClinicalWorld
) -> None:
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/pathway/episodes/{world.injected_episode.pk}/")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "maria")
    page.get_by_role("link", name="Access log").click()
    page.get_by_label("Patient number").fill(str(world.injected_patient.pk))
    page.get_by_label("Action").select_option("read")
    page.get_by_role("button", name="Search").click()

    rows = page.locator("table.access-log tbody tr")
    expect(rows.filter(has_text="Sam Lee").filter(has_text="episode").first).to_be_visible()
    expect(rows.first).to_contain_text("Oliver Reed")
