"""Production checks of FacetCare's own security settings (``facetcare check --deploy``)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

LOCAL_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"


@register(Tags.security, deploy=True)
def check_sign_in_security(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if settings.FACETCARE_REQUIRE_2FA == "off":
        found.append(
            Warning(
                "Two-factor sign-in is not required for anyone.",
                hint="Set FACETCARE_REQUIRE_2FA=clinical (clinical roles and the admin site) "
                "or all.",
                id="facetcare.W001",
            )
        )
    if settings.CACHES["default"]["BACKEND"] == LOCAL_MEMORY_CACHE:
        found.append(
            Warning(
                "Rate-limit counters are kept in each process's memory, so every worker "
                "allows the full rate.",
                hint="Point FACETCARE_CACHE_URL at Redis, shared by every worker.",
                id="facetcare.W002",
            )
        )
    if settings.FACETCARE_IDLE_TIMEOUT_MINUTES <= 0:
        found.append(
            Warning(
                "Staff sessions never expire after inactivity.",
                hint="Set FACETCARE_IDLE_TIMEOUT_MINUTES (30 by default).",
                id="facetcare.W003",
            )
        )
    return found
