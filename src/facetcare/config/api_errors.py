"""Map domain errors and request validation errors to JSON responses, in one place."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from facetcare.errors import DomainError


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "payload")]
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        body: dict[str, Any] = {"error": exc.code, "detail": exc.detail}
        if exc.field:
            body["fields"] = {exc.field: exc.detail}
        return api.create_response(request, body, status=exc.http_status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, str] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), str(error.get("msg", "invalid")))
        detail = "; ".join(f"{name}: {message}" for name, message in fields.items())
        return api.create_response(
            request, {"error": "invalid", "detail": detail, "fields": fields}, status=422
        )

    # Ninja reads request.body itself; without this Django would answer an
    # oversized body with a bare 400 page.
    @api.exception_handler(RequestDataTooBig)
    def on_body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        detail = f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes"
        return api.create_response(request, {"error": "too_large", "detail": detail}, status=413)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"error": "unauthorised", "detail": "A valid token is required"}, status=401
        )
