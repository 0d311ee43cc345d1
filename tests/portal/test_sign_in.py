"""Signing in to the patient portal: an emailed one-time link, or a password set later."""

import time
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from sesame.utils import get_token

from facetcare.portal.models import PortalAccount
from tests.factories import make_clinic, make_patient
from tests.portal.support import (
    BORN,
    ask_for_link,
    links_in_last_email,
    path_of,
    patient_with_account,
    sign_in_with,
    signed_in,
    token_of,
)

pytestmark = pytest.mark.django_db

SAME_ANSWER = "If we know you, we have emailed you a link to sign in."


def test_a_known_patient_is_emailed_a_link_that_signs_them_in(client: Client) -> None:
    make_patient(email="sam.taylor@example.org", first_name="Sam")

    response = ask_for_link(client, email="Sam.Taylor@Example.org")

    assert response.status_code == 302
    assert response["Location"] == "/portal/sign-in/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam.taylor@example.org"]
    assert "works once and for 15 minutes" in mail.outbox[0].body
    [link] = links_in_last_email()
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "Welcome, Sam" in page.text
    signed = sign_in_with(client, link)
    assert signed.status_code == 302
    assert signed["Location"] == "/portal/"
    today = client.get("/portal/")
    assert today.status_code == 200
    assert "Hello, Sam" in today.text


def test_the_link_works_only_once(client: Client) -> None:
    make_patient(email="sam.taylor@example.org")
    ask_for_link(client, email="sam.taylor@example.org")
    [link] = links_in_last_email()
    assert sign_in_with(client, link).status_code == 302

    again = sign_in_with(Client(), link)

    assert again.status_code == 410
    assert "expired or has already been used" in again.text


def test_opening_the_link_does_not_use_it_up_so_a_mail_scanner_cannot_spend_it(
    client: Client,
) -> None:
    make_patient(email="sam.taylor@example.org")
    ask_for_link(client, email="sam.taylor@example.org")
    [link] = links_in_last_email()

    assert Client().get(path_of(link)).status_code == 200
    assert Client().get(path_of(link)).status_code == 200

    assert sign_in_with(client, link).status_code == 302


