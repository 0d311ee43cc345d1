"""A physiotherapist plans a programme after an injection, changes a dose and downloads the
handout, through a real browser, on a desktop and on a phone."""

from io import BytesIO

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from facetcare.rehab.models import Programme
from tests.browser.support import PHONE, Steps, assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.web.clinical_world import ClinicalWorld, build_clinical_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world() -> ClinicalWorld:
    return build_clinical_world()


def test_a_physiotherapist_starts_a_programme_edits_a_dose_and_downloads_the_handout(
    page: Page, browser: Browser, live_server: LiveServer, world: ClinicalWorld, steps: Steps
) -> None:
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/pathway/episodes/{world.injected_episode.pk}/")
    page.get_by_role("link", name="Start a rehabilitation programme").click()

    expect(page.get_by_label("Goals, in the patient's own words")).to_have_value(
        "Pick up my granddaughter"
    )
    expect(page.get_by_label("After a facet joint injection or block")).to_be_checked()
    page.get_by_label("Knee pain (no deep bending or kneeling)").check()
    steps.shot(page, "start-form")
    assert_accessible(page)
    page.get_by_role("button", name="Plan the programme").click()

    settle = page.get_by_role("heading", name="Phase 1: Settle the pain and start moving")
    expect(settle).to_be_visible()
    expect(page.locator(".phase-current")).to_contain_text("3 to 5 days after the injection")
    programme = Programme.objects.get()
    steps.shot(page, "programme")
    assert_accessible(page)

    first = page.locator(".phase-current li.exercise").first
    name = first.locator(".exercise-name").inner_text()
    first.get_by_role("link", name=f"Change {name}").click()
    page.get_by_label("Sets").fill("3")
    page.get_by_label("Reason for the change").fill("Coping well")
    steps.shot(page, "edit-dose")
    assert_accessible(page)
    page.get_by_role("button", name="Save the change").click()
    changed = page.locator(".phase-current li.exercise").filter(has_text=name).first
    expect(changed.locator(".dose")).to_contain_text("3 sets of")

    link = page.get_by_role("link", name="Handout (PDF)")
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.body())).pages)
    text = " ".join(text.split())
    assert "London Bridge" in text
    assert "Oliver Reed" in text
    assert name in text
    assert "3 sets of" in text

    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    small = phone.new_page()
    sign_in(small, live_server.url, "sam")
    small.goto(f"{live_server.url}/rehab/programmes/{programme.pk}/")
    expect(small.get_by_role("heading", name="Rehabilitation programme")).to_be_visible()
    steps.shot(small, "programme-phone")
    assert_accessible(small)
    widest = small.evaluate("document.documentElement.scrollWidth")
    assert widest <= PHONE["width"], widest
    phone.close()
