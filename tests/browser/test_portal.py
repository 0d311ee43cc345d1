"""A patient signs in to the portal from an emailed link, ticks an exercise, records a pain
score and sees the chart change, in a real browser: on a phone, on a desktop, and without
JavaScript. Every portal and education page is checked with axe."""

import re
from importlib import import_module
from io import BytesIO
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from facetcare.outcomes.models import PainScore
from facetcare.rehab.models import ExerciseLog
from tests.browser.support import PHONE, Steps, assert_accessible
from tests.pathway.world import ClinicalWorld, cw
from tests.portal.care import InCare, injected_days_ago

__all__ = ["cw"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "sam.taylor@example.org"  # the clinical world's patient, Robin Hale
LINK = re.compile(r"https?://\S+/portal/sign-in/link/\?sesame=\S+")
DISCLAIMER = "General information, not personal medical advice."
EDUCATION = ["facet-joint-pain", "injections", "aftercare", "urgent-help"]


@pytest.fixture
def care(cw: ClinicalWorld, settings: Any, live_server: LiveServer) -> InCare:
    settings.FACETCARE_SITE_URL = live_server.url
    ship_instruments()
    return injected_days_ago(cw, 3)


def ship_instruments() -> None:
    """The instruments a migration ships: a browser test's database is emptied between
    tests (rows written by migrations included), so put them back as the migration does."""
    shipped = import_module("facetcare.outcomes.migrations.0002_shipped_instruments")
    shipped.ship(apps, None)


def sign_in_from_email(page: Page, base: str, steps: Steps, *, axe: bool = True) -> None:
    """Ask for a link, open it from the email, press the button (axe needs JavaScript,
    so a page without it is not checked)."""

    def check() -> None:
        if axe:
            assert_accessible(page)

    mail.outbox.clear()
    page.goto(f"{base}/portal/sign-in/")
    expect(page.get_by_role("heading", name="Sign in to your patient pages")).to_be_visible()
    steps.shot(page, "sign-in")
    check()
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("1973")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.locator("#dob-error")).to_contain_text("That date does not exist")
    steps.shot(page, "sign-in-date-refused")
    check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("1973")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    steps.shot(page, "link-sent")
    check()

    [link] = LINK.findall(str(mail.outbox[-1].body))
    page.goto(link)
    expect(page.get_by_role("heading", name="Welcome, Robin")).to_be_visible()
    steps.shot(page, "link-opened")
    check()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()


def test_a_patient_signs_in_from_the_email_ticks_an_exercise_and_sees_their_pain_charted(
    phone: Page, live_server: LiveServer, care: InCare, steps: Steps
) -> None:
    base = live_server.url
    sign_in_from_email(phone, base, steps)
    expect(phone.locator("html")).to_have_attribute("lang", "en-GB")
    steps.shot(phone, "today")
    assert_accessible(phone)

    phone.goto(f"{base}/portal/progress/")
    expect(phone.get_by_text("Your pain chart will appear here")).to_be_visible()
    steps.shot(phone, "chart-before")
    phone.goto(f"{base}/portal/")

    first = phone.locator("li.exercise").first
    name = first.locator("h3").inner_text()
    first.get_by_role("button", name=f"Done: {name}").click()
    expect(phone.locator("li.exercise").first.get_by_text("Done today")).to_be_visible()
    assert ExerciseLog.objects.get().sets_done >= 1
    steps.shot(phone, "exercise-ticked")
    assert_accessible(phone)

    phone.locator("#pain").get_by_role("button", name="4 out of 10").click()
    expect(phone.get_by_text("your pain score of 4 out of 10 is recorded")).to_be_visible()
    assert PainScore.objects.get().value == 4
    steps.shot(phone, "pain-recorded")
    assert_accessible(phone)

    phone.get_by_role("link", name="See your pain chart").click()
    expect(phone.get_by_role("heading", name="Your pain over time")).to_be_visible()
    expect(phone.locator("svg.chart circle.marker")).to_have_count(1)
    expect(phone.locator(".scores-table tbody tr")).to_have_count(1)
    expect(phone.locator(".scores-table tbody td.num")).to_have_text("4")
    steps.shot(phone, "chart-after")
    assert_accessible(phone)

    phone.get_by_role("link", name="Programme").click()
    expect(phone.locator(".phases > .phase.current")).to_contain_text("You are here")
    steps.shot(phone, "programme")
    assert_accessible(phone)
    handout = phone.get_by_role("link", name="Print or download your programme (PDF)")
    response = phone.request.get(f"{base}{handout.get_attribute('href')}")
    assert response.status == 200
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.body())).pages)
    assert name in " ".join(text.split())


