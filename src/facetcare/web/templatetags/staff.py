"""Template helpers for the staff pages."""

from typing import Any

from django import template

from facetcare.accounts.middleware import NO_CODE_NEEDED_KEY
from facetcare.web.roles import Role, has_role, is_staff_member

register = template.Library()


@register.filter
def holds_role(user: Any, names: str) -> bool:
    """``{% if user|holds_role:"consultant,manager" %}``: whether the user holds any of them."""
    return has_role(user, *(Role(name.strip()) for name in names.split(",")))


@register.filter
def is_staff(user: Any) -> bool:
    return is_staff_member(user)


@register.filter
def code_label(code: str) -> str:
    """A stored code as words: ``saddle_anaesthesia`` → "Saddle anaesthesia"."""
    return str(code).replace("_", " ").capitalize()


@register.filter
def past_second_factor(request: Any) -> bool:
    """Whether the signed-in user has given their code, or needs none: until then the
    header offers only sign-out, since every staff page would send them back to the code."""
    user = request.user
    if not user.is_authenticated:
        return False
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified()) or request.session.get(NO_CODE_NEEDED_KEY) == user.pk
