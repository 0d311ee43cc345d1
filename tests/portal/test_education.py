"""The education pages: public, in plain words, each saying it is not personal advice."""

import pytest
from django.test import Client

from tests.portal.support import patient_with_account, signed_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/portal/learn/",
    "/portal/learn/facet-joint-pain/",
    "/portal/learn/injections/",
    "/portal/learn/aftercare/",
    "/portal/learn/urgent-help/",
]
DISCLAIMER = "General information, not personal medical advice."


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_public_and_carries_the_disclaimer(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert DISCLAIMER in response.text
    assert '<html lang="en-GB">' in response.text


def test_an_unknown_topic_is_404(client: Client) -> None:
    assert client.get("/portal/learn/miracle-cures/").status_code == 404


def test_the_injection_page_says_relief_usually_starts_three_to_five_days_after(
    client: Client,
) -> None:
    page = client.get("/portal/learn/injections/").text

    assert "usually starts 3 to 5 days afterwards" in page
    assert "Before the day" in page
    assert "On the day" in page
    assert "Afterwards" in page


@pytest.mark.parametrize(
    "red_flag",
    [
        "weakness in <strong>both legs</strong>",
        "<strong>loss of bladder or bowel control</strong>",
        "<strong>around your back passage (bottom), your genitals",
        "a high temperature, or feeling hot and shivery, together with back or neck pain",
        "severe pain after a fall, a car accident or another injury",
        "weight loss you cannot explain",
    ],
)
def test_the_urgent_help_page_names_each_red_flag_in_plain_words(
    client: Client, red_flag: str
) -> None:
    assert red_flag in client.get("/portal/learn/urgent-help/").text


def test_a_visitor_is_told_the_uk_numbers_first_and_the_us_ones_too(client: Client) -> None:
    page = client.get("/portal/learn/urgent-help/").text

    assert "Call 999 or go to A&amp;E" in page
    assert "In the US: call 911 or go to the nearest emergency room (ER)." in page
    assert page.index("Call 999 or go to A&amp;E") < page.index("call 911")


def test_a_patient_of_a_us_clinic_is_told_911_and_the_er_first() -> None:
    from tests.factories import make_clinic
    from tests.portal.test_today import booked_for

    account = patient_with_account()
    clinic = make_clinic(time_zone="America/Los_Angeles", locale="en-US", phone="+12135550123")
    booked_for(account, clinic=clinic)

    page = signed_in(account).get("/portal/learn/urgent-help/").text

    assert '<html lang="en-US">' in page
    assert "Call 911 or go to the nearest emergency room (ER)." in page
    assert page.index("Call 911 or go to the nearest emergency room") < page.index("call 999")


def test_the_home_page_footer_links_every_education_page_and_the_patient_sign_in(
    client: Client,
) -> None:
    page = client.get("/").text

    for path in PAGES[1:]:
        assert f'href="{path}"' in page
    assert 'href="/portal/sign-in/"' in page
