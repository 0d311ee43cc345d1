from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "facetcare.booking"
    label = "booking"
