from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "facetcare.rehab"
    label = "rehab"
    verbose_name = "Rehabilitation programmes"
