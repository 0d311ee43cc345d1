"""A manager downloads the access log as CSV, filtered by dates, streamed row by row."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from facetcare.audit.models import AccessLogEntry
from tests.pathway.world import ClinicalWorld

URL = reverse("audit:access_log_csv")


def _at(day: int, cw: ClinicalWorld, path: str = "") -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        user=cw.physio,
        action="read",
        patient=cw.patient,
        object_type="episode",
        object_id=day,
        at=datetime(2026, 3, day, 9, 30, tzinfo=UTC),
        path=path,
    )


def _rows(client: Client, **params: str) -> list[dict[str, str]]:
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(text)))


def test_a_manager_gets_the_entries_of_the_chosen_days_oldest_first(
    cw: ClinicalWorld, client: Client
) -> None:
    for day in (1, 3, 2, 5):
        _at(day, cw)
    client.force_login(cw.manager)

    rows = _rows(client, date_from="2026-03-02", date_to="2026-03-03")

    assert [row["record_id"] for row in rows] == ["2", "3"]
    first = rows[0]
    assert first["at_utc"] == "2026-03-02T09:30:00+00:00"
    assert (first["username"], first["action"], first["record_type"]) == (
        cw.physio.username,
        "read",
        "episode",
    )
    assert (first["patient_id"], first["patient_name"]) == (str(cw.patient.pk), "Robin Hale")


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(
    cw: ClinicalWorld, client: Client
) -> None:
    _at(4, cw, path='=HYPERLINK("http://evil.example","x")')
    client.force_login(cw.manager)

    (row,) = [r for r in _rows(client) if r["record_id"] == "4"]

    assert row["path"] == '\'=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize("role", ["receptionist", "physio", "consultant", "referrer"])
def test_only_a_manager_may_download_it(cw: ClinicalWorld, client: Client, role: str) -> None:
    client.force_login(getattr(cw, role))

    assert client.get(URL).status_code == 403


def test_an_end_date_before_the_start_date_is_a_400_naming_the_problem(
    cw: ClinicalWorld, client: Client
) -> None:
    client.force_login(cw.manager)

    response = client.get(URL, {"date_from": "2026-03-05", "date_to": "2026-03-01"})

    assert response.status_code == 400
    assert b"end date is before the start date" in response.content


def test_the_search_page_links_to_the_csv_of_the_same_search(
    cw: ClinicalWorld, client: Client
) -> None:
    client.force_login(cw.manager)

    response = client.get(reverse("audit:access_log"), {"date_from": "2026-03-01"})

    assert f'href="{URL}?date_from=2026-03-01"'.encode() in response.content


@pytest.mark.parametrize("url", [URL, reverse("audit:access_log")])
def test_a_patient_number_beyond_any_id_is_a_400_naming_the_field(
    cw: ClinicalWorld, client: Client, url: str
) -> None:
    client.force_login(cw.manager)

    response = client.get(url, {"patient": "9" * 30})

    assert response.status_code == 400
    assert b"No patient has that number" in response.content
