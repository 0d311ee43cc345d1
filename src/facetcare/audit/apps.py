from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "facetcare.audit"
    label = "audit"
