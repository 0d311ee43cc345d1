from django.urls import path

from facetcare.accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.security, name="security"),
    path("two-factor/code/", views.verify, name="verify"),
    path("two-factor/set-up/", views.enrol, name="enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
