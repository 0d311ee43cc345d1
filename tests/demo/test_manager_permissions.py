"""The demo manager runs the clinic directory from the admin, and sees nothing clinical there."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.test import Client

from facetcare.demo.people import load_staff
from facetcare.web.role_permissions import grant_manager_permissions, manager_permission_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client: Client) -> Client:
    load_staff()
    client.force_login(User.objects.get(username="manager"))
    return client


def test_the_admin_index_lists_what_a_manager_manages(manager: Client) -> None:
    page = manager.get("/admin/").content.decode()

    for name in ("Clinics", "Closures", "Rooms", "Services", "Practitioners", "Working hours",
                 "Time off", "API tokens"):  # fmt: skip
        assert f">{name}</a>" in page, name
    for clinical in ("Episodes", "Assessments", "Procedure records", "Patients", "Appointments"):
        assert f">{clinical}</a>" not in page, clinical


@pytest.mark.parametrize(
    "url",
    [
        "/admin/clinics/clinic/",
        "/admin/clinics/clinic/add/",  # with its opening hours, closures and rooms inline
        "/admin/clinics/service/add/",  # prices and online discounts are a service's fields
        "/admin/clinics/workinghours/add/",
        "/admin/clinics/timeoff/add/",
        "/admin/clinics/closure/add/",
        "/admin/clinics/room/add/",
        "/admin/web/apitoken/add/",
    ],
)
def test_a_manager_can_open_the_directory_pages(manager: Client, url: str) -> None:
    assert manager.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pathway/episode/",
        "/admin/pathway/assessment/",
        "/admin/pathway/procedurerecord/",
        "/admin/patients/patient/",
        "/admin/audit/recordversion/",
    ],
)
def test_clinical_admin_pages_are_forbidden_to_a_manager(manager: Client, url: str) -> None:
    assert manager.get(url).status_code == 403


def test_the_manager_group_holds_exactly_the_directory_permissions() -> None:
    load_staff()

    held = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name="manager").permissions.select_related("content_type")
    }

    assert held == manager_permission_codes()
    assert not {code for code in held if code.split(".")[0] in {"pathway", "patients", "audit"}}


def test_granting_again_removes_anything_else_the_group_was_given() -> None:
    group = grant_manager_permissions()
    group.permissions.add(Permission.objects.get(codename="change_episode"))

    call_command("grantroles", stdout=None)

    assert not group.permissions.filter(codename="change_episode").exists()
    assert group.permissions.count() == len(manager_permission_codes())
