"""Pages that write the clinical record: assessments, procedures and their responses."""

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from facetcare.errors import DomainError
from facetcare.pathway import selectors
from facetcare.pathway.access import CLINICAL_READERS
from facetcare.pathway.forms import AssessmentForm
from facetcare.pathway.procedure_booking import book_planned_procedure, list_bookable_procedures
from facetcare.pathway.procedure_forms import (
    BookProcedureForm,
    ProcedureRecordForm,
    ProcedureResponseForm,
)
from facetcare.pathway.procedures import record_procedure, record_procedure_response
from facetcare.pathway.services import amend_assessment, record_assessment
from facetcare.pathway.views import episode_context
from facetcare.web.access import HtmxHttpRequest, add_domain_error, staff_page
from facetcare.web.roles import CLINICAL_ROLES, Role
from facetcare.web.selectors import list_unrecorded_procedure_appointments


def _save(request: HtmxHttpRequest, form: Form, write: Any) -> tuple[Any, int]:
    """Run a service for a valid posted form; (result, 200), or (None, 4xx) with errors on
    the form. A GET saves nothing: (None, 200)."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 422
    try:
        return write(), 200
    except DomainError as error:
        add_domain_error(form, error)
        return None, error.http_status


@staff_page(*CLINICAL_READERS)
def assessment(request: HtmxHttpRequest, assessment_id: int) -> HttpResponse:
    found = selectors.get_assessment(assessment_id=assessment_id, acting_user=request.user)
    context = {
        "assessment": found,
        "episode": found.episode,
        "banners": selectors.red_flag_banners(found),
    }
    return render(request, "pathway/pages/assessment.html", context)


@staff_page(*CLINICAL_ROLES)
def new_assessment(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    episode = selectors.get_episode(episode_id=episode_id, acting_user=request.user)
    form = AssessmentForm(request.POST or None)
    saved, status = _save(
        request,
        form,
        lambda: record_assessment(
            episode=episode, details=form.details(), acting_user=request.user
        ),
    )
    if saved is not None:
        return redirect("pathway:assessment", assessment_id=saved.pk)
    context = {"form": form, "episode": episode, "banners": []}
    return render(request, "pathway/pages/assessment_form.html", context, status=status)


@staff_page(*CLINICAL_ROLES)
def amend(request: HtmxHttpRequest, assessment_id: int) -> HttpResponse:
    found = selectors.get_assessment(assessment_id=assessment_id, acting_user=request.user)
    initial = AssessmentForm.initial_from(found)
    form = AssessmentForm(request.POST or None, initial=initial, amending=True)
    saved, status = _save(
        request,
        form,
        lambda: amend_assessment(
            assessment=found,
            changes=form.details(),
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        ),
    )
    if saved is not None:
        return redirect("pathway:assessment", assessment_id=saved.pk)
    context = {
        "form": form,
        "episode": found.episode,
        "assessment": found,
        "banners": selectors.red_flag_banners(found),
    }
    return render(request, "pathway/pages/assessment_form.html", context, status=status)


@staff_page(Role.CONSULTANT)
def new_procedure(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    episode = selectors.get_episode(episode_id=episode_id, acting_user=request.user)
    appointments = list_unrecorded_procedure_appointments(patient_id=episode.patient_id)
    initial = {"region": episode.region, "side": episode.side, "appointment": appointments.first()}
    form = ProcedureRecordForm(request.POST or None, initial=initial, appointments=appointments)
    saved, status = _save(
        request,
        form,
        lambda: record_procedure(
            episode=episode,
            details=form.details(),
            appointment=form.cleaned_data["appointment"],
            acting_user=request.user,
        ),
    )
    if saved is not None:
        return redirect("pathway:episode", episode_id=episode.pk)
    context = {"form": form, "episode": episode}
    return render(request, "pathway/pages/procedure_form.html", context, status=status)


@staff_page(*CLINICAL_ROLES)
def procedure_response(request: HtmxHttpRequest, procedure_id: int) -> HttpResponse:
    procedure = selectors.get_procedure(procedure_id=procedure_id, acting_user=request.user)
    form = ProcedureResponseForm(request.POST or None)
    saved, status = _save(
        request,
        form,
        lambda: record_procedure_response(
            procedure=procedure, acting_user=request.user, **form.cleaned_data
        ),
    )
    if saved is not None:
        return redirect("pathway:episode", episode_id=procedure.episode_id)
    context = {"form": form, "procedure": procedure, "episode": procedure.episode}
    return render(request, "pathway/pages/response_form.html", context, status=status)


@require_POST
@staff_page(Role.CONSULTANT)
def book_procedure(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """Book the planned procedure at the next free slot on the consultant's list; the
    booking passes the policy gate, so a refused procedure needs an override first."""
    episode = selectors.get_episode(episode_id=episode_id, acting_user=request.user)
    form = BookProcedureForm(request.POST, services=list_bookable_procedures(episode=episode))
    booked, status = _save(
        request,
        form,
        lambda: book_planned_procedure(
            episode=episode, service=form.cleaned_data["service"], acting_user=request.user
        ),
    )
    if booked is not None:
        start = booked.start.astimezone(ZoneInfo(booked.clinic.time_zone))
        messages.success(
            request,
            f"Booked {booked.service.name} on {start:%a %d %b %Y at %H:%M} at "
            f"{booked.clinic.name} with {booked.practitioner.display_name}.",
        )
        return redirect("pathway:episode", episode_id=episode.pk)
    context = episode_context(request, episode, book_form=form)
    return render(request, "pathway/pages/episode.html", context, status=status)
