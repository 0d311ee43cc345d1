"""A manager's subject access page: download a patient's whole record, or erase them
where the law allows."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from facetcare.errors import Conflict, InvalidInput
from facetcare.patients.erasure import decide_erasure, erase_patient
from facetcare.patients.export import export_file_stem, export_patient, record_json, record_pdf
from facetcare.patients.export_forms import ErasureForm
from facetcare.patients.records import get_patient
from facetcare.web.access import HtmxHttpRequest, add_domain_error, staff_page
from facetcare.web.roles import Role

CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}


def _page(
    request: HtmxHttpRequest, patient_id: int, form: ErasureForm, status: int = 200
) -> HttpResponse:
    patient = get_patient(patient_id=patient_id, acting_user=request.user)
    context = {
        "patient": patient,
        "decision": decide_erasure(patient=patient, now=timezone.now()),
        "form": form,
    }
    return render(request, "patients/pages/export.html", context, status=status)


@staff_page(Role.MANAGER)
def export_record(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """The patient's subject access page."""
    return _page(request, patient_id, ErasureForm())


@staff_page(Role.MANAGER)
def download_record(request: HtmxHttpRequest, patient_id: int, file_format: str) -> HttpResponse:
    """The whole record as a file (logged as an export)."""
    record = export_patient(patient_id=patient_id, acting_user=request.user)
    body = record_json(record) if file_format == "json" else record_pdf(record)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    filename = f"{export_file_stem(record)}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_page(Role.MANAGER)
def erase(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Erase the patient when no retention rule applies; otherwise say why not."""
    form = ErasureForm(request.POST)
    if request.method != "POST" or not form.is_valid():
        return _page(request, patient_id, form, status=400 if request.method == "POST" else 200)
    try:
        erase_patient(
            patient_id=patient_id, reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except (Conflict, InvalidInput) as error:
        add_domain_error(form, error)
        return _page(request, patient_id, form, status=error.http_status)
    messages.success(request, "The patient's details were erased; the erasure is in the log.")
    return redirect("patients:detail", patient_id=patient_id)
