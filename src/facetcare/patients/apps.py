from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "facetcare.patients"
    label = "patients"
