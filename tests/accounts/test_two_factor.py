"""Two-factor sign-in: who must give a code, enrolment, the code step, recovery codes."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from facetcare.web.roles import Role
from tests.accounts.support import code_for, enrol, sign_in_with_password
from tests.web.staff import make_staff

pytestmark = pytest.mark.django_db

ENROL = "/account/two-factor/set-up/"
VERIFY = "/account/two-factor/code/"


def let_the_wait_pass(device: TOTPDevice) -> None:
    """After a wrong code the device makes the user wait a second; move that into the past."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1)
    )


@pytest.fixture
def required(settings: Any) -> None:
    settings.FACETCARE_REQUIRE_2FA = "clinical"


def test_a_clinician_with_only_a_password_cannot_open_a_staff_page(
    client: Client, required: None
) -> None:
    make_staff("ayla", Role.PHYSIOTHERAPIST)

    sign_in_with_password(client, "ayla")
    response = client.get("/patients/")

    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fpatients%2F"
    assert client.get("/").status_code == 302


def test_with_a_code_from_their_authenticator_the_clinician_gets_in(
    client: Client, required: None
) -> None:
    device, _ = enrol(make_staff("ayla", Role.PHYSIOTHERAPIST))
    sign_in_with_password(client, "ayla")
    assert client.get("/patients/")["Location"] == f"{VERIFY}?next=%2Fpatients%2F"

    response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "/patients/"})

    assert response.status_code == 302
    assert response["Location"] == "/patients/"
    assert client.get("/patients/").status_code == 200


def test_a_wrong_code_is_refused_next_to_the_field(client: Client, required: None) -> None:
    device, _ = enrol(make_staff("ayla", Role.PHYSIOTHERAPIST))
    sign_in_with_password(client, "ayla")
    wrong = f"{(int(code_for(device, steps_ahead=1)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get("/patients/").status_code == 302


def test_after_wrong_codes_the_user_must_wait(client: Client, required: None) -> None:
    make_staff("ayla", Role.PHYSIOTHERAPIST)
    enrol(make_staff("ben", Role.CONSULTANT))
    sign_in_with_password(client, "ben")

    client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": "000001"})

    assert response.status_code == 400
    assert "Too many wrong codes. Wait" in response.content.decode()


def test_a_receptionist_is_not_asked_for_a_code_when_only_clinicians_must(
    client: Client, required: None
) -> None:
    make_staff("cara", Role.RECEPTIONIST)

    sign_in_with_password(client, "cara")

    assert client.get("/patients/").status_code == 200


def test_someone_who_set_up_an_app_is_asked_for_a_code_even_when_none_is_required(
    client: Client, settings: Any
) -> None:
    settings.FACETCARE_REQUIRE_2FA = "off"
    enrol(make_staff("cara", Role.RECEPTIONIST))

    sign_in_with_password(client, "cara")

    assert client.get("/patients/")["Location"].startswith(VERIFY)


def test_with_the_requirement_off_a_clinician_signs_in_with_a_password(
    client: Client, settings: Any
) -> None:
    settings.FACETCARE_REQUIRE_2FA = "off"
    make_staff("ayla", Role.PHYSIOTHERAPIST)

    sign_in_with_password(client, "ayla")

    assert client.get("/patients/").status_code == 200


def test_enrolment_confirms_the_app_only_with_a_code_from_it(
    client: Client, required: None
) -> None:
    user = make_staff("ayla", Role.PHYSIOTHERAPIST)
    sign_in_with_password(client, "ayla")

    page = client.get(ENROL, {"next": "/patients/"})
    device = TOTPDevice.objects.get(user=user)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    refused = client.post(ENROL, {"code": "123456"})
    device.refresh_from_db()
    assert refused.status_code == 400
    assert not device.confirmed
    let_the_wait_pass(device)

    confirmed = client.post(ENROL, {"code": code_for(device), "next": "/patients/"})

    device.refresh_from_db()
    assert device.confirmed
    assert confirmed["Location"] == "/account/two-factor/recovery-codes/?next=%2Fpatients%2F"
    assert client.get("/patients/").status_code == 200


def test_the_key_shown_beside_the_qr_code_is_the_devices(client: Client, required: None) -> None:
    user = make_staff("ayla", Role.PHYSIOTHERAPIST)
    sign_in_with_password(client, "ayla")

    html = client.get(ENROL).content.decode()

    device = TOTPDevice.objects.get(user=user)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    shown = html.split('id="totp-secret">')[1].split("<")[0]
    assert shown.replace(" ", "") == secret


