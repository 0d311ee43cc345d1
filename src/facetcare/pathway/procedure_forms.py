"""Forms for recording a procedure and its response."""

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Service
from facetcare.pathway.forms import NRS_CHOICES, split_levels
from facetcare.pathway.models import ProcedureRecord, Side
from facetcare.pathway.procedures import REQUIRED_RISKS, STEROID_RISK
from facetcare.web.templatetags.staff import code_label

INJECTATE_ROWS = 3
RISK_CHOICES = [(risk, code_label(risk)) for risk in (*REQUIRED_RISKS, STEROID_RISK)]
OPTIONAL_NRS = [("", "Not recorded"), *NRS_CHOICES]


class AppointmentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        zone = ZoneInfo(obj.clinic.time_zone)
        return (
            f"{obj.start.astimezone(zone):%d %b %Y %H:%M} · {obj.service.name} · {obj.clinic.name}"
        )


class ProcedureRecordForm(forms.Form):
    appointment = AppointmentChoice(queryset=Appointment.objects.none())
    type = forms.ChoiceField(choices=ProcedureRecord.Type.choices, label="Procedure")
    region = forms.ChoiceField(choices=ProcedureRecord.ProcedureRegion.choices)
    levels = forms.CharField(
        max_length=60, required=False, help_text="Comma-separated, e.g. L4-5, L5-S1"
    )
    side = forms.ChoiceField(choices=Side.choices)
    guidance = forms.ChoiceField(choices=ProcedureRecord.Guidance.choices)
    sedation = forms.ChoiceField(choices=ProcedureRecord.Sedation.choices)
    steroid_mg_mpde = forms.DecimalField(
        min_value=0, max_digits=7, decimal_places=2, initial=0, label="Steroid (mg MPDE)"
    )
    consent_obtained = forms.BooleanField(
        required=False, label="Written consent obtained for this procedure"
    )
    risks_discussed = forms.MultipleChoiceField(
        choices=RISK_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    started = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}), label="Started (local)"
    )
    ended = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}), label="Ended (local)"
    )
    complications = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pre_pain_nrs = forms.TypedChoiceField(
        choices=OPTIONAL_NRS, coerce=int, empty_value=None, required=False, label="Pain before"
    )
    post_pain_nrs = forms.TypedChoiceField(
        choices=OPTIONAL_NRS, coerce=int, empty_value=None, required=False, label="Pain after"
    )
    same_day_discharge = forms.BooleanField(required=False, initial=True)
    aftercare = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, appointments: QuerySet[Appointment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment"].queryset = appointments  # type: ignore[attr-defined]
        for row in range(1, INJECTATE_ROWS + 1):
            self.fields[f"agent_{row}"] = forms.CharField(
                required=False, max_length=80, label=f"Agent {row}"
            )
            self.fields[f"dose_{row}"] = forms.DecimalField(
                required=False, min_value=0, max_digits=7, decimal_places=2, label="Dose (mg)"
            )

    def procedure_fields(self) -> list[forms.BoundField]:
        names = ("appointment", "type", "region", "levels", "side", "guidance", "sedation")
        return [self[name] for name in names]

    def day_fields(self) -> list[forms.BoundField]:
        names = ("started", "ended", "pre_pain_nrs", "post_pain_nrs", "same_day_discharge")
        return [self[name] for name in names]

    def injectate_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"agent_{n}"], self[f"dose_{n}"]) for n in range(1, INJECTATE_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, INJECTATE_ROWS + 1):
            agent, dose = data.get(f"agent_{row}"), data.get(f"dose_{row}")
            if agent and dose is None:
                self.add_error(f"dose_{row}", f"Give the dose of {agent} in mg.")
            if dose is not None and not agent:
                self.add_error(f"agent_{row}", "Name the agent for this dose.")
        started, ended = data.get("started"), data.get("ended")
        if started and ended and ended < started:
            self.add_error("ended", "The procedure cannot end before it started.")
        return data

    def _local(self, moment: time | None, appointment: Appointment) -> datetime | None:
        if moment is None:
            return None
        zone = ZoneInfo(appointment.clinic.time_zone)
        day = appointment.start.astimezone(zone).date()
        return datetime.combine(day, moment, tzinfo=zone)

    def details(self) -> dict[str, Any]:
        """The cleaned values as the procedure service's ``details``."""
        data = self.cleaned_data
        appointment = data["appointment"]
        injectate = [
            {"agent": data[f"agent_{n}"], "dose_mg": data[f"dose_{n}"]}
            for n in range(1, INJECTATE_ROWS + 1)
            if data.get(f"agent_{n}")
        ]
        return {
            "type": data["type"],
            "region": data["region"],
            "levels": split_levels(data["levels"]),
            "side": data["side"],
            "guidance": data["guidance"],
            "sedation": data["sedation"],
            "injectate": injectate,
            "steroid_mg_mpde": data["steroid_mg_mpde"],
            "consent_obtained": data["consent_obtained"],
            "risks_discussed": list(data["risks_discussed"]),
            "started_at": self._local(data["started"], appointment),
            "ended_at": self._local(data["ended"], appointment),
            "complications": data["complications"],
            "pre_pain_nrs": data["pre_pain_nrs"],
            "post_pain_nrs": data["post_pain_nrs"],
            "same_day_discharge": data["same_day_discharge"],
            "aftercare": data["aftercare"],
        }


class ProcedureResponseForm(forms.Form):
    relief_percent = forms.IntegerField(
        min_value=0, max_value=100, label="Relief of the index pain (%)"
    )
    relief_duration_days = forms.IntegerField(
        min_value=0, required=False, label="Relief lasted (days)"
    )
    same_pain_scale_as_baseline = forms.BooleanField(
        required=False, initial=True, label="Measured on the same pain scale as at baseline"
    )
    duration_concordant_with_agent = forms.NullBooleanField(
        required=False,
        widget=forms.Select(choices=[("", "Not applicable"), ("true", "Yes"), ("false", "No")]),
        label="Duration concordant with the agent (diagnostic blocks)",
    )


class BookProcedureForm(forms.Form):
    """Which procedure service to book at the next free slot on the consultant's list."""

    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), empty_label=None, label="Procedure to book"
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "book-%s")
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
