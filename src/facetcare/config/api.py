"""The one NinjaAPI. Each app contributes a router; domain errors map to HTTP here."""

from ninja import NinjaAPI

from facetcare.config.api_errors import install_error_handlers

api = NinjaAPI(
    title="FacetCare API",
    version="1",
    description="Clinics, availability, bookings and clinical decision support.",
    urls_namespace="api",
)
install_error_handlers(api)


def _mount_routers() -> None:
    from facetcare.booking.api import router as booking_router

    api.add_router("", booking_router)
    api.add_router("", "facetcare.pathway.policy_api.router")
    api.add_router("", "facetcare.pathway.api.router")


_mount_routers()
