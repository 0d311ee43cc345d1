"""Subject access: one patient's whole record, as JSON and as a readable PDF.

Everything FacetCare holds about the patient is gathered through
``ownership.patient_owned_models``: demographics, consents, appointments and
their reminders, episodes, assessments (with their scores), procedures and
their responses, policy overrides, waiting-list entries and offers, and the
access log about them; each clinical record with every version the audit
trail keeps (who changed what, when and why). Security credentials (a booking's
manage-link secret, request fingerprints) are withheld: they are keys, not
information about the person. The export itself is written to the access log
before the record is read, so it lists itself.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from facetcare import locales
from facetcare.audit.actors import Actor, authenticated
from facetcare.audit.models import AccessLogEntry, RecordVersion
from facetcare.audit.services import log_access, snapshot_of
from facetcare.errors import NotFound
from facetcare.pathway.access import require_role
from facetcare.patients.models import Patient
from facetcare.patients.ownership import patient_owned_models, rows_of
from facetcare.web.roles import Role

FORMAT = "facetcare-subject-access/1"
WITHHELD_FIELDS = frozenset({"manage_secret", "request_fingerprint", "idempotency_key"})
WITHHELD = "(withheld: a security credential)"
# A section with at most this many fields is a table in the PDF; wider ones are cards.
TABLE_COLUMNS = 7


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime
    changed_at_text: str
    changed_by: str
    reason: str
    snapshot: dict[str, Any]
    changes: list[tuple[str, Any, Any]]  # (field, before, after) against the version before


@dataclass(frozen=True)
class ExportedRow:
    pk: Any
    values: dict[str, Any]  # JSON-safe, by column name (foreign keys as ids)
    labels: dict[str, str]  # readable text of foreign keys and choices
    texts: dict[str, str]  # every field as a person reads it, for the PDF
    versions: list[Version] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    model: str  # "booking.appointment"
    title: str
    singular: str
    links: list[str]
    columns: list[tuple[str, str]]  # (column name, heading)
    rows: list[ExportedRow]

    @property
    def as_table(self) -> bool:
        return len(self.columns) <= TABLE_COLUMNS

    @property
    def table_rows(self) -> list[list[str]]:
        return [[row.texts.get(name, "") for name, _ in self.columns] for row in self.rows]

    @property
    def cards(self) -> list[tuple[ExportedRow, list[tuple[str, str]]]]:
        return [(row, lines_of(row, self.columns)) for row in self.rows]


def lines_of(row: ExportedRow, columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(heading, text) of each field that holds something, in the model's order."""
    return [(heading, row.texts[name]) for name, heading in columns if row.texts.get(name)]


@dataclass(frozen=True)
class PatientRecord:
    patient: ExportedRow
    patient_columns: list[tuple[str, str]]
    sections: list[Section]
    generated_at: datetime
    generated_by: str
    zone: ZoneInfo
    locale: str

    @property
    def generated_at_text(self) -> str:
        return _text(self.generated_at, self.zone, self.locale)

    @property
    def patient_lines(self) -> list[tuple[str, str]]:
        return lines_of(self.patient, self.patient_columns)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "generated_at": self.generated_at.isoformat(),
            "generated_by": self.generated_by,
            "times": "UTC, ISO 8601",
            "patient": _row_json(self.patient),
            "sections": [
                {
                    "model": section.model,
                    "title": section.title,
                    "linked_by": section.links,
                    "rows": [_row_json(row) for row in section.rows],
                }
                for section in self.sections
            ],
        }


def _row_json(row: ExportedRow) -> dict[str, Any]:
    return {
        "id": row.pk,
        "fields": row.values,
        "labels": row.labels,
        "versions": [
            {
                "version": v.number,
                "changed_at": v.changed_at.isoformat(),
                "changed_by": v.changed_by,
                "reason": v.reason,
                "record": v.snapshot,
            }
            for v in row.versions
        ],
    }


def _text(value: Any, zone: ZoneInfo, locale: str) -> str:
    """A field's value as a person reads it; "" for nothing."""
    if value is None or value in ("", [], {}):
        return ""
    if isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, datetime):
        text = locales.format_datetime(value.astimezone(zone), locale)
    elif isinstance(value, date):
        text = locales.format_date(value, locale, weekday=False)
    elif isinstance(value, list | dict):
        text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    elif isinstance(value, Decimal):
        text = f"{value.normalize():f}"
    else:
        text = str(value)
    return text


def _name_of(related: models.Model) -> str:
    """A staff member by their full name, anything else as it names itself."""
    full_name = getattr(related, "get_full_name", None)
    return (full_name() if callable(full_name) else "") or str(related)


def _same(before: Any, after: Any) -> bool:
    # A decimal read back from the database ("38.00") is the number written ("38").
    try:
        return before == after or Decimal(str(before)) == Decimal(str(after))
    except (ArithmeticError, ValueError):
        return False


def _export_row(
    instance: models.Model, zone: ZoneInfo, locale: str, versions: list[Version]
) -> ExportedRow:
    values = snapshot_of(instance)
    labels: dict[str, str] = {}
    texts: dict[str, str] = {}
    for column in instance._meta.concrete_fields:
        name = column.attname
        raw = column.value_from_object(instance)
        if column.name in WITHHELD_FIELDS:
            if raw not in (None, ""):
                values[name] = texts[name] = WITHHELD
            continue
        if column.is_relation and raw is not None:
            labels[name] = texts[name] = _name_of(getattr(instance, column.name))
        elif column.choices:
            labels[name] = texts[name] = str(dict(column.flatchoices).get(raw, raw))
        else:
            texts[name] = _text(raw, zone, locale)
    return ExportedRow(instance.pk, values, labels, texts, versions)


