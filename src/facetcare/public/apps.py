from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "facetcare.public"
    verbose_name = "Public booking pages"
