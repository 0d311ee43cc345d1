"""The admin shows clinical records and their audit trail but can neither change nor delete them."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from facetcare.audit.models import AccessLogEntry, RecordVersion
from facetcare.pathway.models import Assessment, Episode, PolicyOverride, ProcedureRecord
from tests.pathway.world import ClinicalWorld, assess, bare_episode

CLINICAL_MODELS = [Episode, Assessment, ProcedureRecord, PolicyOverride, RecordVersion,
                   AccessLogEntry]  # fmt: skip


@pytest.mark.parametrize("model", CLINICAL_MODELS)
def test_the_admin_cannot_add_change_or_delete_clinical_records(db: None, model: type) -> None:
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_admin_page_of_an_assessment_shows_its_versions(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw))
    superuser = User.objects.create_superuser("root", "root@example.org", "pw-not-used-123")
    client = Client()
    client.force_login(superuser)

    page = client.get(f"/admin/pathway/assessment/{assessment.pk}/change/")

    assert page.status_code == 200
    assert f"v1 by {cw.physio.username}" in page.content.decode()
