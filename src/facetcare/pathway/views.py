"""The episode page: state and transitions, the record so far, and the policy panel."""

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from facetcare.errors import DomainError
from facetcare.pathway import selectors
from facetcare.pathway.access import CLINICAL_READERS
from facetcare.pathway.facts import get_policy_decision
from facetcare.pathway.forms import (
    INJECTATE_KINDS,
    OverrideForm,
    ProcedureRequestForm,
    TransitionForm,
)
from facetcare.pathway.models import Episode
from facetcare.pathway.procedure_booking import list_bookable_procedures
from facetcare.pathway.procedure_forms import BookProcedureForm
from facetcare.pathway.procedures import record_policy_override
from facetcare.pathway.services import can_override, transition_episode
from facetcare.pathway.states import allowed_targets
from facetcare.web.access import HtmxHttpRequest, add_domain_error, staff_page
from facetcare.web.roles import CLINICAL_ROLES, Role


def _transition_choices(episode: Episode) -> list[tuple[str, str]]:
    labels = dict(Episode.State.choices)
    return [(state.value, labels[state.value]) for state in sorted(allowed_targets(episode.state))]


def planned_initial(episode: Episode) -> dict[str, Any]:
    """The policy form's starting values: today, and the episode's procedure plan if any."""
    plan = episode.procedure_plan or {}
    initial = {
        "side": plan.get("side", episode.side),
        "date": timezone.localdate(),
        "steroid_mg_mpde": plan.get("steroid_mg_mpde", 0),
        "guidance": plan.get("guidance"),
        "sedation": plan.get("sedation"),
        "levels": ", ".join(plan.get("levels") or []),
        "injectate": [kind for kind, _ in INJECTATE_KINDS if kind in plan.get("injectate", [])],
    }
    return {name: value for name, value in initial.items() if value not in (None, "")}


def with_plan(episode: Episode, requested: dict[str, Any]) -> dict[str, Any]:
    """The request from the page, completed by what the plan documents and the page does
    not ask (the agent, why RF is unsuitable, ...), as the booking gate will see it."""
    return {**(episode.procedure_plan or {}), **requested}


def episode_context(request: HtmxHttpRequest, episode: Episode, **forms: Any) -> dict[str, Any]:
    user = request.user
    assessments = selectors.list_assessments(episode=episode, acting_user=user)
    latest = assessments[0] if assessments else None
    policy_form = forms.pop("policy_form", None) or ProcedureRequestForm(
        initial=planned_initial(episode)
    )
    book_form = forms.pop("book_form", None) or BookProcedureForm(
        services=list_bookable_procedures(episode=episode)
    )
    return {
        "episode": episode,
        "patient": episode.patient,
        "assessments": assessments,
        "banners": selectors.red_flag_banners(latest) if latest else [],
        "procedures": selectors.list_procedures(episode=episode, acting_user=user),
        "overrides": selectors.list_overrides(episode=episode, acting_user=user),
        "transitions": _transition_choices(episode),
        "transition_form": forms.pop("transition_form", None) or TransitionForm(),
        "policy_form": policy_form,
        "book_form": book_form,
        "can_override": can_override(user),
        **forms,
    }


@staff_page(*CLINICAL_READERS)
def episode(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    found = selectors.get_episode(episode_id=episode_id, acting_user=request.user)
    return render(request, "pathway/pages/episode.html", episode_context(request, found))


@require_POST
@staff_page(*CLINICAL_ROLES)
def transition(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    found = selectors.get_episode(episode_id=episode_id, acting_user=request.user)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            transition_episode(
                episode=found,
                to_state=form.cleaned_data["to_state"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            return redirect("pathway:episode", episode_id=found.pk)
    else:
        status = 400
    context = episode_context(request, found, transition_form=form)
    return render(request, "pathway/pages/episode.html", context, status=status)


def _render_panel(
    request: HtmxHttpRequest, episode: Episode, panel: dict[str, Any], status: int
) -> HttpResponse:
    """The policy panel alone for htmx, or the whole episode page around it."""
    if request.htmx:
        context = {"episode": episode, "can_override": can_override(request.user), **panel}
        return render(request, "pathway/partials/policy_panel.html", context, status=status)
    context = episode_context(request, episode, **panel)
    return render(request, "pathway/pages/episode.html", context, status=status)


@staff_page(*CLINICAL_READERS)
def policy_check(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """The policy's decision for a requested procedure, rule by rule, before it is booked."""
    found = selectors.get_episode(episode_id=episode_id, acting_user=request.user)
    form = ProcedureRequestForm(request.GET)
    if not form.is_valid():
        return _render_panel(request, found, {"policy_form": form}, 400)
    requested = with_plan(found, form.requested(region=found.region))
    try:
        decision = get_policy_decision(episode=found, requested=requested, acting_user=request.user)
    except DomainError as error:
        add_domain_error(form, error)
        return _render_panel(request, found, {"policy_form": form}, error.http_status)
    override_form = OverrideForm(initial=form.cleaned_data)
    context = {"policy_form": form, "decision": decision, "override_form": override_form}
    return _render_panel(request, found, context, 200)


@require_POST
@staff_page(Role.CONSULTANT)
def override(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """A consultant proceeds against the policy's decision, with a reason on the record."""
    found = selectors.get_episode(episode_id=episode_id, acting_user=request.user)
    form = OverrideForm(request.POST)
    policy_form = ProcedureRequestForm(request.POST)
    decision = None
    if policy_form.is_valid():
        requested = with_plan(found, policy_form.requested(region=found.region))
        decision = get_policy_decision(episode=found, requested=requested, acting_user=request.user)
    if form.is_valid():
        try:
            saved = record_policy_override(
                episode=found,
                requested=with_plan(found, form.requested(region=found.region)),
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            context = {"policy_form": policy_form, "decision": decision, "saved_override": saved}
            return _render_panel(request, found, context, 201 if request.htmx else 200)
    else:
        status = 422
    context = {"policy_form": policy_form, "decision": decision, "override_form": form}
    return _render_panel(request, found, context, status)


@staff_page(*CLINICAL_READERS)
def history(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    """Every version of one record: who changed it, when, why, and what changed."""
    user = request.user
    record: Any
    if kind == "episode":
        record = selectors.get_episode(episode_id=pk, acting_user=user)
    elif kind == "assessment":
        record = selectors.get_assessment(assessment_id=pk, acting_user=user)
    elif kind == "procedure":
        record = selectors.get_procedure(procedure_id=pk, acting_user=user)
    else:
        raise Http404(f"No history for {kind!r} records")
    versions = selectors.get_record_history(record=record, acting_user=request.user)
    context = {"record": record, "kind": kind, "changes": version_changes(versions)}
    return render(request, "pathway/pages/history.html", context)


def version_changes(versions: list[Any]) -> list[dict[str, Any]]:
    """Each version with the fields that differ from the one before (all fields for v1)."""
    changes: list[dict[str, Any]] = []
    previous: dict[str, Any] = {}
    for version in versions:
        snapshot = version.snapshot
        changed = [
            {"field": name, "before": previous.get(name), "after": value}
            for name, value in snapshot.items()
            if name not in previous or previous[name] != value
        ]
        changes.append({"version": version, "changed": changed, "first": not previous})
        previous = snapshot
    return changes
