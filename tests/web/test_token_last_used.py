"""A bearer token's last use is recorded to the minute, not written on every call."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from facetcare.web.auth import user_for_token
from facetcare.web.models import ApiToken
from tests.factories import make_staff


def test_the_first_use_of_a_token_is_recorded(db: None) -> None:
    user, raw = make_staff()

    assert user_for_token(raw) == user

    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_a_second_use_within_a_minute_writes_nothing(db: None) -> None:
    user, raw = make_staff()
    user_for_token(raw)
    first = ApiToken.objects.get(user=user).last_used_at

    with CaptureQueriesContext(connection) as queries:
        user_for_token(raw)

    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
    assert ApiToken.objects.get(user=user).last_used_at == first


def test_a_use_a_minute_later_is_recorded_again(db: None) -> None:
    user, raw = make_staff()
    user_for_token(raw)
    token = ApiToken.objects.get(user=user)
    assert token.last_used_at is not None
    earlier = token.last_used_at - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)

    user_for_token(raw)

    later = ApiToken.objects.get(pk=token.pk).last_used_at
    assert later is not None
    assert later > earlier
