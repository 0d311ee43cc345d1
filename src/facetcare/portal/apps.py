from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "facetcare.portal"
    label = "portal"
    verbose_name = "Patient portal"
