"""Clinician pages: start a programme from an episode, read it by phase, change a dose,
add or remove an exercise, move to the next phase at a review, print the handout."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from facetcare.errors import DomainError
from facetcare.pathway import selectors as pathway_selectors
from facetcare.pathway.access import CLINICAL_READERS
from facetcare.pathway.views import version_changes
from facetcare.rehab import selectors, services
from facetcare.rehab.defaults import start_defaults
from facetcare.rehab.forms import (
    AddExerciseForm,
    AdvancePhaseForm,
    DosageForm,
    RemoveExerciseForm,
    StartProgrammeForm,
)
from facetcare.rehab.handout import get_handout
from facetcare.rehab.models import Programme
from facetcare.web.access import HtmxHttpRequest, add_domain_error, staff_page
from facetcare.web.roles import Role

CLINICIANS = (Role.PHYSIOTHERAPIST, Role.CONSULTANT)


def _save(request: HtmxHttpRequest, form: Form, write: Callable[[], Any]) -> tuple[Any, int]:
    """Run a service for a valid posted form: (result, 200), or (None, 4xx) with the
    errors on the form. A GET saves nothing: (None, 200)."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 422
    try:
        return write(), 200
    except DomainError as error:
        add_domain_error(form, error)
        return None, error.http_status


def programme_context(programme: Programme, **forms: Any) -> dict[str, Any]:
    return {
        "programme": programme,
        "patient": programme.patient,
        "episode": programme.episode,
        "phases": selectors.programme_phases(programme),
        "cautions": selectors.caution_labels(programme),
        "advance_form": forms.pop("advance_form", None)
        or AdvancePhaseForm(initial={"reviewed_on": services.clinic_today(programme.clinic)}),
        "page_lang": programme.clinic.locale,
        **forms,
    }


@staff_page(*CLINICIANS)
def start(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    episode = pathway_selectors.get_episode(episode_id=episode_id, acting_user=request.user)
    defaults = start_defaults(episode=episode, acting_user=request.user)
    form = StartProgrammeForm(
        request.POST or None,
        initial=StartProgrammeForm.initial_from(defaults),
        procedures=episode.procedures.order_by("-performed_on", "-pk"),
    )
    saved, status = _save(
        request,
        form,
        lambda: services.start_programme(
            episode=episode,
            pathway=form.cleaned_data["pathway"],
            procedure=form.cleaned_data["procedure"],
            started_on=form.cleaned_data["started_on"],
            goals=form.goal_lines(),
            cautions=form.cleaned_data["cautions"],
            clinic=form.cleaned_data["clinic"],
            acting_user=request.user,
        ),
    )
    if saved is not None:
        return redirect("rehab:programme", programme_id=saved.pk)
    context = {"form": form, "episode": episode, "patient": episode.patient}
    return render(request, "rehab/pages/start.html", context, status=status)


@staff_page(*CLINICAL_READERS)
def programme(request: HtmxHttpRequest, programme_id: int) -> HttpResponse:
    found = selectors.get_programme(programme_id=programme_id, acting_user=request.user)
    return render(request, "rehab/pages/programme.html", programme_context(found))


@require_POST
@staff_page(*CLINICIANS)
def advance(request: HtmxHttpRequest, programme_id: int) -> HttpResponse:
    found = selectors.get_programme(programme_id=programme_id, acting_user=request.user)
    form = AdvancePhaseForm(request.POST)
    saved, status = _save(
        request,
        form,
        lambda: services.advance_phase(
            programme=found,
            reviewed_on=form.cleaned_data["reviewed_on"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
        ),
    )
    if saved is not None:
        messages.success(request, f"Phase {saved.current_phase} started.")
        return redirect("rehab:programme", programme_id=found.pk)
    context = programme_context(found, advance_form=form)
    return render(request, "rehab/pages/programme.html", context, status=status)


@staff_page(*CLINICIANS)
def edit_exercise(request: HtmxHttpRequest, programme_exercise_id: int) -> HttpResponse:
    row = selectors.get_programme_exercise(
        programme_exercise_id=programme_exercise_id, acting_user=request.user
    )
    initial = {**row.dosage.as_dict(), "clinician_note": row.clinician_note}
    form = DosageForm(request.POST or None, initial=initial)
    saved, status = _save(
        request,
        form,
        lambda: services.edit_programme_exercise(
            programme_exercise=row, acting_user=request.user, **form.cleaned_data
        ),
    )
    if saved is not None:
        return redirect("rehab:programme", programme_id=row.phase.programme_id)
    return _exercise_page(request, row, form, RemoveExerciseForm(), status)


@require_POST
@staff_page(*CLINICIANS)
def remove_exercise(request: HtmxHttpRequest, programme_exercise_id: int) -> HttpResponse:
    row = selectors.get_programme_exercise(
        programme_exercise_id=programme_exercise_id, acting_user=request.user
    )
    form = RemoveExerciseForm(request.POST)
    saved, status = _save(
        request,
        form,
        lambda: services.remove_exercise(
            programme_exercise=row, reason=form.cleaned_data["reason"], acting_user=request.user
        ),
    )
    if saved is not None:
        return redirect("rehab:programme", programme_id=row.phase.programme_id)
    initial = {**row.dosage.as_dict(), "clinician_note": row.clinician_note}
    return _exercise_page(request, row, DosageForm(initial=initial), form, status)


def _exercise_page(
    request: HtmxHttpRequest, row: Any, form: DosageForm, remove_form: Form, status: int
) -> HttpResponse:
    programme = row.phase.programme
    context = {
        "row": row,
        "card": selectors.exercise_card(row),
        "programme": programme,
        "patient": programme.patient,
        "form": form,
        "remove_form": remove_form,
        "page_lang": programme.clinic.locale,
    }
    return render(request, "rehab/pages/edit_exercise.html", context, status=status)


@staff_page(*CLINICIANS)
def add_exercise(request: HtmxHttpRequest, phase_id: int) -> HttpResponse:
    phase = selectors.get_phase(phase_id=phase_id, acting_user=request.user)
    offered = selectors.suitable_exercises(phase=phase)
    form = AddExerciseForm(request.POST or None, offered=offered)
    saved, status = _save(
        request,
        form,
        lambda: services.add_exercise(
            phase=phase,
            exercise_slug=form.cleaned_data["exercise"],
            clinician_note=form.cleaned_data["clinician_note"],
            acting_user=request.user,
        ),
    )
    if saved is not None:
        return redirect("rehab:programme", programme_id=phase.programme_id)
    programme = phase.programme
    context = {
        "phase": phase,
        "programme": programme,
        "patient": programme.patient,
        "offered": offered,
        "form": form,
        "page_lang": programme.clinic.locale,
    }
    return render(request, "rehab/pages/add_exercise.html", context, status=status)


@staff_page(*CLINICAL_READERS)
def exercise_history(request: HtmxHttpRequest, programme_exercise_id: int) -> HttpResponse:
    row = selectors.get_programme_exercise(
        programme_exercise_id=programme_exercise_id, acting_user=request.user
    )
    versions = selectors.get_exercise_history(programme_exercise=row, acting_user=request.user)
    context = {"record": row, "kind": "programme exercise", "changes": version_changes(versions)}
    return render(request, "pathway/pages/history.html", context)


@staff_page(*CLINICAL_READERS)
def handout(request: HtmxHttpRequest, programme_id: int) -> HttpResponse:
    """The patient's printable handout: clinic details, phases and exercises, as a PDF."""
    found, pdf = get_handout(programme_id=programme_id, acting_user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="programme-{found.pk}.pdf"'
    return response
