from django.urls import URLPattern, URLResolver, path

from facetcare.waitlist import views

app_name = "waitlist"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.entries, name="entries"),
    path("join/", views.join, name="join"),
    path("join/done/", views.joined, name="joined"),
    path("offer/<str:token>/", views.offer, name="offer"),
    path("entries/<int:entry_id>/", views.entry, name="entry"),
    path("entries/<int:entry_id>/offer/", views.offer_time, name="offer_time"),
    path("entries/<int:entry_id>/remove/", views.remove, name="remove"),
]
