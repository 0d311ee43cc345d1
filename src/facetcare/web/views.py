from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from facetcare.web.roles import is_staff_member
from facetcare.web.selectors import list_todays_diaries


def home(request: HttpRequest) -> HttpResponse:
    """The day's diary per clinic for staff; the service's front page for anyone else."""
    if not is_staff_member(request.user):
        return render(request, "web/pages/home.html")
    diaries = list_todays_diaries(user=request.user, now=timezone.now())
    return render(request, "web/pages/dashboard.html", {"diaries": diaries})
