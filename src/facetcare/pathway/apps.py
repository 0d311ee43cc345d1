from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "facetcare.pathway"
    label = "pathway"
