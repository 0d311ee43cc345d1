"""The client's address, for rate limits and sign-in lockout.

Directly on the internet it is ``REMOTE_ADDR``. Behind ``FACETCARE_PROXY_COUNT``
trusted reverse proxies, ``REMOTE_ADDR`` is the nearest proxy's, and each proxy
appends the address it saw to ``X-Forwarded-For``; the client is the entry that
many places from the right. Entries further left were written by the client and
are not trusted.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies: int = settings.FACETCARE_PROXY_COUNT
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
