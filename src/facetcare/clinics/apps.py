from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "facetcare.clinics"
    label = "clinics"
