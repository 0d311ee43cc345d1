from django.contrib import admin
from django.urls import include, path

from facetcare.config.api import api
from facetcare.config.env import env_bool
from facetcare.operations import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("patients/", include("facetcare.patients.urls")),
    path("pathway/", include("facetcare.pathway.urls")),
    path("rehab/", include("facetcare.rehab.urls")),
    path("audit/", include("facetcare.audit.urls")),
    path("diary/", include("facetcare.diary.urls")),
    path("waitlist/", include("facetcare.waitlist.urls")),
    path("outcomes/", include("facetcare.outcomes.urls")),
    path("portal/", include("facetcare.portal.urls")),
    path("", include("facetcare.booking.urls")),
    path("", include("facetcare.public.urls")),
    path("", include("facetcare.web.urls")),
]
if env_bool("FACETCARE_BENCH_VIEWS", default=False):
    # The benchmark's reference views; only its own gunicorn sets this.
    urlpatterns.append(path("bench/", include("facetcare.bench.urls")))
