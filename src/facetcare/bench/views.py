"""Reference views the benchmark measures the API and the pages against.

They run in the same gunicorn, behind the same middleware, as the real
endpoints, and do the least a Django view can do for the same job, so the
ratio between a real endpoint and its reference is what FacetCare's own code
costs on top of Django, the server and the database:

- ``reference_booking``: one read and one insert into ``bench_reference``, a
  table with an exclusion constraint as the appointments have (``create_table``),
  and a 201 with the new id; a clash is a 409.
- ``reference_page``: a small constant HTML page, no template, no query.

They are routed only when ``FACETCARE_BENCH_VIEWS`` is on in the server's
environment (``config/urls.py``), which only the benchmark's own gunicorn sets.
"""

import json
from datetime import datetime

from django.db import IntegrityError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

_EXCLUSION_VIOLATION = "23P01"

# PostgreSQL: a range column and the same kind of GiST exclusion constraint that
# keeps a practitioner from being booked twice (btree_gist comes with the
# booking migrations). SQLite has neither, so there it is a plain table and a
# unique start, which still makes the insert check something.
_CREATE = {
    "postgresql": (
        "CREATE TABLE bench_reference (id bigserial PRIMARY KEY, resource integer NOT NULL, "
        "during tstzrange NOT NULL, "
        "EXCLUDE USING gist (resource WITH =, during WITH &&))"
    ),
    "sqlite": (
        "CREATE TABLE bench_reference (id integer PRIMARY KEY AUTOINCREMENT, "
        "resource integer NOT NULL, starts text NOT NULL, ends text NOT NULL, "
        "UNIQUE (resource, starts))"
    ),
}
_READ = {
    "postgresql": (
        "SELECT id FROM bench_reference WHERE resource = %s AND during && tstzrange(%s, %s)"
    ),
    "sqlite": "SELECT id FROM bench_reference WHERE resource = %s AND ends > %s AND starts < %s",
}
_INSERT = {
    "postgresql": "INSERT INTO bench_reference (resource, during) VALUES (%s, tstzrange(%s, %s)) "
    "RETURNING id",
    "sqlite": (
        "INSERT INTO bench_reference (resource, starts, ends) VALUES (%s, %s, %s) RETURNING id"
    ),
}
PAGE = (
    b'<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
    b"<title>Reference page</title></head><body><main><h1>Reference page</h1>"
    b"<p>A constant page: what serving any page costs before the page's own work.</p>"
    b"</main></body></html>"
)


def create_table() -> None:
    """(Re)create the empty reference table on the default database."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_reference")
        cursor.execute(_CREATE[connection.vendor])


@csrf_exempt  # a JSON endpoint for the load generator, as the API's bearer-token calls are
@require_POST
def reference_booking(request: HttpRequest) -> HttpResponse:
    """Body ``{"resource": int, "start": iso, "end": iso}``: 201 ``{"id": ...}``, or 409
    when the span overlaps one already held for that resource."""
    body = json.loads(request.body)
    resource = int(body["resource"])
    start, end = datetime.fromisoformat(body["start"]), datetime.fromisoformat(body["end"])
    vendor = connection.vendor
    # SQLite keeps the instants as ISO text, which sorts as time does in one zone.
    bounds = [start, end] if vendor == "postgresql" else [start.isoformat(), end.isoformat()]
    with connection.cursor() as cursor:
        cursor.execute(_READ[vendor], [resource, *bounds])
        if cursor.fetchone() is not None:
            return JsonResponse({"detail": "taken"}, status=409)
        try:
            cursor.execute(_INSERT[vendor], [resource, *bounds])
        except IntegrityError as error:
            if getattr(error.__cause__, "sqlstate", _EXCLUSION_VIOLATION) != _EXCLUSION_VIOLATION:
                raise
            return JsonResponse({"detail": "taken"}, status=409)
        (new_id,) = cursor.fetchone()
    return JsonResponse({"id": new_id}, status=201)


@require_GET
def reference_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)
