"""Forms of the clinician pages: start a programme, change a dose, add, remove, move on."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from facetcare.clinics.models import Clinic
from facetcare.core.rehab import CAUTIONS, DOSAGE_BOUNDS, PATHWAY_LABELS, Exercise, Pathway
from facetcare.pathway.models import ProcedureRecord
from facetcare.rehab.defaults import StartDefaults

# The first day after an injection is applied by the programme itself, not chosen.
CAUTION_CHOICES = [
    (code, label) for code, label in CAUTIONS.items() if code != "post_injection_24h"
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProcedureChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        levels = ", ".join(obj.levels)
        return f"{obj.get_type_display()} {levels} on {obj.performed_on:%d %b %Y}".replace(
            "  ", " "
        )


class StartProgrammeForm(forms.Form):
    pathway = forms.ChoiceField(
        choices=[(p.value, PATHWAY_LABELS[p]) for p in Pathway], widget=forms.RadioSelect
    )
    procedure = ProcedureChoice(
        queryset=ProcedureRecord.objects.none(),
        required=False,
        label="Injection or block it follows",
        empty_label="None",
    )
    started_on = forms.DateField(
        widget=DATE_INPUT,
        label="Start date",
        help_text="The injection date, or the assessment date for physiotherapy alone",
    )
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Goals, in the patient's own words",
        help_text="One a line, e.g. “turn my head to reverse the car”",
    )
    cautions = forms.MultipleChoiceField(
        choices=CAUTION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Exercises to be avoided with these are left out",
    )
    clinic = forms.ModelChoiceField(
        queryset=Clinic.objects.filter(is_active=True).order_by("name"),
        label="Clinic on the handout",
    )

    def __init__(self, *args: Any, procedures: QuerySet[ProcedureRecord], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(defaults: StartDefaults) -> dict[str, Any]:
        return {
            "pathway": defaults.pathway.value,
            "procedure": defaults.procedure,
            "started_on": defaults.started_on,
            "goals": "\n".join(defaults.goals),
            "cautions": defaults.cautions,
            "clinic": defaults.clinic,
        }

    def goal_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["goals"].splitlines() if line.strip()]


def _dose_field(name: str, label: str, *, required: bool = False) -> forms.IntegerField:
    low, high = DOSAGE_BOUNDS[name]
    return forms.IntegerField(label=label, required=required, min_value=low, max_value=high)


class DosageForm(forms.Form):
    sets = _dose_field("sets", "Sets", required=True)
    reps = _dose_field("reps", "Repetitions")
    hold_seconds = _dose_field("hold_seconds", "Hold (seconds)")
    minutes = _dose_field("minutes", "Minutes")
    per_day = _dose_field("per_day", "Times a day")
    per_week = _dose_field("per_week", "Times a week")
    clinician_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Note for the patient"
    )
    reason = forms.CharField(max_length=300, required=False, label="Reason for the change")


class AddExerciseForm(forms.Form):
    exercise = forms.ChoiceField(label="Exercise")
    clinician_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Note for the patient"
    )

    def __init__(self, *args: Any, offered: list[Exercise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose an exercise"), *((e.slug, e.name) for e in offered)]
        self.fields["exercise"].choices = choices  # type: ignore[attr-defined]


class RemoveExerciseForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why remove it")


class AdvancePhaseForm(forms.Form):
    reviewed_on = forms.DateField(widget=DATE_INPUT, label="Review date")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What the review found")
