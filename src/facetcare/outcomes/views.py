"""Clinicians' outcomes pages: one patient's outcomes (charts, derived responses to
confirm, follow-up), and the clinic's outcomes. Thin: authorise, call, render."""

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from facetcare.errors import Conflict, DomainError
from facetcare.outcomes import charts, selectors
from facetcare.outcomes.clinic_outcomes import get_clinic_outcomes
from facetcare.outcomes.derivation import confirm_derived_response, derive_procedure_response
from facetcare.outcomes.forms import ConfirmResponseForm, PainScoreForm
from facetcare.outcomes.places import clinic_for_patient
from facetcare.outcomes.scheduling import schedule_after_procedure
from facetcare.outcomes.services import record_pain_score
from facetcare.pathway.access import CLINICAL_READERS
from facetcare.patients.models import Patient
from facetcare.web.access import HtmxHttpRequest, add_domain_error, staff_page
from facetcare.web.roles import CLINICAL_ROLES


def _context(request: HtmxHttpRequest, patient_id: int, **forms: Any) -> dict[str, Any]:
    clinic = clinic_for_patient(patient_id)
    zone = ZoneInfo(clinic.time_zone) if clinic else ZoneInfo("Europe/London")
    outcomes = selectors.get_patient_outcomes(
        patient_id=patient_id,
        acting_user=request.user,
        today=timezone.now().astimezone(zone).date(),
    )
    confirm_forms = forms.pop("confirm_forms", {})
    for review in outcomes.reviews:
        if review.procedure.pk not in confirm_forms:
            proposed = review.for_record or {}
            confirm_forms[review.procedure.pk] = ConfirmResponseForm(
                diagnostic=review.latest is not None and review.latest.kind == "diagnostic",
                prefix=f"p{review.procedure.pk}",
                initial={
                    "relief_percent": proposed.get("relief_percent"),
                    "relief_duration_days": proposed.get("relief_duration_days"),
                },
            )
    return {
        "outcomes": outcomes,
        "patient": outcomes.patient,
        "pain_chart": charts.pain_chart_svg(outcomes.pain),
        "psfs_chart": charts.psfs_chart_svg(outcomes.psfs),
        "response_rows": [
            {"review": review, "form": confirm_forms[review.procedure.pk]}
            for review in outcomes.reviews
        ],
        "score_form": forms.pop("score_form", None) or PainScoreForm(initial={"scale": "NRS-11"}),
        "page_lang": clinic.locale if clinic else "en-GB",
        "clinic": clinic,
        **forms,
    }


@staff_page(*CLINICAL_READERS)
def patient_outcomes(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    return render(request, "outcomes/pages/patient.html", _context(request, patient_id))


def _post(
    request: HtmxHttpRequest,
    patient_id: int,
    form: Any,
    write: Callable[[], Any],
    shown: dict[str, Any],
) -> HttpResponse:
    """Run ``write`` for a valid form and go back to the page, or show the page again
    with the errors next to their fields (``shown`` puts the form in its place)."""
    status = 422
    if form.is_valid():
        try:
            write()
            return redirect("outcomes:patient", patient_id=patient_id)
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
    context = _context(request, patient_id, **shown)
    return render(request, "outcomes/pages/patient.html", context, status=status)


@require_POST
@staff_page(*CLINICAL_ROLES)
def record_score(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=patient_id)
    form = PainScoreForm(request.POST)
    return _post(
        request,
        patient_id,
        form,
        lambda: record_pain_score(
            patient=patient,
            value=form.cleaned_data["value"],
            scale=form.cleaned_data["scale"],
            recorded_at=form.cleaned_data["recorded_at"],
            note=form.cleaned_data["note"],
            source="clinician",
            acting_user=request.user,
        ),
        {"score_form": form},
    )


@require_POST
@staff_page(*CLINICAL_ROLES)
def confirm(request: HtmxHttpRequest, procedure_id: int) -> HttpResponse:
    review = selectors.get_response_review(procedure_id=procedure_id, acting_user=request.user)
    latest = review.latest
    form = ConfirmResponseForm(
        request.POST,
        diagnostic=latest is not None and latest.kind == "diagnostic",
        prefix=f"p{procedure_id}",
    )
    patient_id = review.procedure.episode.patient_id

    def write() -> Any:
        if latest is None:
            raise Conflict("Nothing was derived to confirm")
        return confirm_derived_response(
            derived=latest, acting_user=request.user, **form.service_values()
        )

    return _post(request, patient_id, form, write, {"confirm_forms": {procedure_id: form}})


@require_POST
@staff_page(*CLINICAL_ROLES)
def derive(request: HtmxHttpRequest, procedure_id: int) -> HttpResponse:
    review = selectors.get_response_review(procedure_id=procedure_id, acting_user=request.user)
    derive_procedure_response(procedure=review.procedure)
    return redirect("outcomes:patient", patient_id=review.procedure.episode.patient_id)


@require_POST
@staff_page(*CLINICAL_ROLES)
def start_follow_up(request: HtmxHttpRequest, procedure_id: int) -> HttpResponse:
    review = selectors.get_response_review(procedure_id=procedure_id, acting_user=request.user)
    schedule_after_procedure(procedure=review.procedure, acting_user=request.user)
    return redirect("outcomes:patient", patient_id=review.procedure.episode.patient_id)


@staff_page(*CLINICAL_READERS)
def clinic(request: HtmxHttpRequest) -> HttpResponse:
    found = get_clinic_outcomes(acting_user=request.user)
    pain_bars = [
        charts.Bar(row.label, row.pain_share, f"{row.pain_important} of {row.pain_episodes}")
        for row in found.pathways
    ]
    function_bars = [
        charts.Bar(
            row.label, row.function_share, f"{row.function_important} of {row.function_episodes}"
        )
        for row in found.pathways
    ]
    context = {
        "found": found,
        "pain_bars": charts.share_bars_svg(
            pain_bars, title="Important pain relief by pathway", slug="pain-share"
        ),
        "function_bars": charts.share_bars_svg(
            function_bars, title="Important gain in function by pathway", slug="function-share"
        ),
    }
    return render(request, "outcomes/pages/clinic.html", context)
