from django.urls import path

from facetcare.rehab import views

app_name = "rehab"
urlpatterns = [
    path("episodes/<int:episode_id>/start/", views.start, name="start"),
    path("programmes/<int:programme_id>/", views.programme, name="programme"),
    path("programmes/<int:programme_id>/advance/", views.advance, name="advance"),
    path("programmes/<int:programme_id>/handout.pdf", views.handout, name="handout"),
    path("phases/<int:phase_id>/add/", views.add_exercise, name="add_exercise"),
    path(
        "programme-exercises/<int:programme_exercise_id>/",
        views.edit_exercise,
        name="edit_exercise",
    ),
    path(
        "programme-exercises/<int:programme_exercise_id>/remove/",
        views.remove_exercise,
        name="remove_exercise",
    ),
    path(
        "programme-exercises/<int:programme_exercise_id>/history/",
        views.exercise_history,
        name="exercise_history",
    ),
]