def test_the_link_expires_after_fifteen_minutes(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_patient(email="sam.taylor@example.org")
    ask_for_link(client, email="sam.taylor@example.org")
    [link] = links_in_last_email()
    later = time.time() + 15 * 60 + 5
    monkeypatch.setattr("sesame.tokens_v2.time", SimpleNamespace(time=lambda: later))

    refused = sign_in_with(client, link)

    assert refused.status_code == 410
    assert "expired or has already been used" in refused.text
    assert client.get("/portal/").status_code == 302


def test_a_link_still_inside_its_fifteen_minutes_works(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_patient(email="sam.taylor@example.org")
    ask_for_link(client, email="sam.taylor@example.org")
    [link] = links_in_last_email()
    later = time.time() + 14 * 60
    monkeypatch.setattr("sesame.tokens_v2.time", SimpleNamespace(time=lambda: later))

    assert sign_in_with(client, link).status_code == 302


def test_an_altered_link_is_refused(client: Client) -> None:
    make_patient(email="sam.taylor@example.org")
    ask_for_link(client, email="sam.taylor@example.org")
    [link] = links_in_last_email()
    token = token_of(link)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    refused = client.post("/portal/sign-in/link/", {"token": altered})

    assert refused.status_code == 410
    assert client.get("/portal/").status_code == 302


def test_a_link_made_for_another_purpose_does_not_sign_in(client: Client) -> None:
    account = patient_with_account()

    refused = client.post("/portal/sign-in/link/", {"token": get_token(account.user)})

    assert refused.status_code == 410


def test_a_staff_user_cannot_sign_in_through_a_portal_link(client: Client) -> None:
    staff = User.objects.create_user(username="ayla", password="a long staff password 1")

    refused = client.post("/portal/sign-in/link/", {"token": get_token(staff, scope="portal")})

    assert refused.status_code == 410
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("email", "born"),
    [
        ("nobody@example.org", BORN),
        ("sam.taylor@example.org", date(1980, 5, 18)),
    ],
    ids=["unknown email", "wrong date of birth"],
)
def test_an_unknown_person_gets_the_same_answer_and_no_email(
    client: Client, email: str, born: date
) -> None:
    make_patient(email="sam.taylor@example.org", date_of_birth=BORN)

    response = ask_for_link(client, email=email, born=born)

    assert response.status_code == 302
    assert response["Location"] == "/portal/sign-in/sent/"
    assert SAME_ANSWER in client.get(response["Location"]).text
    assert mail.outbox == []
    assert not PortalAccount.objects.exists()


def test_a_known_patient_sees_the_same_page_as_a_stranger(client: Client) -> None:
    make_patient(email="sam.taylor@example.org")

    known = client.get(ask_for_link(client, email="sam.taylor@example.org")["Location"])
    unknown = client.get(ask_for_link(client, email="nobody@example.org")["Location"])

    assert main_of(known.text) == main_of(unknown.text)


def main_of(page: str) -> str:
    """The page's content, without the per-response nonce and CSRF token around it."""
    return page[page.index("<main") : page.index("</main>")]


def test_twins_sharing_an_address_and_a_birthday_each_get_their_own_link(client: Client) -> None:
    make_patient(first_name="Alex", email="family@example.org")
    make_patient(first_name="Jo", email="family@example.org")

    ask_for_link(client, email="family@example.org")

    assert len(mail.outbox) == 1
    links = links_in_last_email()
    assert len(links) == 2
    assert "For Alex:" in mail.outbox[0].body
    assert "For Jo:" in mail.outbox[0].body
    assert sign_in_with(client, links[1]).status_code == 302
    assert "Hello, Jo" in client.get("/portal/").text


def test_asking_again_reuses_the_patients_account(client: Client) -> None:
    make_patient(email="sam.taylor@example.org")

    ask_for_link(client, email="sam.taylor@example.org")
    ask_for_link(client, email="sam.taylor@example.org")

    assert PortalAccount.objects.count() == 1
    assert len(mail.outbox) == 2


def test_a_portal_account_is_no_staff_account_and_names_nobody(client: Client) -> None:
    make_patient(email="sam.taylor@example.org", first_name="Sam", last_name="Taylor")

    ask_for_link(client, email="sam.taylor@example.org")

    user = PortalAccount.objects.get().user
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.groups.exists()
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert user.username.startswith("portal:")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "", "day": 17, "month": 5, "year": 1980}, "Enter your email address"),
        ({"email": "sam@", "day": 17, "month": 5, "year": 1980}, "Enter an email address like"),
        ({"email": "sam@example.org", "day": 31, "month": 2, "year": 1980}, "does not exist"),
        ({"email": "sam@example.org", "day": "", "month": 5, "year": 1980}, "day, month and year"),
        ({"email": "sam@example.org", "day": 1, "month": 13, "year": 1980}, "day, month and year"),
        ({"email": "sam@example.org", "day": 1, "month": 1, "year": 2999}, "in the future"),
    ],
)
def test_bad_input_is_refused_next_to_its_field(
    client: Client, fields: dict[str, Any], message: str
) -> None:
    response = client.post("/portal/sign-in/", fields)

    assert response.status_code == 400
    assert message in response.text
    assert mail.outbox == []


