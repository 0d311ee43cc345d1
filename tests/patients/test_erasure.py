"""Erasure where the law allows: refused while a retention rule keeps the record,
otherwise the person's details are gone, and the erasure is in the access log."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from facetcare.audit.models import AccessLogEntry, RecordVersion
from facetcare.booking.models import Appointment
from facetcare.errors import Conflict, Forbidden, InvalidInput
from facetcare.patients.erasure import (
    CLINICAL_APPS,
    decide_erasure,
    erase_patient,
    retention_ends,
)
from facetcare.patients.models import Consent, Patient
from facetcare.patients.records import record_consent, update_patient_details
from tests.factories import make_patient
from tests.pathway.world import ClinicalWorld, bare_episode
from tests.patients.subject_access import RowMaker, patient_tables

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last_treatment", "born", "kept_until"),
    [
        # An adult: 8 years after the end of treatment.
        (date(2020, 3, 1), date(1970, 6, 1), date(2028, 3, 1)),
        # A child of 10: until the 25th birthday, later than 8 years.
        (date(2020, 3, 1), date(2010, 1, 1), date(2035, 1, 1)),
        # 17 when treatment ended: until the 26th birthday.
        (date(2020, 3, 1), date(2002, 6, 1), date(2028, 6, 1)),
        # A child of 5 treated long ago is still kept to 25.
        (date(2001, 1, 1), date(1996, 1, 1), date(2021, 1, 1)),
        # Born on 29 February: the 25th birthday falls in a year without one.
        (date(2020, 3, 1), date(2008, 2, 29), date(2033, 2, 28)),
    ],
)
def test_records_are_kept_8_years_after_treatment_and_a_childs_until_25(
    last_treatment: date, born: date, kept_until: date
) -> None:
    assert retention_ends(last_treatment=last_treatment, date_of_birth=born) == kept_until


def _appointment(cw: ClinicalWorld, patient: Patient, start: datetime, status: str) -> Any:
    return Appointment.objects.create(
        patient=patient, service=cw.injection, clinic=cw.clinic,
        practitioner=cw.consultant_practitioner, room=cw.room, start=start,
        end=start + timedelta(minutes=30), occupied_start=start,
        occupied_end=start + timedelta(minutes=30), session_key=f"s-{start.isoformat()}",
        channel="online", price=Decimal("60"), currency="GBP", status=status,
        cancellation_reason="Moving to Leeds, call me on 07700 900123",
        idempotency_key=f"key-{start.isoformat()}",
    )  # fmt: skip


def test_a_patient_with_a_clinical_record_is_refused_citing_the_retention_rule(
    cw: ClinicalWorld,
) -> None:
    bare_episode(cw)

    decision = decide_erasure(patient=cw.patient, now=NOW)

    assert not decision.allowed
    assert "clinical record (1 episode)" in decision.reasons[0]
    assert "Records Management Code of Practice 2023" in decision.source
    with pytest.raises(Conflict, match="clinical record"):
        erase_patient(patient_id=cw.patient.pk, reason="Email", acting_user=cw.manager, now=NOW)
    assert Patient.objects.get(pk=cw.patient.pk).last_name == "Hale"


def test_an_appointment_attended_within_8_years_keeps_the_record_until_then(
    cw: ClinicalWorld,
) -> None:
    _appointment(cw, cw.patient, datetime(2022, 5, 10, 9, tzinfo=UTC), "completed")

    decision = decide_erasure(patient=cw.patient, now=NOW)

    assert not decision.allowed
    assert decision.retain_until == date(2030, 5, 10)
    assert "must be kept until 10 May 2030" in decision.reasons[0]


def test_an_appointment_attended_more_than_8_years_ago_no_longer_keeps_it(
    cw: ClinicalWorld,
) -> None:
    _appointment(cw, cw.patient, datetime(2018, 5, 10, 9, tzinfo=UTC), "completed")

    assert decide_erasure(patient=cw.patient, now=NOW).allowed


def test_an_upcoming_booking_must_be_cancelled_first(cw: ClinicalWorld) -> None:
    _appointment(cw, cw.patient, NOW + timedelta(days=3), "booked")

    decision = decide_erasure(patient=cw.patient, now=NOW)

    assert decision.reasons == ["The patient has 1 upcoming booking(s); cancel them first."]


def _versions_of(instance: Any) -> list[str]:
    content_type = ContentType.objects.get_for_model(instance)
    return list(
        RecordVersion.objects.filter(content_type=content_type, object_id=instance.pk)
        .order_by("version")
        .values_list("reason", flat=True)
    )


def test_erasing_overwrites_the_details_and_deletes_what_else_named_the_person(
    cw: ClinicalWorld,
) -> None:
    other = make_patient(first_name="Ola", last_name="Berg", email="ola@example.org")
    maker = RowMaker(cw)
    erasable = [m for m in patient_tables() if m._meta.app_label not in CLINICAL_APPS]
    theirs = {m: maker.make(m, other).pk for m in erasable}
    for model in erasable:
        maker.make(model, cw.patient)
    cancelled = _appointment(cw, cw.patient, NOW - timedelta(days=30), "cancelled")
    update_patient_details(
        patient=cw.patient,
        changes={"address": "1 Old Road"},
        reason="moved",
        acting_user=cw.manager,
    )
    record_consent(patient=cw.patient, kind="marketing", given=True, acting_user=cw.receptionist)

    erase_patient(
        patient_id=cw.patient.pk, reason="Patient's email of 1 March", acting_user=cw.manager,
        now=NOW,
    )  # fmt: skip

    erased = Patient.objects.get(pk=cw.patient.pk)
    assert (erased.first_name, erased.last_name) == ("Erased", f"patient {erased.pk}")
    assert (erased.email, erased.phone, erased.address) == (
        f"erased-{erased.pk}@erased.invalid", "", "",
    )  # fmt: skip
    assert erased.date_of_birth == date(1900, 1, 1)
    assert not Consent.objects.filter(patient=erased).exists()
    # The earlier versions held the old address; one version records the erasure.
    assert _versions_of(erased) == ["erased: Patient's email of 1 March"]
    kept = Appointment.objects.get(pk=cancelled.pk)
    assert (kept.patient_id, kept.cancellation_reason, kept.idempotency_key) == (
        erased.pk,
        "",
        None,
    )
    assert kept.manage_secret != cancelled.manage_secret
    for model in erasable:
        if model in {Appointment, AccessLogEntry}:
            continue
        assert model._default_manager.filter(pk=theirs[model]).exists(), model
    assert Patient.objects.get(pk=other.pk).last_name == "Berg"
    entry = AccessLogEntry.objects.filter(patient=erased).order_by("id").last()
    assert entry is not None
    assert (entry.action, entry.user) == ("erase", cw.manager)


def test_nothing_about_the_person_is_left_in_their_rows(cw: ClinicalWorld) -> None:
    maker = RowMaker(cw)
    for model in patient_tables():
        if model._meta.app_label not in CLINICAL_APPS:
            maker.make(model, cw.patient)
    identity = (cw.patient.first_name, cw.patient.last_name, cw.patient.email)

    erase_patient(patient_id=cw.patient.pk, reason="Request", acting_user=cw.manager, now=NOW)

    for model in patient_tables():
        for row in model._default_manager.all():
            text = " ".join(str(getattr(row, f.attname)) for f in model._meta.concrete_fields)
            for detail in identity:
                assert detail not in text, f"{model._meta.label} still holds {detail!r}"


@pytest.mark.parametrize("role", ["receptionist", "physio", "consultant", "referrer"])
def test_only_a_manager_may_erase(cw: ClinicalWorld, role: str) -> None:
    with pytest.raises(Forbidden):
        erase_patient(patient_id=cw.patient.pk, reason="x", acting_user=getattr(cw, role), now=NOW)


def test_the_request_must_be_recorded(cw: ClinicalWorld) -> None:
    with pytest.raises(InvalidInput) as raised:
        erase_patient(patient_id=cw.patient.pk, reason="  ", acting_user=cw.manager, now=NOW)

    assert raised.value.field == "reason"


def test_the_page_erases_after_confirmation_and_refuses_with_the_reasons(
    cw: ClinicalWorld, client: Client
) -> None:
    client.force_login(cw.manager)
    url = reverse("patients:erase", args=[cw.patient.pk])

    unconfirmed = client.post(url, {"reason": "Email"})
    assert unconfirmed.status_code == 400
    assert Patient.objects.get(pk=cw.patient.pk).last_name == "Hale"

    done = client.post(url, {"reason": "Email", "confirm": "on"})
    assert done.status_code == 302
    assert Patient.objects.get(pk=cw.patient.pk).first_name == "Erased"


def test_the_page_shows_why_a_patient_cannot_be_erased(cw: ClinicalWorld, client: Client) -> None:
    bare_episode(cw)
    client.force_login(cw.manager)

    page = client.get(reverse("patients:export", args=[cw.patient.pk]))
    refused = client.post(
        reverse("patients:erase", args=[cw.patient.pk]), {"reason": "Email", "confirm": "on"}
    )

    assert b"This patient cannot be erased." in page.content
    assert b"clinical record (1 episode)" in page.content
    assert b"Erase this patient" not in page.content
    assert refused.status_code == 409
    assert Patient.objects.get(pk=cw.patient.pk).last_name == "Hale"
