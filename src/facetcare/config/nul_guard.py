"""Refuse API input that carries NUL characters, naming the field.

PostgreSQL text cannot hold U+0000, so such a value would fail deep inside a
save with a server error; Django's form fields refuse it for the pages, and this
does the same for every API field, in one place, before any handler runs.
"""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import HttpHeaders

MESSAGE = "must not contain NUL characters"


def _nul_path(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return (*path, key.replace("\x00", ""))
        found = _nul_path(item, (*path, str(key)))
        if found is not None:
            return found
    return None


def _field_in_query_or_headers(request: HttpRequest) -> str | None:
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "") or "query"
    # The raw environ, not ``request.headers``, which would rebuild every name.
    for key, value in request.META.items():
        if isinstance(value, str) and "\x00" in value:
            name = HttpHeaders.parse_header_name(key)
            if name is not None:
                return name
    return None


def _field_in_body(request: HttpRequest) -> str | None:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or not 0 < int(length) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return None  # no body, or one the API refuses (413) or cannot read
    body = request.body
    if b"\\u0000" not in body and b"\x00" not in body:
        return None
    try:
        path = _nul_path(json.loads(body), ())
    except ValueError:
        return "body"
    return ".".join(path) if path else None


class RejectNulCharactersMiddleware:
    """For ``/api/`` requests: 422 naming the first field holding a NUL character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            field = _field_in_query_or_headers(request) or _field_in_body(request)
            if field is not None:
                return JsonResponse(
                    {
                        "error": "invalid",
                        "detail": f"{field}: {MESSAGE}",
                        "fields": {field: MESSAGE},
                    },
                    status=422,
                )
        return self.get_response(request)
