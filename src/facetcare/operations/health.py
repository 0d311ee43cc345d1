"""``/healthz`` and ``/readyz`` for a load balancer or an orchestrator.

``/healthz`` says the process is up and answers requests (no database call, so
a database outage does not get every server restarted). ``/readyz`` says it can
serve: 200 with each check, or 503 naming what failed, so the balancer sends no
traffic to it until it recovers. Neither needs a login or counts against a rate
limit, and ``HealthCheckMiddleware`` answers both before the rest of the stack,
so a probe that reaches the server by address, or over plain HTTP behind a
TLS-terminating proxy, is not refused by the host check or redirected to HTTPS.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from facetcare.operations.readiness import run_checks


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    checks = run_checks()
    failed = [check.name for check in checks if not check.ok]
    body = {
        "status": "fail" if failed else "ok",
        "failed": failed,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JsonResponse(body, status=503 if failed else 200)


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
}


class HealthCheckMiddleware:
    """Answers the two probe paths itself; every other request goes on down the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        return probe(request) if probe is not None else self.get_response(request)
