"""What every public page shares: per-client rate limits, and domain errors as HTTP pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit

from facetcare.errors import NotFound

View = Callable[..., HttpResponse]
READ_GROUP = "facetcare.public.read"
WRITE_GROUP = "facetcare.public.write"
READS = ["GET", "HEAD"]


def _read_rate(group: str, request: HttpRequest) -> str:
    return str(settings.FACETCARE_PUBLIC_RATE)


def _write_rate(group: str, request: HttpRequest) -> str:
    return str(settings.FACETCARE_PUBLIC_WRITE_RATE)


def public_page(view: View) -> View:
    """Rate-limit ``view`` per client address (reads and writes counted apart, across
    all public pages) and answer a selector's NotFound with a 404 page that leads
    back to the clinic list.

    A limited client gets the 429 page (``settings.RATELIMIT_VIEW``).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            context = {"detail": error.detail}
            return render(request, "public/pages/not_found.html", context, status=404)

    writes = ratelimit(group=WRITE_GROUP, key="ip", rate=_write_rate, method="POST", block=True)
    reads = ratelimit(group=READ_GROUP, key="ip", rate=_read_rate, method=READS, block=True)
    return cast(View, reads(writes(wrapped)))
