"""A manager exports a patient's record from the patient page and erases a patient
whom no retention rule keeps; a patient with a clinical record cannot be erased."""

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from facetcare.patients.models import Patient
from tests.browser.support import Steps, assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.factories import make_patient
from tests.web.clinical_world import build_clinical_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_downloads_the_pdf_of_a_patients_record(
    page: Page, live_server: LiveServer, steps: Steps
) -> None:
    world = build_clinical_world()
    sign_in(page, live_server.url, world.manager.username)

    page.goto(f"{live_server.url}/patients/{world.injected_patient.pk}/")
    page.get_by_role("link", name="Export record").click()
    expect(page.get_by_role("heading", name="Export the whole record")).to_be_visible()
    expect(page.get_by_text("This patient cannot be erased.")).to_be_visible()
    steps.shot(page, "export-page")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()

    pdf = download.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Health record of Oliver Reed" in " ".join(text.split())
    assert download.value.suggested_filename.endswith(".pdf")


def test_a_manager_erases_a_patient_who_only_booked_on_a_phone(
    phone: Page, live_server: LiveServer, steps: Steps
) -> None:
    world = build_clinical_world()
    patient = make_patient(first_name="Lee", last_name="Marsh", email="lee@example.org")
    sign_in(phone, live_server.url, world.manager.username)

    phone.goto(f"{live_server.url}/patients/{patient.pk}/export/")
    steps.shot(phone, "erasable")
    assert_accessible(phone)
    phone.get_by_role("button", name="Erase this patient").click()
    expect(phone.get_by_text("This field is required.").first).to_be_visible()
    steps.shot(phone, "confirmation-required")
    phone.get_by_label("The request").fill("Patient's email of 3 March")
    phone.get_by_label("I understand").check()
    phone.get_by_role("button", name="Erase this patient").click()

    expect(phone.get_by_text("The patient's details were erased")).to_be_visible()
    steps.shot(phone, "erased")
    assert Patient.objects.get(pk=patient.pk).first_name == "Erased"


def test_a_manager_downloads_the_access_log_of_a_period_as_csv(
    page: Page, live_server: LiveServer, steps: Steps
) -> None:
    world = build_clinical_world()
    sign_in(page, live_server.url, world.manager.username)

    page.goto(f"{live_server.url}/audit/access-log/")
    page.get_by_label("Patient number").fill(str(world.injected_patient.pk))
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table.access-log tbody tr").first).to_be_visible()
    steps.shot(page, "access-log")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every matching entry as CSV").click()

    lines = download.value.path().read_text().splitlines()
    assert lines[0].startswith("at_utc,user_id,username")
    assert len(lines) > 1
    assert all(f",{world.injected_patient.pk},Oliver Reed," in line for line in lines[1:])
