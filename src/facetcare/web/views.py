from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from facetcare.web.roles import is_staff_member
from facetcare.web.selectors import list_todays_diaries

# What a rate-limited client is told to wait: the limits count per minute.
RETRY_AFTER_SECONDS = 60


def home(request: HttpRequest) -> HttpResponse:
    """The day's diary per clinic for staff; the service's front page for anyone else."""
    if not is_staff_member(request.user):
        return render(request, "web/pages/home.html")
    diaries = list_todays_diaries(user=request.user, now=timezone.now())
    return render(request, "web/pages/dashboard.html", {"diaries": diaries})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """django-ratelimit's answer when a client asks too often: 429, a wait, a plain page."""
    response = render(request, "429.html", {"retry_after": RETRY_AFTER_SECONDS}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