def test_recovery_codes_are_shown_once(client: Client, required: None) -> None:
    user = make_staff("ayla", Role.PHYSIOTHERAPIST)
    sign_in_with_password(client, "ayla")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    client.post(ENROL, {"code": code_for(device)})
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))

    first = client.get("/account/two-factor/recovery-codes/").content.decode()
    second = client.get("/account/two-factor/recovery-codes/").content.decode()

    assert len(codes) == 10
    assert all(code in first for code in codes)
    assert not any(code in second for code in codes)
    assert "Make new recovery codes" in second


def test_a_recovery_code_works_once(required: None) -> None:
    _, codes = enrol(make_staff("ayla", Role.PHYSIOTHERAPIST))
    first, second = Client(), Client()
    sign_in_with_password(first, "ayla")
    sign_in_with_password(second, "ayla")

    used = first.post(VERIFY, {"code": codes[0].upper()})
    reused = second.post(VERIFY, {"code": codes[0]})

    assert used.status_code == 302
    assert first.get("/patients/").status_code == 200
    assert reused.status_code == 400
    assert second.get("/patients/").status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()


def test_new_recovery_codes_replace_the_old_ones(client: Client, required: None) -> None:
    device, old = enrol(make_staff("ayla", Role.PHYSIOTHERAPIST))
    sign_in_with_password(client, "ayla")
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})

    client.post("/account/two-factor/recovery-codes/")
    page = client.get("/account/two-factor/recovery-codes/").content.decode()

    new = list(StaticToken.objects.filter(device__user=device.user).values_list("token", flat=True))
    assert len(new) == 10
    assert not set(new) & set(old)
    assert all(code in page for code in new)


def test_a_stolen_password_cannot_set_up_another_authenticator(
    client: Client, required: None
) -> None:
    device, _ = enrol(make_staff("ayla", Role.PHYSIOTHERAPIST))
    sign_in_with_password(client, "ayla")

    page = client.get(ENROL, {"replace": "1"})
    posted = client.post(ENROL, {"code": "123456"})
    codes = client.post("/account/two-factor/recovery-codes/")

    for response in (page, posted, codes):
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=device.user)) == [device]


def test_the_admin_site_needs_a_code_when_two_factor_is_required(
    client: Client, required: None
) -> None:
    manager = make_staff("dana", Role.MANAGER)
    manager.is_staff = True
    manager.save()
    sign_in_with_password(client, "dana")
    assert client.get("/patients/").status_code == 200
    assert client.get("/admin/")["Location"] == f"{ENROL}?next=%2Fadmin%2F"

    client.get(ENROL)
    client.post(ENROL, {"code": code_for(TOTPDevice.objects.get(user=manager))})

    assert client.get("/admin/").status_code == 200


def test_the_admin_site_needs_no_code_when_the_requirement_is_off(
    client: Client, settings: Any
) -> None:
    settings.FACETCARE_REQUIRE_2FA = "off"
    manager = make_staff("dana", Role.MANAGER)
    manager.is_staff = True
    manager.save()

    sign_in_with_password(client, "dana")

    assert client.get("/admin/").status_code == 200


def test_the_code_step_returns_only_to_a_page_on_this_site(client: Client, required: None) -> None:
    device, _ = enrol(make_staff("ayla", Role.PHYSIOTHERAPIST))
    sign_in_with_password(client, "ayla")

    response = client.post(
        VERIFY, {"code": code_for(device, steps_ahead=1), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_every_staff_user_must_enrol_when_all_are_required(client: Client, settings: Any) -> None:
    settings.FACETCARE_REQUIRE_2FA = "all"
    make_staff("cara", Role.RECEPTIONIST)

    sign_in_with_password(client, "cara")

    assert client.get("/")["Location"].startswith(ENROL)


def test_the_session_gets_a_new_key_when_the_code_is_accepted(
    client: Client, required: None
) -> None:
    device, _ = enrol(make_staff("ayla", Role.PHYSIOTHERAPIST))
    sign_in_with_password(client, "ayla")
    before_code = client.cookies["sessionid"].value

    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})

    assert client.cookies["sessionid"].value != before_code
    stale = Client()
    stale.cookies["sessionid"] = before_code
    assert stale.get("/patients/").status_code == 302


def test_the_header_offers_staff_pages_only_once_the_code_is_given(client: Client) -> None:
    device, _ = enrol(make_staff("ayla", Role.RECEPTIONIST))
    sign_in_with_password(client, "ayla")

    half_way = client.get(VERIFY).content.decode()
    assert 'href="/diary/"' not in half_way
    assert "Sign out" in half_way

    client.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "/patients/"})
    signed_in = client.get("/patients/").content.decode()
    assert 'href="/diary/"' in signed_in
    assert 'href="/waitlist/"' in signed_in
    assert 'href="/account/two-factor/"' in signed_in