def _columns(model: type[models.Model]) -> list[tuple[str, str]]:
    """(column, heading) of each field a reader needs; the link to the patient goes
    without saying in their own record."""
    return [
        (column.attname, "ID" if column.primary_key else str(column.verbose_name).capitalize())
        for column in model._meta.concrete_fields
        if not (column.is_relation and column.related_model is Patient)
    ]


def _versions_of(
    model: type[models.Model], pks: Sequence[Any], zone: ZoneInfo, locale: str
) -> dict[Any, list[Version]]:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    found = (
        RecordVersion.objects.filter(content_type=content_type, object_id__in=pks)
        .select_related("changed_by")
        .order_by("object_id", "version")
    )
    by_row: dict[Any, list[Version]] = defaultdict(list)
    for version in found:
        earlier = by_row[version.object_id][-1].snapshot if by_row[version.object_id] else None
        changes = (
            []
            if earlier is None
            else [
                (name, earlier.get(name), value)
                for name, value in version.snapshot.items()
                if not _same(earlier.get(name), value)
            ]
        )
        by_row[version.object_id].append(
            Version(
                number=version.version,
                changed_at=version.changed_at,
                changed_at_text=_text(version.changed_at, zone, locale),
                changed_by=version.changed_by.get_full_name() or version.changed_by.username,
                reason=version.reason,
                snapshot=version.snapshot,
                changes=changes,
            )
        )
    return by_row


def _export_rows(
    model: type[models.Model], instances: Iterable[models.Model], zone: ZoneInfo, locale: str
) -> list[ExportedRow]:
    instances = list(instances)
    versions = _versions_of(model, [i.pk for i in instances], zone, locale) if instances else {}
    return [_export_row(i, zone, locale, versions.get(i.pk, [])) for i in instances]


def _section(model: type[models.Model], patient: Patient, zone: ZoneInfo, locale: str) -> Section:
    related = [
        column.name
        for column in model._meta.concrete_fields
        if column.is_relation and column.related_model is not Patient
    ]
    rows = rows_of(model, patient).select_related(*related)
    return Section(
        model=model._meta.label_lower,
        title=_title(model),
        singular=str(model._meta.verbose_name).capitalize(),
        links=[link.describe() for link in patient_owned_models()[model]],
        columns=_columns(model),
        rows=_export_rows(model, rows, zone, locale),
    )


def _title(model: type[models.Model]) -> str:
    source: Any = model._meta.auto_created
    if not source:
        return str(model._meta.verbose_name_plural).capitalize()
    # A many-to-many table: "Clinics of waitlist entries".
    targets: list[Any] = [
        f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not source
    ]
    target = targets[0] if targets else source
    return f"{target._meta.verbose_name_plural} of {source._meta.verbose_name_plural}".capitalize()


def _clinic_time(patient: Patient) -> tuple[ZoneInfo, str]:
    """The zone and locale of the clinic the patient was booked at last (UTC, en-GB if none)."""
    latest = patient.appointments.select_related("clinic").order_by("-start").first()
    if latest is None:
        return ZoneInfo("UTC"), locales.EN_GB
    return ZoneInfo(latest.clinic.time_zone), latest.clinic.locale


def gather_record(*, patient: Patient, generated_by: str, now: datetime) -> PatientRecord:
    """Everything held about ``patient``; callers check who may see it and log the access."""
    zone, locale = _clinic_time(patient)
    models_in_order = sorted(
        patient_owned_models(), key=lambda m: (m is AccessLogEntry, m._meta.label_lower)
    )
    return PatientRecord(
        patient=_export_rows(Patient, [patient], zone, locale)[0],
        patient_columns=_columns(Patient),
        sections=[_section(model, patient, zone, locale) for model in models_in_order],
        generated_at=now,
        generated_by=generated_by,
        zone=zone,
        locale=locale,
    )


def export_patient(
    *, patient_id: int, acting_user: Actor, now: datetime | None = None
) -> PatientRecord:
    """A manager's subject access export of one patient, logged as an export first."""
    require_role(acting_user, Role.MANAGER, doing="export a patient's whole record")
    with transaction.atomic():
        patient = Patient.objects.filter(pk=patient_id).first()
        if patient is None:
            raise NotFound(f"No patient {patient_id}")
        log_access(
            user=acting_user, action="export", patient_id=patient.pk,
            object_type="subject_access_export", object_id=patient.pk,
        )  # fmt: skip
        return gather_record(
            patient=patient,
            generated_by=authenticated(acting_user).get_username(),
            now=now or timezone.now(),
        )


def record_json(record: PatientRecord) -> bytes:
    """The record as indented UTF-8 JSON."""
    text = json.dumps(record.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return (text + "\n").encode()


def record_pdf(record: PatientRecord) -> bytes:
    """The record as an A4 PDF laid out for a person to read (WeasyPrint)."""
    import weasyprint  # loads the system's pango libraries; only exports need them

    html = render_to_string("patients/documents/subject_access.html", {"record": record})
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def export_file_stem(record: PatientRecord) -> str:
    """``patient-<id>-record-<UTC time made>``, the name of the files an export writes."""
    return f"patient-{record.patient.pk}-record-{record.generated_at:%Y%m%dT%H%M%SZ}"
