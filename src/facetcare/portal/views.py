"""The signed-in patient's pages: today, their programme, their progress, their account.

Each view is given the signed-in ``PortalAccount`` by ``patient_page`` and passes
it to the selectors and services, which read and write that patient's record only.
The forms post to plain addresses and redirect back (no JavaScript needed); with
htmx, the exercise tick and the pain score swap their own card in place.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from facetcare.errors import Conflict, InvalidInput
from facetcare.portal import services
from facetcare.portal.access import patient_page, portal_context
from facetcare.portal.forms import (
    ExerciseTickForm,
    PainScoreForm,
    PortalPasswordForm,
    QuestionnaireForm,
)
from facetcare.portal.models import PortalAccount
from facetcare.portal.selectors import (
    get_due_exercise,
    get_own_details,
    get_pain_chart,
    get_programme_handout,
    get_programme_plan,
    get_questionnaire,
    get_today,
)
from facetcare.web.access import HtmxHttpRequest, add_domain_error

GET_AND_POST = ["GET", "HEAD", "POST"]
READS = ["GET", "HEAD"]


@require_http_methods(READS)
@patient_page
def today(request: HtmxHttpRequest, account: PortalAccount) -> HttpResponse:
    """Today: the exercises and pain score due, and the appointments to come."""
    context = portal_context(account, section="today")
    context["plan"] = get_today(account=account, now=timezone.now(), clinic=context["clinic"])
    context["pain_form"] = PainScoreForm()
    return render(request, "portal/pages/today.html", context)


@require_POST
@patient_page
def log_exercise(
    request: HtmxHttpRequest, account: PortalAccount, exercise_id: int
) -> HttpResponse:
    """Tick an exercise done today (or untick it); another patient's id is 404."""
    now = timezone.now()
    get_due_exercise(account=account, programme_exercise_id=exercise_id, now=now)
    form = ExerciseTickForm(request.POST)
    error = None if form.is_valid() else str(form.errors["done"][0])
    if error is None:
        try:
            services.log_exercise_done(
                account=account,
                programme_exercise_id=exercise_id,
                done=form.cleaned_data["done"],
                now=now,
            )
        except (InvalidInput, Conflict) as refused:
            error = refused.detail
    if request.htmx:
        due = get_due_exercise(account=account, programme_exercise_id=exercise_id, now=now)
        context = portal_context(account, due=due, error=error)
        status = 422 if error else 200
        return render(request, "portal/partials/exercise.html", context, status=status)
    if error:
        messages.error(request, error)
    return redirect(f"{reverse('portal:today')}#exercise-{exercise_id}")


@require_POST
@patient_page
def record_pain(request: HtmxHttpRequest, account: PortalAccount) -> HttpResponse:
    """Record pain now, 0 to 10."""
    form = PainScoreForm(request.POST)
    recorded = None
    if form.is_valid():
        try:
            recorded = services.record_pain(
                account=account, score=form.cleaned_data["score"], now=timezone.now()
            )
        except InvalidInput as error:
            add_domain_error(form, error)
    if request.htmx:
        context = portal_context(account, pain_form=form, recorded=recorded)
        status = 200 if recorded else 422
        return render(request, "portal/partials/pain_form.html", context, status=status)
    if recorded is None:
        messages.error(request, "Choose a number from 0 to 10 for your pain.")
    else:
        messages.success(request, f"Thank you: your pain score of {recorded.value} is recorded.")
    return redirect(f"{reverse('portal:today')}#pain")


@require_http_methods(READS)
@patient_page
def programme(request: HtmxHttpRequest, account: PortalAccount) -> HttpResponse:
    """The patient's programme, phase by phase, the current phase marked."""
    context = portal_context(account, section="programme", plan=get_programme_plan(account=account))
    return render(request, "portal/pages/programme.html", context)


@require_http_methods(READS)
@patient_page
def handout(request: HtmxHttpRequest, account: PortalAccount) -> HttpResponse:
    """The programme as a printable PDF with the clinic's details."""
    found, pdf = get_programme_handout(account=account)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="programme-{found.started_on}.pdf"'
    return response


@require_http_methods(READS)
@patient_page
def progress(request: HtmxHttpRequest, account: PortalAccount) -> HttpResponse:
    """Pain over time, as a chart and as a table."""
    context = portal_context(account, section="progress", chart=get_pain_chart(account=account))
    return render(request, "portal/pages/progress.html", context)


@require_http_methods(GET_AND_POST)
@patient_page
def questionnaire(request: HtmxHttpRequest, account: PortalAccount, measure: str) -> HttpResponse:
    """A questionnaire due today: PSFS (the patient's own activities), global change, or
    a clinic's disability questionnaire. Not due: 404."""
    questions = get_questionnaire(account=account, measure=measure)
    form = QuestionnaireForm(request.POST or None, questions=questions.questions)
    if form.is_valid():
        try:
            services.answer_questionnaire(
                account=account, measure=measure, answers=form.answers(), now=timezone.now()
            )
        except InvalidInput as error:
            add_domain_error(form, _answer_field(error))
        else:
            messages.success(request, f"Thank you: your answers to “{questions.title}” are saved.")
            return redirect("portal:today")
    context = portal_context(account, section="today", questionnaire=questions, form=form)
    status = 400 if form.errors else 200
    return render(request, "portal/pages/questionnaire.html", context, status=status)


def _answer_field(error: InvalidInput) -> InvalidInput:
    """The outcomes app names a bad answer ``answers.<linkId>``; the form's field is the linkId."""
    if error.field and error.field.startswith("answers."):
        return InvalidInput(error.detail, field=error.field.removeprefix("answers."))
    return error


@require_http_methods(GET_AND_POST)
@patient_page
def account_page(request: HtmxHttpRequest, account: PortalAccount) -> HttpResponse:
    """Set (or change) a password, to sign in without waiting for an email."""
    form = PortalPasswordForm(account.user, request.POST or None)
    if form.is_valid():
        try:
            services.set_portal_password(
                request=request, account=account, password=form.cleaned_data["new_password1"]
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your password is saved. Use it with your email address.")
            return redirect("portal:account")
    context = portal_context(
        account,
        section="account",
        form=form,
        details=get_own_details(account=account),
        has_password=account.user.has_usable_password(),
    )
    return render(request, "portal/pages/account.html", context, status=400 if form.errors else 200)


@require_POST
@patient_page
def remove_password(request: HtmxHttpRequest, account: PortalAccount) -> HttpResponse:
    services.remove_portal_password(request=request, account=account)
    messages.success(request, "Your password is removed. Sign in with an emailed link.")
    return redirect("portal:account")
