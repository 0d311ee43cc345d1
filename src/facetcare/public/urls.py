from django.urls import URLPattern, URLResolver, path

from facetcare.public import views

app_name = "public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("clinics/", views.clinic_list, name="clinics"),
    path("book/", views.clinic_list, {"booking": True}, name="book"),
    path("booked/<str:token>/", views.booked, name="booked"),
    path("book/<slug:clinic>/", views.services, name="services"),
    path("book/<slug:clinic>/<slug:service>/", views.times, name="times"),
    path("book/<slug:clinic>/<slug:service>/details/", views.details, name="details"),
    path("book/<slug:clinic>/<slug:service>/confirm/", views.confirm, name="confirm"),
]
