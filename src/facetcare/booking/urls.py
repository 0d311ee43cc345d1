from django.urls import URLPattern, URLResolver, path

from facetcare.booking import views

app_name = "booking"
urlpatterns: list[URLPattern | URLResolver] = [
    path("manage/<str:token>/", views.manage_booking, name="manage"),
    path("manage/<str:token>/reschedule/", views.reschedule, name="reschedule"),
    path("manage/<str:token>/cancel/", views.cancel, name="cancel"),
]
