from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "facetcare.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"
