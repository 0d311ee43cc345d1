"""Per-client rate limits for the pages anyone may open without an account: the booking
pages, a booking's manage link, the waiting list.

Each area counts in its own group, reads and writes apart: every GET and HEAD
against ``FACETCARE_PUBLIC_RATE``, every POST against the tighter
``FACETCARE_PUBLIC_WRITE_RATE``, per client address. A limited client gets the
429 page (``settings.RATELIMIT_VIEW``, ``facetcare.web.views.rate_limited``).
"""

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.decorators import ratelimit

View = Callable[..., HttpResponse]
READS = ["GET", "HEAD"]


def _read_rate(group: str, request: HttpRequest) -> str:
    return str(settings.FACETCARE_PUBLIC_RATE)


def _write_rate(group: str, request: HttpRequest) -> str:
    return str(settings.FACETCARE_PUBLIC_WRITE_RATE)


def limit_per_client(group: str) -> Callable[[View], View]:
    """Rate-limit a view per client address, its reads and writes counted apart in
    ``group`` (``<group>.read``, ``<group>.write``). The rates are read on each request,
    so a test or a changed setting takes effect at once."""

    def decorate(view: View) -> View:
        writes = ratelimit(
            group=f"{group}.write", key="ip", rate=_write_rate, method="POST", block=True
        )
        reads = ratelimit(
            group=f"{group}.read", key="ip", rate=_read_rate, method=READS, block=True
        )
        return cast(View, reads(writes(view)))

    return decorate
