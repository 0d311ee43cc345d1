from django.contrib import admin
from django.urls import include, path

from facetcare.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("patients/", include("facetcare.patients.urls")),
    path("pathway/", include("facetcare.pathway.urls")),
    path("audit/", include("facetcare.audit.urls")),
    path("diary/", include("facetcare.diary.urls")),
    path("waitlist/", include("facetcare.waitlist.urls")),
    path("", include("facetcare.booking.urls")),
    path("", include("facetcare.public.urls")),
    path("", include("facetcare.web.urls")),
]
