from django.urls import path

from facetcare.portal import education, sign_in_views, views

app_name = "portal"

urlpatterns = [
    path("", views.today, name="today"),
    path("exercises/<int:exercise_id>/log/", views.log_exercise, name="log_exercise"),
    path("pain/", views.record_pain, name="record_pain"),
    path("questionnaires/<str:measure>/", views.questionnaire, name="questionnaire"),
    path("programme/", views.programme, name="programme"),
    path("programme/handout.pdf", views.handout, name="handout"),
    path("progress/", views.progress, name="progress"),
    path("account/", views.account_page, name="account"),
    path("account/remove-password/", views.remove_password, name="remove_password"),
    path("sign-in/", sign_in_views.sign_in, name="sign_in"),
    path("sign-in/sent/", sign_in_views.link_sent, name="link_sent"),
    path("sign-in/link/", sign_in_views.link, name="link"),
    path("sign-in/password/", sign_in_views.password_sign_in, name="password_sign_in"),
    path("sign-out/", sign_in_views.sign_out, name="sign_out"),
    path("signed-out/", sign_in_views.signed_out, name="signed_out"),
    path("learn/", education.topics, name="topics"),
    path("learn/<slug:slug>/", education.topic, name="topic"),
]
