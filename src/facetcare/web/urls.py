from django.contrib.auth import views as auth_views
from django.urls import include, path

from facetcare.web import views

urlpatterns = [
    path("", views.home, name="home"),
    # Password first (django-axes counts failures and locks out); a user with a
    # second factor is then sent on to the code step by the accounts gate.
    path(
        "login/", auth_views.LoginView.as_view(template_name="web/pages/login.html"), name="login"
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("facetcare.accounts.urls")),
]
