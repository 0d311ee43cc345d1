"""What every public page shares: per-client rate limits, and domain errors as HTTP pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from facetcare.errors import NotFound
from facetcare.web.rate_limits import limit_per_client

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """Rate-limit ``view`` per client address (reads and writes counted apart, across
    all public booking pages; see ``web.rate_limits``) and answer a selector's NotFound
    with a 404 page that leads back to the clinic list.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            context = {"detail": error.detail}
            return render(request, "public/pages/not_found.html", context, status=404)

    return limit_per_client("facetcare.public")(wrapped)
