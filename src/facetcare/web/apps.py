from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "facetcare.web"
    label = "web"
    verbose_name = "Staff access"
