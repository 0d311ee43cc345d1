"""Subject access: a patient's export holds every row of every table about them, with
the versions of their clinical records, and never a row of anyone else's."""

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from facetcare.audit.models import AccessLogEntry
from facetcare.errors import Forbidden, NotFound
from facetcare.pathway.services import amend_assessment
from facetcare.patients.export import export_patient, record_json, record_pdf
from facetcare.patients.models import Patient
from tests.factories import make_patient
from tests.pathway.world import ClinicalWorld, assess, bare_episode
from tests.patients.subject_access import RowMaker, patient_tables


def _exported(record_json_bytes: bytes) -> dict[str, set[Any]]:
    data = json.loads(record_json_bytes)
    return {
        section["model"]: {row["id"] for row in section["rows"]} for section in data["sections"]
    }


def _made_for(maker: RowMaker, patient: Patient) -> dict[str, set[Any]]:
    made: dict[str, set[Any]] = {}
    for model in patient_tables():
        row = maker.make(model, patient)
        made.setdefault(model._meta.label_lower, set()).add(row.pk)
    return made


def test_the_export_covers_every_table_about_the_patient_and_no_one_elses_rows(
    cw: ClinicalWorld,
) -> None:
    other = make_patient(first_name="Ola", last_name="Berg", email="ola@example.org")
    maker = RowMaker(cw)
    mine, theirs = _made_for(maker, cw.patient), _made_for(maker, other)

    exported = _exported(
        record_json(export_patient(patient_id=cw.patient.pk, acting_user=cw.manager))
    )

    for model in patient_tables():
        label = model._meta.label_lower
        assert label in exported, f"the export has no section for {label}"
        assert mine[label] <= exported[label], f"{label}: the patient's rows are missing"
        assert not theirs[label] & exported[label], f"{label}: another patient's rows appear"


def test_rows_made_for_the_other_patient_appear_in_their_export_only(cw: ClinicalWorld) -> None:
    other = make_patient(first_name="Ola", last_name="Berg", email="ola@example.org")
    maker = RowMaker(cw)
    mine, theirs = _made_for(maker, cw.patient), _made_for(maker, other)

    exported = _exported(record_json(export_patient(patient_id=other.pk, acting_user=cw.manager)))

    for label, pks in theirs.items():
        assert pks <= exported[label]
        assert not mine[label] & exported[label]


def test_a_waitlist_place_is_matched_by_the_persons_details_as_a_booking_matches(
    cw: ClinicalWorld,
) -> None:
    maker = RowMaker(cw)
    waitlist = [m for m in patient_tables() if m._meta.label_lower == "waitlist.waitlistentry"]
    if not waitlist:
        pytest.skip("no waiting list in this build")
    (entry_model,) = waitlist
    mine = maker.make(entry_model, cw.patient)
    namesake = make_patient(
        first_name=cw.patient.first_name,
        last_name=cw.patient.last_name,
        email=cw.patient.email,
        date_of_birth=date(1990, 1, 1),
    )
    theirs = maker.make(entry_model, namesake)
    # Same person, written differently: names and email ignore case.
    type(mine)._default_manager.filter(pk=mine.pk).update(email=cw.patient.email.upper())

    exported = _exported(
        record_json(export_patient(patient_id=cw.patient.pk, acting_user=cw.manager))
    )

    assert exported["waitlist.waitlistentry"] == {mine.pk}
    assert theirs.pk not in exported["waitlist.waitlistentry"]


def test_an_offer_of_the_time_a_patient_freed_is_not_part_of_their_record(
    cw: ClinicalWorld,
) -> None:
    tables = {m._meta.label_lower: m for m in patient_tables()}
    if "waitlist.waitlistoffer" not in tables:
        pytest.skip("no waiting list in this build")
    maker = RowMaker(cw)
    other = make_patient(first_name="Ola", last_name="Berg", email="ola@example.org")
    freed = maker.make(tables["booking.appointment"], cw.patient)
    offer = maker.make(tables["waitlist.waitlistoffer"], other)
    type(offer)._default_manager.filter(pk=offer.pk).update(freed_by=freed)

    mine = _exported(record_json(export_patient(patient_id=cw.patient.pk, acting_user=cw.manager)))
    theirs = _exported(record_json(export_patient(patient_id=other.pk, acting_user=cw.manager)))

    assert offer.pk not in mine["waitlist.waitlistoffer"]
    assert offer.pk in theirs["waitlist.waitlistoffer"]


def _section(record: Any, model: str) -> Any:
    return next(section for section in record.sections if section.model == model)


def test_a_clinical_record_comes_with_every_version_and_what_changed(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw, "assessed"))
    amend_assessment(
        assessment=assessment,
        changes={"plan": "Medial branch blocks C5-6"},
        reason="Plan agreed with the consultant",
        acting_user=cw.consultant,
    )

    record = export_patient(patient_id=cw.patient.pk, acting_user=cw.manager)

    (row,) = _section(record, "pathway.assessment").rows
    first, second = row.versions
    assert (first.number, second.number) == (1, 2)
    assert second.reason == "Plan agreed with the consultant"
    assert ("plan", "", "Medial branch blocks C5-6") in second.changes
    assert row.values["nrs_pain"] == 7
    as_json = json.loads(record_json(record))
    (assessments,) = [s for s in as_json["sections"] if s["model"] == "pathway.assessment"]
    assert [v["version"] for v in assessments["rows"][0]["versions"]] == [1, 2]
    assert assessments["rows"][0]["versions"][0]["record"]["plan"] == ""


