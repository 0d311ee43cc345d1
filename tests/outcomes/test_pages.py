"""The clinicians' outcomes pages through the client: status, body and database."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facetcare.pathway.models import ProcedureRecord
from tests.factories import make_patient
from tests.outcomes.world import TWO_WEEKS, diary, injection
from tests.pathway.world import ClinicalWorld, open_cervical_episode

DAY0 = date(2026, 3, 2)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_clinician_sees_the_chart_and_the_response_to_confirm(cw: ClinicalWorld) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, TWO_WEEKS)
    response = _client(cw.consultant).get(reverse("outcomes:patient", args=[cw.patient.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<svg class="chart"' in body
    assert "Pain over time (NRS-11)" in body
    assert "75.0%" in body
    assert "Not confirmed: the policy check does not use it yet." in body
    assert "Confirm response" in body


def test_confirming_on_the_page_writes_the_procedure_record(cw: ClinicalWorld) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, TWO_WEEKS)
    url = reverse("outcomes:confirm", args=[procedure.pk])
    response = _client(cw.consultant).post(url, {f"p{procedure.pk}-note": "agreed"})
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.relief_percent == 75


def test_a_bad_correction_is_shown_next_to_its_field_and_nothing_is_written(
    cw: ClinicalWorld,
) -> None:
    procedure = injection(cw, DAY0)
    diary(cw, procedure, TWO_WEEKS)
    url = reverse("outcomes:confirm", args=[procedure.pk])
    response = _client(cw.consultant).post(url, {f"p{procedure.pk}-relief_percent": "140"})
    assert response.status_code == 422
    assert "Ensure this value is less than or equal to 100" in response.content.decode()
    assert ProcedureRecord.objects.get(pk=procedure.pk).relief_percent is None


def test_a_clinician_records_a_score_and_a_bad_one_is_refused(cw: ClinicalWorld) -> None:
    open_cervical_episode(cw)
    client = _client(cw.physio)
    url = reverse("outcomes:record_score", args=[cw.patient.pk])
    good = client.post(url, {"value": "6", "scale": "NRS-11", "recorded_at": "2026-03-01T09:00"})
    assert good.status_code == 302
    bad = client.post(url, {"value": "12", "scale": "NRS-11", "recorded_at": "2026-03-01T09:00"})
    assert bad.status_code == 422
    assert "from 0 to 10" in bad.content.decode()


def test_a_receptionist_may_not_open_a_patients_outcomes(cw: ClinicalWorld) -> None:
    response = _client(cw.receptionist).get(reverse("outcomes:patient", args=[cw.patient.pk]))
    assert response.status_code == 403


def test_start_follow_up_makes_the_schedule_once(cw: ClinicalWorld) -> None:
    procedure = injection(cw, DAY0)
    client = _client(cw.physio)
    url = reverse("outcomes:follow_up", args=[procedure.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert procedure.measure_schedule.due.count() == 35  # type: ignore[attr-defined]


def _clinic_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("outcomes:clinic"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("extra_patients", [1, 4])
def test_the_clinic_page_query_count_does_not_grow_with_patients(
    cw: ClinicalWorld, extra_patients: int
) -> None:
    client = _client(cw.manager)
    diary(cw, injection(cw, DAY0), TWO_WEEKS)
    before = _clinic_queries(client)
    for number in range(extra_patients):
        cw.patient = make_patient(first_name=f"P{number}")
        diary(cw, injection(cw, DAY0), TWO_WEEKS)
    assert _clinic_queries(client) == before


def test_the_clinic_page_counts_important_relief_by_pathway(cw: ClinicalWorld) -> None:
    diary(cw, injection(cw, DAY0), TWO_WEEKS)
    response = _client(cw.manager).get(reverse("outcomes:clinic"))
    body = response.content.decode()
    assert "After an injection" in body
    assert "1 (100%)" in body  # 8 -> 2: a fall of 6 points
    assert "Farrar" in body
