"""A request id on every request, its response and every log line written while it runs.

A proxy or load balancer that already gave the request an id (``X-Request-ID``)
has it kept, so one id follows the request through every tier; anything else
gets a fresh uuid4. The id rides on a context variable, which a logging filter
copies onto each record, so no call has to pass it along. It is set by the
first middleware and cleared when the server closes the response
(``request_finished``), not when the middleware returns: Django logs a 4xx or
5xx response after the whole middleware stack has returned, and a streamed
response is written after that too.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
NO_REQUEST = "-"
# Letters, digits and a few separators, at most 128 characters: enough for a
# uuid, a trace id or an AWS "Root=1-..." id, and nothing that could forge a log line.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=-]{0,127}")

_current: ContextVar[str] = ContextVar("facetcare_request_id", default=NO_REQUEST)
_requests = logging.getLogger("facetcare.request")


def current_request_id() -> str:
    """The id of the request being handled on this thread, or "-" outside one."""
    return _current.get()


def request_id_for(incoming: str | None) -> str:
    """``incoming`` when it is a sane id, else a new uuid4 in hex."""
    if incoming and _SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the id first thing, answers with it, and logs one line per request (INFO)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request.headers.get(HEADER))
        _current.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = request_id
        if _requests.isEnabledFor(logging.INFO):
            elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
            _requests.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                elapsed_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": elapsed_ms,
                },
            )
        return response


def forget_request_id(**kwargs: object) -> None:
    """``request_finished`` receiver: what this thread logs next belongs to no request."""
    _current.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record a handler sees (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