def test_every_portal_and_education_page_reads_well_on_a_desktop(
    page: Page, live_server: LiveServer, care: InCare, steps: Steps
) -> None:
    base = live_server.url
    sign_in_from_email(page, base, steps)
    page.locator("#pain").get_by_role("button", name="6 out of 10").click()
    expect(page.get_by_text("your pain score of 6 out of 10 is recorded")).to_be_visible()

    expect(page.get_by_role("link", name="Patient-Specific Functional Scale")).to_be_visible()
    for path, name in [
        ("/portal/", "today"),
        ("/portal/programme/", "programme"),
        ("/portal/progress/", "progress"),
        ("/portal/questionnaires/PSFS/", "questionnaire"),
        ("/portal/account/", "account"),
        ("/portal/learn/", "learn"),
        *[(f"/portal/learn/{slug}/", slug) for slug in EDUCATION],
    ]:
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200, path
        expect(page.locator("h1")).to_be_visible()
        steps.shot(page, name)
        assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You are signed out")).to_be_visible()
    steps.shot(page, "signed-out")
    assert_accessible(page)

    [used] = LINK.findall(str(mail.outbox[-1].body))
    page.goto(used)
    expect(page.get_by_role("heading", name="This link cannot sign you in")).to_be_visible()
    expect(page.get_by_role("button", name="Email me a new link")).to_be_visible()
    steps.shot(page, "link-used")
    assert_accessible(page)


def test_the_education_pages_and_the_home_footer_on_a_phone_without_signing_in(
    phone: Page, live_server: LiveServer, steps: Steps
) -> None:
    base = live_server.url
    phone.goto(f"{base}/")
    phone.get_by_role("link", name="When to get urgent help").click()
    expect(phone.get_by_role("heading", name="Get emergency help now")).to_be_visible()
    expect(phone.get_by_text(DISCLAIMER)).to_be_visible()

    for slug in ["", *EDUCATION]:
        phone.goto(f"{base}/portal/learn/{slug + '/' if slug else ''}")
        expect(phone.get_by_text(DISCLAIMER)).to_be_visible()
        steps.shot(phone, f"learn-{slug or 'index'}")
        assert_accessible(phone)


def test_the_portal_works_without_javascript(
    browser: Browser, live_server: LiveServer, care: InCare, steps: Steps
) -> None:
    phone_size = ViewportSize(width=PHONE["width"], height=PHONE["height"])
    context = browser.new_context(java_script_enabled=False, viewport=phone_size, locale="en-GB")
    page = context.new_page()
    try:
        sign_in_from_email(page, live_server.url, steps, axe=False)
        first = page.locator("li.exercise").first
        name = first.locator("h3").inner_text()
        first.get_by_role("button", name=f"Done: {name}").click()
        expect(page.locator("li.exercise.done")).to_have_count(1)

        page.locator("#pain").get_by_role("button", name="3 out of 10").click()
        expect(page.get_by_text("your pain score of 3 is recorded")).to_be_visible()
        steps.shot(page, "no-js-recorded")
        page.goto(f"{live_server.url}/portal/progress/")
        expect(page.locator(".scores-table td.num")).to_have_text("3")
    finally:
        context.close()
