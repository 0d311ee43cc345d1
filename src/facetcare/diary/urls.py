from django.urls import URLPattern, URLResolver, path

from facetcare.diary import views

app_name = "diary"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.day, name="day"),
    path("week/", views.week, name="week"),
    path("book/", views.book, name="book"),
    path("today/", views.today, name="today"),
    path("utilisation/", views.utilisation, name="utilisation"),
    path("appointments/<int:appointment_id>/", views.appointment, name="appointment"),
    path("appointments/<int:appointment_id>/attendance/", views.attendance, name="attendance"),
    path("appointments/<int:appointment_id>/cancel/", views.cancel, name="cancel"),
    path("appointments/<int:appointment_id>/move/", views.move, name="move"),
]
