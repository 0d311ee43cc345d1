from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "facetcare.diary"
    verbose_name = "Reception diary"