def test_asking_for_links_is_limited_per_email_address(client: Client, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.FACETCARE_PORTAL_LINK_RATE = "2/h"
    make_patient(email="sam.taylor@example.org")

    answers = [
        ask_for_link(Client(), email=email).status_code
        for email in ("sam.taylor@example.org", "SAM.TAYLOR@example.org", "sam.taylor@example.org")
    ]

    assert answers == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_a_patient_can_set_a_password_and_sign_in_with_it() -> None:
    account = patient_with_account(email="sam.taylor@example.org", first_name="Sam")
    client = signed_in(account)

    saved = client.post(
        "/portal/account/",
        {"new_password1": "a fine long passphrase", "new_password2": "a fine long passphrase"},
    )
    assert saved.status_code == 302
    assert client.get("/portal/").status_code == 200, "setting a password keeps them signed in"

    fresh = Client()
    response = fresh.post(
        "/portal/sign-in/password/",
        {"email": "SAM.TAYLOR@example.org", "password": "a fine long passphrase"},
    )
    assert response.status_code == 302
    assert "Hello, Sam" in fresh.get("/portal/").text


def test_a_weak_password_is_refused_next_to_the_field() -> None:
    client = signed_in(patient_with_account())

    response = client.post("/portal/account/", {"new_password1": "123", "new_password2": "123"})

    assert response.status_code == 400
    assert "too short" in response.text


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer() -> None:
    account = patient_with_account(email="sam.taylor@example.org")
    account.user.set_password("a fine long passphrase")
    account.user.save()

    wrong = Client().post(
        "/portal/sign-in/password/", {"email": "sam.taylor@example.org", "password": "nope"}
    )
    unknown = Client().post(
        "/portal/sign-in/password/", {"email": "nobody@example.org", "password": "nope"}
    )

    assert wrong.status_code == unknown.status_code == 400
    assert "do not match" in wrong.text
    assert "do not match" in unknown.text


def test_a_patient_without_a_password_cannot_sign_in_with_one() -> None:
    patient_with_account(email="sam.taylor@example.org")

    response = Client().post(
        "/portal/sign-in/password/", {"email": "sam.taylor@example.org", "password": ""}
    )

    assert response.status_code == 400
    assert "Enter your password" in response.text


def test_repeated_wrong_passwords_lock_the_account_for_a_while(settings: Any) -> None:
    account = patient_with_account(email="sam.taylor@example.org")
    account.user.set_password("a fine long passphrase")
    account.user.save()
    tries = [
        Client().post(
            "/portal/sign-in/password/", {"email": "sam.taylor@example.org", "password": "wrong"}
        )
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [t.status_code for t in tries] == [400] * (len(tries) - 1) + [429]
    assert "Too many sign-in attempts" in tries[-1].text

    right = Client().post(
        "/portal/sign-in/password/",
        {"email": "sam.taylor@example.org", "password": "a fine long passphrase"},
    )

    assert right.status_code == 429
    assert "Too many sign-in attempts" in right.text
    assert "Sign in with your password" in right.text, "the portal's page, not the staff one"


def test_setting_a_password_stops_links_already_sent(client: Client) -> None:
    make_patient(email="sam.taylor@example.org")
    ask_for_link(client, email="sam.taylor@example.org")
    [link] = links_in_last_email()
    account = PortalAccount.objects.get()
    account.user.set_password("a fine long passphrase")
    account.user.save()

    assert sign_in_with(client, link).status_code == 410


def test_signing_out_ends_the_session() -> None:
    client = signed_in(patient_with_account())

    response = client.post("/portal/sign-out/")

    assert response["Location"] == "/portal/signed-out/"
    assert client.get("/portal/").status_code == 302


def test_a_visitor_is_sent_to_the_portal_sign_in(client: Client) -> None:
    response = client.get("/portal/programme/")

    assert response.status_code == 302
    assert response["Location"] == "/portal/sign-in/?next=/portal/programme/"


def test_a_staff_user_is_refused_the_patient_pages(client: Client) -> None:
    staff = User.objects.create_user(username="ayla", password="a long staff password 1")
    client.force_login(staff)

    assert client.get("/portal/").status_code == 403


def test_a_signed_in_patient_asking_for_the_sign_in_page_goes_to_today() -> None:
    client = signed_in(patient_with_account())

    assert client.get("/portal/sign-in/")["Location"] == "/portal/"


def test_the_email_names_the_patients_clinic_and_its_phone_as_people_write_it(
    client: Client,
) -> None:
    from tests.portal.test_today import booked_for

    account = patient_with_account(email="sam.taylor@example.org")
    booked_for(account, clinic=make_clinic(name="Riverside Spine Clinic", phone="+442071234567"))

    ask_for_link(client, email="sam.taylor@example.org")

    message = mail.outbox[-1]
    assert isinstance(message, EmailMultiAlternatives)
    assert "Riverside Spine Clinic" in message.body
    assert "020 7123 4567" in message.body
    assert message.reply_to
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert '<html lang="en-GB">' in str(html)
    assert "Sign in to FacetCare</a>" in str(html)
