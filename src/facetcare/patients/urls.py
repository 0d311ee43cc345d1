from django.urls import path

from facetcare.patients import export_views, views

app_name = "patients"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:patient_id>/", views.detail, name="detail"),
    path("<int:patient_id>/export/", export_views.export_record, name="export"),
    path(
        "<int:patient_id>/export/record.json",
        export_views.download_record,
        {"file_format": "json"},
        name="export_json",
    ),
    path(
        "<int:patient_id>/export/record.pdf",
        export_views.download_record,
        {"file_format": "pdf"},
        name="export_pdf",
    ),
    path("<int:patient_id>/erase/", export_views.erase, name="erase"),
]
