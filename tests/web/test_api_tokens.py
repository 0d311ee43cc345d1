"""Staff API tokens: issued through the admin or the CLI, key shown once, revocable."""

import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import Client

from facetcare.errors import InvalidInput
from facetcare.web.models import ApiToken
from facetcare.web.roles import Role
from facetcare.web.services import issue_api_token, revoke_api_token
from tests.factories import make_staff

# A staff-only endpoint: 401 without a working token, 404 with one (no such patient).
EPISODES = "/api/v1/patients/1/episodes"
LET_IN = 404
KEY = re.compile(r"fct_[A-Za-z0-9_-]{43}")


def api_status(client: Client, raw: str) -> int:
    response = client.get(EPISODES, headers={"Authorization": f"Bearer {raw}"})
    return int(response.status_code)


def person(username: str, role: Role | None) -> User:
    user = User.objects.create_user(username=username, password="not-used-in-tests-123")
    if role is not None:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


def test_an_issued_key_works_and_only_its_hash_is_stored(client: Client, db: None) -> None:
    token, raw = issue_api_token(user=person("rita", Role.RECEPTIONIST), name="  phone system ")

    assert KEY.fullmatch(raw)
    assert token.name == "phone system"
    assert raw not in str(list(ApiToken.objects.values_list()))
    assert api_status(client, raw) == LET_IN


def test_a_revoked_key_stops_working(client: Client, db: None) -> None:
    user, raw = make_staff()
    assert api_status(client, raw) == LET_IN

    revoke_api_token(token=ApiToken.objects.get(user=user))

    assert api_status(client, raw) == 401
    assert ApiToken.objects.get(user=user).revoked


@pytest.mark.parametrize(
    ("role", "name", "field"),
    [(None, "x", "user"), (Role.REFERRER, "x", "user"), (Role.RECEPTIONIST, "  ", "name")],
)
def test_a_token_is_refused_to_non_staff_or_without_a_name(
    db: None, role: Role | None, name: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue_api_token(user=person("sam", role), name=name)

    assert refused.value.field == field
    assert not ApiToken.objects.exists()


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "pw-123-long"))
    return client


def test_the_admin_issues_a_token_and_shows_its_key_once(
    admin_client: Client, client: Client
) -> None:
    rita = person("rita", Role.RECEPTIONIST)

    response = admin_client.post(
        "/admin/web/apitoken/add/", {"user": rita.pk, "name": "phone system"}, follow=True
    )

    shown = KEY.findall(response.content.decode())
    assert len(shown) == 1
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.revoked) == (rita, "phone system", False)
    assert api_status(Client(), shown[0]) == LET_IN
    page = admin_client.get(f"/admin/web/apitoken/{token.pk}/change/").content.decode()
    assert not KEY.search(page)
    assert 'name="_save"' not in page  # viewed, never edited


def test_the_admin_refuses_a_token_for_a_referrer_naming_the_field(admin_client: Client) -> None:
    referrer = person("dr-gp", Role.REFERRER)

    response = admin_client.post("/admin/web/apitoken/add/", {"user": referrer.pk, "name": "x"})

    assert response.status_code == 200
    assert "only for active clinic staff" in response.context["adminform"].form.errors["user"][0]
    assert not ApiToken.objects.exists()


def test_the_admin_revokes_the_selected_tokens(admin_client: Client) -> None:
    (first, raw), (second, _) = make_staff(), make_staff()

    admin_client.post(
        "/admin/web/apitoken/",
        {
            "action": "revoke",
            "_selected_action": [ApiToken.objects.get(user=first).pk],
        },
    )

    assert ApiToken.objects.get(user=first).revoked
    assert not ApiToken.objects.get(user=second).revoked
    assert api_status(Client(), raw) == 401


def test_the_cli_issues_and_revokes(client: Client, db: None) -> None:
    person("rita", Role.RECEPTIONIST)
    out = io.StringIO()

    call_command(
        "apitoken", "issue", "rita", "--name", "phone system", stdout=out, stderr=io.StringIO()
    )

    raw = out.getvalue().strip()
    assert KEY.fullmatch(raw)
    assert api_status(client, raw) == LET_IN
    call_command("apitoken", "revoke", str(ApiToken.objects.get().pk), stdout=io.StringIO())
    assert api_status(client, raw) == 401


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["issue", "nobody", "--name", "x"], "username: no user called 'nobody'"),
        (["issue", "gp", "--name", "x"], "user: API tokens are only for active clinic staff"),
        (["revoke", "999"], "token_id: no token 999"),
    ],
)
def test_the_cli_names_what_is_wrong(db: None, args: list[str], message: str) -> None:
    person("gp", Role.REFERRER)

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("apitoken", *args, stdout=io.StringIO())
    assert not ApiToken.objects.exists()
