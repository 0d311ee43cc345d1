"""The rehabilitation section of the episode page: ``{% load rehab %}{% rehab_panel episode %}``."""

from typing import Any

from django import template

from facetcare.pathway.models import Episode
from facetcare.rehab import selectors
from facetcare.rehab.access import can_read_programmes_of
from facetcare.web.roles import CLINICAL_ROLES, has_role

register = template.Library()


@register.inclusion_tag("rehab/partials/episode_panel.html", takes_context=True)
def rehab_panel(context: dict[str, Any], episode: Episode) -> dict[str, Any]:
    """The episode's programmes and, for a clinician, the way to start one."""
    user = context["request"].user
    if not can_read_programmes_of(user, episode.patient_id):
        return {"hidden": True}
    programmes = selectors.list_programmes(episode=episode, acting_user=user)
    active = any(p.status == p.Status.ACTIVE for p in programmes)
    return {
        "episode": episode,
        "programmes": programmes,
        "can_start": episode.is_open and not active and has_role(user, *CLINICAL_ROLES),
    }
