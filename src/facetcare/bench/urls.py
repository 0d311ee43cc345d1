"""Routes of the benchmark's reference views (``views``); included only when
``FACETCARE_BENCH_VIEWS`` is on (``config/urls.py``)."""

from django.urls import path

from facetcare.bench import views

urlpatterns = [
    path("reference/booking", views.reference_booking, name="bench-reference-booking"),
    path("reference/page", views.reference_page, name="bench-reference-page"),
]
