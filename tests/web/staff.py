"""Staff users for page and browser tests: a user in the group named for each role."""

from typing import Any

from django.contrib.auth.models import Group, User

from facetcare.web.roles import Role

PASSWORD = "correct horse battery staple"


def make_staff(username: str, *roles: Role, first_name: str = "", last_name: str = "") -> Any:
    """A user holding ``roles``, signed in with :data:`PASSWORD`."""
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@clinic.example",
    )
    for role in roles:
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    return user
