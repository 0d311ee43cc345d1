"""The one NinjaAPI. Each app contributes a router; domain errors map to HTTP here."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from facetcare.config.api_errors import install_error_handlers
from facetcare.config.throttling import API_THROTTLES


class _OffsetEncoder(NinjaJSONEncoder):
    """Date-times keep the offset they were given in, as ``isoformat`` writes it.

    Django's encoder writes a zero offset as ``Z`` (and drops microseconds), so a
    slot in London in winter, given in the clinic's zone, would read as UTC.
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class _Renderer(JSONRenderer):
    encoder_class = _OffsetEncoder


api = NinjaAPI(
    title="FacetCare API",
    version="1",
    description="Clinics, availability, bookings and clinical decision support.",
    urls_namespace="api",
    renderer=_Renderer(),
    # Per staff token, and per client address for calls without one (429 + Retry-After).
    throttle=API_THROTTLES,
)
install_error_handlers(api)


@api.exception_handler(Throttled)
def _on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # Ninja adds the Retry-After header itself from the same wait.
    wait = f" Try again in {exc.wait:.0f} seconds." if exc.wait else ""
    body = {"error": "rate_limited", "detail": f"Too many requests.{wait}"}
    return api.create_response(request, body, status=429)


def _mount_routers() -> None:
    from facetcare.booking.api import router as booking_router

    api.add_router("", booking_router)
    api.add_router("", "facetcare.pathway.policy_api.router")
    api.add_router("", "facetcare.pathway.api.router")


_mount_routers()
