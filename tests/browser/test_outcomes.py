"""A consultant opens a patient's outcomes after two weeks of pain scores, sees the
chart and the derived relief, and confirms it into the procedure record; the clinic's
outcomes page sums it up. Desktop and phone, with an accessibility check."""

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from facetcare.pathway.models import ProcedureRecord
from facetcare.web.roles import Role
from tests.browser.support import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.outcomes.world import TWO_WEEKS, diary, injection
from tests.pathway.world import ClinicalWorld, cw
from tests.web.staff import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["cw"]


@pytest.fixture
def diary_world(cw: ClinicalWorld, settings: Any) -> ProcedureRecord:
    settings.FACETCARE_REQUIRE_2FA = "off"
    procedure = injection(cw, date(2026, 3, 2))
    diary(cw, procedure, TWO_WEEKS)
    make_staff("drlee", Role.CONSULTANT, first_name="Mira", last_name="Lee")
    return procedure


def test_a_consultant_confirms_the_derived_relief_from_the_chart_page(
    page: Page, live_server: LiveServer, diary_world: ProcedureRecord, steps: Any
) -> None:
    procedure = diary_world
    sign_in(page, live_server.url, "drlee")
    page.goto(f"{live_server.url}/pathway/episodes/{procedure.episode_id}/")
    page.get_by_role("link", name="Outcomes and response").click()

    chart = page.get_by_role("img", name="Pain over time (NRS-11)")
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name="Pain scores")).to_contain_text("2")
    expect(page.locator(".response")).to_contain_text("75.0%")
    expect(page.get_by_text("Not confirmed: the policy check does not use it yet.")).to_be_visible()
    steps.shot(page, "outcomes-before-confirming")
    assert_accessible(page)

    page.get_by_label("Note").first.fill("Matches the clinic review")
    page.get_by_role("button", name="Confirm response").click()

    expect(page.locator(".confirmed")).to_contain_text("Written to the procedure record")
    steps.shot(page, "outcomes-confirmed")
    procedure.refresh_from_db()
    assert procedure.relief_percent == 75


def test_the_outcomes_pages_read_on_a_phone(
    phone: Page, live_server: LiveServer, diary_world: ProcedureRecord, steps: Any
) -> None:
    sign_in(phone, live_server.url, "drlee")
    phone.goto(f"{live_server.url}/outcomes/patients/{diary_world.episode.patient_id}/")
    expect(phone.get_by_role("img", name="Pain over time (NRS-11)")).to_be_visible()
    steps.shot(phone, "outcomes-phone")
    assert_accessible(phone)
    phone.goto(f"{live_server.url}/outcomes/clinic/")
    expect(phone.get_by_role("heading", name="Clinic outcomes")).to_be_visible()
    steps.shot(phone, "clinic-outcomes-phone")
    assert_accessible(phone)


def test_the_clinic_outcomes_page_on_a_desktop(
    page: Page, live_server: LiveServer, diary_world: ProcedureRecord, steps: Any
) -> None:
    sign_in(page, live_server.url, "drlee")
    page.goto(f"{live_server.url}/outcomes/clinic/")
    expect(page.get_by_role("img", name="Important pain relief by pathway")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("After an injection")
    steps.shot(page, "clinic-outcomes")
    assert_accessible(page)
