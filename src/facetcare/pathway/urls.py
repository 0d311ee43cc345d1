from django.urls import path

from facetcare.pathway import record_views, views

app_name = "pathway"
urlpatterns = [
    path("episodes/<int:episode_id>/", views.episode, name="episode"),
    path("episodes/<int:episode_id>/transition/", views.transition, name="transition"),
    path("episodes/<int:episode_id>/policy/", views.policy_check, name="policy_check"),
    path("episodes/<int:episode_id>/override/", views.override, name="override"),
    path(
        "episodes/<int:episode_id>/assessments/new/",
        record_views.new_assessment,
        name="new_assessment",
    ),
    path("assessments/<int:assessment_id>/", record_views.assessment, name="assessment"),
    path("assessments/<int:assessment_id>/amend/", record_views.amend, name="amend_assessment"),
    path(
        "episodes/<int:episode_id>/procedures/new/",
        record_views.new_procedure,
        name="new_procedure",
    ),
    path(
        "episodes/<int:episode_id>/procedures/book/",
        record_views.book_procedure,
        name="book_procedure",
    ),
    path(
        "procedures/<int:procedure_id>/response/",
        record_views.procedure_response,
        name="procedure_response",
    ),
    path("history/<str:kind>/<int:pk>/", views.history, name="history"),
]
