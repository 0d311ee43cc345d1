"""Template helpers for the staff pages."""

from typing import Any

from django import template

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
