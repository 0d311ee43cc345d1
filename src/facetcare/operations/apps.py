from django.apps import AppConfig
from django.core.signals import request_finished


class OperationsConfig(AppConfig):
    name = "facetcare.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from facetcare.operations.request_id import forget_request_id

        request_finished.connect(forget_request_id, dispatch_uid="facetcare.forget_request_id")
