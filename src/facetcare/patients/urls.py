from django.urls import path

from facetcare.patients import views

app_name = "patients"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:patient_id>/", views.detail, name="detail"),
]
