"""The one NinjaAPI. Each app contributes a router; domain errors map to HTTP here."""

from datetime import datetime
from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from facetcare.config.api_errors import install_error_handlers


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
)
install_error_handlers(api)


def _mount_routers() -> None:
    from facetcare.booking.api import router as booking_router

    api.add_router("", booking_router)
    api.add_router("", "facetcare.pathway.policy_api.router")
    api.add_router("", "facetcare.pathway.api.router")


_mount_routers()
