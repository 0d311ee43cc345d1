"""Education pages: plain-language information written for FacetCare's patients.

Public (no sign-in), linked from the portal and from the home page. Each page
says it is general information and not personal medical advice. The pages are
templates under ``portal/education/``; this module lists them in reading order.
"""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from facetcare.portal.access import portal_context
from facetcare.portal.selectors import get_portal_account
from facetcare.public.access import public_page


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    title: str
    summary: str


TOPICS = (
    Topic(
        "facet-joint-pain",
        "Facet joint pain",
        "What the facet joints are, why they hurt, and what helps.",
    ),
    Topic(
        "injections",
        "What to expect from an injection",
        "Before, on the day and after a facet joint injection or nerve block.",
    ),
    Topic(
        "aftercare",
        "After your injection",
        "Looking after yourself in the first days and weeks, and why exercise matters.",
    ),
    Topic(
        "urgent-help",
        "When to get urgent help",
        "Warning signs that need a doctor today, in plain words.",
    ),
)
_BY_SLUG = {topic.slug: topic for topic in TOPICS}


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    account = get_portal_account(user=request.user)
    return portal_context(account, topics=TOPICS, **extra)


@require_http_methods(["GET", "HEAD"])
@public_page
def topics(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/education/index.html", _context(request))


@require_http_methods(["GET", "HEAD"])
@public_page
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    found = _BY_SLUG.get(slug)
    if found is None:
        raise Http404("No such page")
    template = f"portal/education/{found.slug.replace('-', '_')}.html"
    return render(request, template, _context(request, topic=found))