def test_the_export_is_logged_before_the_record_is_read_so_it_lists_itself(
    cw: ClinicalWorld,
) -> None:
    record = export_patient(patient_id=cw.patient.pk, acting_user=cw.manager)

    entry = AccessLogEntry.objects.get(patient=cw.patient, action="export")
    assert (entry.user, entry.object_type) == (cw.manager, "subject_access_export")
    (logged,) = _section(record, "audit.accesslogentry").rows
    assert logged.pk == entry.pk


def test_secrets_are_withheld_from_the_export(cw: ClinicalWorld) -> None:
    appointment = RowMaker(cw).make(
        next(m for m in patient_tables() if m._meta.label_lower == "booking.appointment"),
        cw.patient,
    )

    text = record_json(export_patient(patient_id=cw.patient.pk, acting_user=cw.manager)).decode()

    assert appointment.manage_secret not in text  # type: ignore[attr-defined]
    assert '"manage_secret": "(withheld: a security credential)"' in text


@pytest.mark.parametrize("role", ["receptionist", "physio", "consultant", "referrer"])
def test_only_a_manager_may_export(cw: ClinicalWorld, role: str) -> None:
    with pytest.raises(Forbidden):
        export_patient(patient_id=cw.patient.pk, acting_user=getattr(cw, role))

    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_an_unknown_patient_is_not_found(cw: ClinicalWorld) -> None:
    with pytest.raises(NotFound):
        export_patient(patient_id=987654, acting_user=cw.manager)


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_reads_as_a_record_with_sections_and_history(cw: ClinicalWorld) -> None:
    assessment = assess(cw, bare_episode(cw, "assessed"))
    amend_assessment(
        assessment=assessment, changes={"plan": "Rehab"}, reason="Plan set", acting_user=cw.physio
    )

    pdf = record_pdf(export_patient(patient_id=cw.patient.pk, acting_user=cw.manager))

    assert pdf.startswith(b"%PDF-")
    text = " ".join(_pdf_text(pdf).split())
    assert "Health record of Robin Hale" in text
    for heading in ("Personal details", "Assessments", "Episodes", "Access log entries"):
        assert heading in text
    assert "History (2 versions)" in text
    assert "Plan set" in text
    assert "1 June 1973" in text  # the date of birth, as the clinic's locale writes it


def test_a_manager_downloads_both_files_from_the_patient_page(
    cw: ClinicalWorld, client: Client
) -> None:
    client.force_login(cw.manager)

    page = client.get(reverse("patients:export", args=[cw.patient.pk]))
    as_json = client.get(reverse("patients:export_json", args=[cw.patient.pk]))
    as_pdf = client.get(reverse("patients:export_pdf", args=[cw.patient.pk]))

    assert page.status_code == 200
    assert reverse("patients:export_pdf", args=[cw.patient.pk]).encode() in page.content
    assert as_json["Content-Type"] == "application/json"
    assert as_json["Content-Disposition"].startswith(
        f'attachment; filename="patient-{cw.patient.pk}'
    )
    assert json.loads(as_json.content)["patient"]["fields"]["last_name"] == "Hale"
    assert as_pdf["Content-Type"] == "application/pdf"
    assert as_pdf.content.startswith(b"%PDF-")
    assert AccessLogEntry.objects.filter(patient=cw.patient, action="export").count() == 2


@pytest.mark.parametrize("name", ["patients:export", "patients:export_json", "patients:export_pdf"])
def test_the_export_pages_are_for_managers_only(
    cw: ClinicalWorld, client: Client, name: str
) -> None:
    client.force_login(cw.receptionist)

    assert client.get(reverse(name, args=[cw.patient.pk])).status_code == 403


def test_the_command_writes_json_and_pdf_and_logs_who_ran_it(
    cw: ClinicalWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("patient", "export", str(cw.patient.pk), output=tmp_path)

    (json_file,) = tmp_path.glob(f"patient-{cw.patient.pk}-record-*.json")
    (pdf_file,) = tmp_path.glob(f"patient-{cw.patient.pk}-record-*.pdf")
    assert json.loads(json_file.read_text())["patient"]["id"] == cw.patient.pk
    assert pdf_file.read_bytes().startswith(b"%PDF-")
    entry = AccessLogEntry.objects.get(patient=cw.patient, action="export")
    assert entry.user.username == "facetcare-cli"
    assert entry.path == f"facetcare patient export {cw.patient.pk}"
    assert "Exported patient" in capsys.readouterr().out


def test_the_command_can_name_the_manager_acting(cw: ClinicalWorld, tmp_path: Path) -> None:
    call_command("patient", "export", str(cw.patient.pk), output=tmp_path, by=cw.manager.username)

    assert AccessLogEntry.objects.get(action="export").user == cw.manager
