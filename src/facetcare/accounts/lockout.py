"""Password lockout (django-axes): per account after a few failures, per address after more.

Axes counts failed sign-ins per username and per client address and refuses a
sign-in once either count reaches ``AXES_FAILURE_LIMIT`` within the cool-off
period. One limit for both would lock a whole clinic out when a few colleagues
behind the same address mistype; so the address count is held to its own, larger
limit (``FACETCARE_LOGIN_ADDRESS_FAILURE_LIMIT``), which still stops one address
trying passwords across many accounts.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


# axes ships no type hints, so mypy sees its handler as Any.
class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler (attempts and the access log are kept in the database),
    with the address count scaled so that it reaches the account limit exactly when
    the address limit is reached."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        account_limit = settings.AXES_FAILURE_LIMIT
        address_limit = settings.FACETCARE_LOGIN_ADDRESS_FAILURE_LIMIT
        counts = [0]
        for parameter, rows in zip(parameters, attempts, strict=True):
            failures = rows.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                failures = failures * account_limit // address_limit
            counts.append(failures)
        return max(counts)
