"""Password lockout (django-axes): per account, per address, the page that says so, unlocking."""

from typing import Any
from unittest import mock

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client

from facetcare.cli import main as cli
from facetcare.web.roles import Role
from tests.web.staff import PASSWORD, make_staff


def facetcare(argv: list[str]) -> int:
    """The ``facetcare`` command in this process. Django's command runner closes every
    database connection when a command ends; on PostgreSQL that would close the
    test's own connection, inside its transaction, so the closing is held off here."""
    with mock.patch("django.db.connections.close_all"):
        return cli(argv)


pytestmark = pytest.mark.django_db


def sign_in(username: str, password: str, address: str = "203.0.113.7") -> Any:
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def fail(username: str, times: int, address: str = "203.0.113.7") -> None:
    """Wrong passwords; the one that reaches a limit is answered with the lockout page."""
    for _ in range(times):
        assert sign_in(username, "wrong password", address).status_code in {200, 429}


def test_after_five_wrong_passwords_the_account_waits_even_for_the_right_one() -> None:
    make_staff("ayla", Role.PHYSIOTHERAPIST)
    fail("ayla", 4)

    fifth = sign_in("ayla", "wrong password")
    right = sign_in("ayla", PASSWORD)

    for response in (fifth, right):
        assert response.status_code == 429
        assert response["Retry-After"] == str(15 * 60)
        page = response.content.decode()
        assert "Sign-in is paused: too many wrong passwords." in page
        assert "Wait 15 minutes, then try again." in page
        assert 'name="password"' in page
    assert "_auth_user_id" not in Client().session


def test_four_wrong_passwords_still_let_the_right_one_in() -> None:
    make_staff("ayla", Role.PHYSIOTHERAPIST)
    fail("ayla", 4)

    response = sign_in("ayla", PASSWORD)

    assert response.status_code == 302


def test_the_lock_holds_for_that_account_from_any_address() -> None:
    make_staff("ayla", Role.PHYSIOTHERAPIST)
    fail("ayla", 5)

    assert sign_in("ayla", PASSWORD, address="198.51.100.20").status_code == 429


def test_one_address_trying_many_accounts_is_locked_at_the_address_limit(settings: Any) -> None:
    settings.FACETCARE_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    make_staff("ben", Role.RECEPTIONIST)
    for name in ("u1", "u2", "u3", "u4"):
        fail(name, 2)  # eight failures, none of them five on one account

    from_there = sign_in("ben", PASSWORD)
    from_elsewhere = sign_in("ben", PASSWORD, address="198.51.100.20")

    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


def test_colleagues_mistyping_behind_one_address_do_not_lock_it_at_five() -> None:
    make_staff("ben", Role.RECEPTIONIST)
    for name in ("u1", "u2", "u3"):
        fail(name, 2)

    assert sign_in("ben", PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account_with_the_facetcare_command() -> None:
    make_staff("ayla", Role.PHYSIOTHERAPIST)
    fail("ayla", 5)
    assert sign_in("ayla", PASSWORD).status_code == 429

    assert facetcare(["axes_reset_username", "ayla"]) == 0

    assert sign_in("ayla", PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_address_with_the_facetcare_command(settings: Any) -> None:
    settings.FACETCARE_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    make_staff("ben", Role.RECEPTIONIST)
    fail("u1", 2)
    fail("u2", 2)
    assert sign_in("ben", PASSWORD).status_code == 429

    assert facetcare(["axes_reset_ip", "203.0.113.7"]) == 0

    assert sign_in("ben", PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account_by_deleting_its_attempts_in_the_admin() -> None:
    admin = make_staff("root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    make_staff("ayla", Role.PHYSIOTHERAPIST)
    fail("ayla", 5)
    assert sign_in("ayla", PASSWORD).status_code == 429
    browser = Client(REMOTE_ADDR="198.51.100.1")
    browser.force_login(admin)
    attempt = AccessAttempt.objects.get(username="ayla")

    response = browser.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert sign_in("ayla", PASSWORD).status_code == 302


def test_attempts_are_logged_with_account_and_address() -> None:
    make_staff("ayla", Role.PHYSIOTHERAPIST)
    fail("ayla", 2)
    sign_in("ayla", PASSWORD)

    failures = AccessFailureLog.objects.filter(username="ayla", ip_address="203.0.113.7")
    assert failures.count() == 2
    assert AccessLog.objects.filter(username="ayla", ip_address="203.0.113.7").count() == 1
