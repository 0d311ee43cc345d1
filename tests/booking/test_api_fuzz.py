"""Whatever a client sends, the API never answers with a server error.

Schemathesis reads the live OpenAPI document and generates valid and invalid
requests for every operation against the WSGI application, over a seeded
one-clinic world with a booking to manage. Each case runs twice: anonymously,
and with the bearer token of a member of staff who holds every clinical role,
so the handlers behind the authentication check are fuzzed too.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from facetcare.web.roles import Role
from tests.booking.conftest import NOW, World
from tests.factories import book, local, make_staff

# The document is generated from the routes alone; reading it needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def seeded(world: World) -> Iterator[str]:
    """Yields the raw bearer token of a consultant who is also a manager and physio."""
    book(
        service=world.service,
        clinic=world.clinic,
        practitioner=world.practitioner,
        start=local(NOW.date(), 10),
        now=NOW,
    )
    staff, token = make_staff(Role.CONSULTANT)
    for role in (Role.MANAGER, Role.PHYSIOTHERAPIST):
        staff.groups.add(Group.objects.get_or_create(name=role.value)[0])
    # Django closes the connection around each request, which would end the
    # test's transaction; its own test client suspends this the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield token
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.parametrize("as_staff", [False, True], ids=["anonymous", "staff"])
def test_no_request_makes_the_api_answer_with_a_server_error(
    seeded: str, as_staff: bool, case: schemathesis.Case
) -> None:
    headers = {"Authorization": f"Bearer {seeded}"} if as_staff else {}
    case.call_and_validate(headers=headers, checks=[not_a_server_error])
