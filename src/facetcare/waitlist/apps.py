from django.apps import AppConfig


class WaitlistConfig(AppConfig):
    name = "facetcare.waitlist"
    verbose_name = "Waitlist"
