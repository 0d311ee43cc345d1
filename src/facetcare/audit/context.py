"""The request path that clinical-record accesses are logged against.

Selectors and services take the acting user explicitly; the path is context, not
a parameter every call must thread through, so it rides on a context variable
set once per request by ``AccessPathMiddleware``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_current_path: ContextVar[str] = ContextVar("facetcare_access_path", default="")


def current_path() -> str:
    return _current_path.get()


@contextmanager
def access_path(path: str) -> Iterator[None]:
    token = _current_path.set(path[:300])
    try:
        yield
    finally:
        _current_path.reset(token)


class AccessPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with access_path(request.path):
            return self.get_response(request)
