from django.urls import URLPattern, URLResolver

app_name = "waitlist"
urlpatterns: list[URLPattern | URLResolver] = []
