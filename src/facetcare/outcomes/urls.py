from django.urls import path

from facetcare.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("clinic/", views.clinic, name="clinic"),
    path("patients/<int:patient_id>/", views.patient_outcomes, name="patient"),
    path("patients/<int:patient_id>/scores/", views.record_score, name="record_score"),
    path("procedures/<int:procedure_id>/confirm/", views.confirm, name="confirm"),
    path("procedures/<int:procedure_id>/derive/", views.derive, name="derive"),
    path("procedures/<int:procedure_id>/follow-up/", views.start_follow_up, name="follow_up"),
]
