"""Forms for the clinical pathway pages. They turn posted fields into the services'
arguments; the services validate against the model and the pathway rules."""

from typing import Any

from django import forms

from facetcare.pathway import red_flags
from facetcare.pathway.models import Assessment, Episode, ProcedureRecord, Side
from facetcare.web.templatetags.staff import code_label

NRS_CHOICES = [(score, str(score)) for score in range(11)]
MODALITIES = [
    ("exercise_programme", "Exercise programme"),
    ("manual_therapy", "Manual therapy"),
    ("spinal_manipulation", "Spinal manipulation"),
    ("acupuncture", "Acupuncture"),
    ("nsaids", "NSAIDs"),
    ("paracetamol", "Paracetamol"),
    ("education", "Education and reassurance"),
]
YES_NO_UNKNOWN = [("", "Not yet known"), ("true", "Yes: failed"), ("false", "No: it is helping")]


def red_flag_field_name(category_key: str) -> str:
    return f"red_flags_{category_key}"


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class AssessmentForm(forms.Form):
    """A new assessment, or (with ``amending=True``) an amendment that must say why."""

    symptom_pattern = forms.ChoiceField(choices=Assessment.SymptomPattern.choices)
    red_flags_screened = forms.BooleanField(
        required=False, label="Red-flag screen done with the patient"
    )
    suspected_axspa = forms.BooleanField(
        required=False, label="Suspected axial spondyloarthritis (NICE NG65 criteria met)"
    )
    radiculopathy = forms.ChoiceField(choices=Assessment.Radiculopathy.choices)
    neuro_signs = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One finding a line."
    )
    pain_duration_weeks = forms.IntegerField(min_value=0, label="Pain duration (weeks)")
    nrs_pain = forms.TypedChoiceField(
        choices=NRS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "nrs"}),
        label="Average index pain (NRS-11, 0 = none, 10 = worst imaginable)",
    )
    disability_instrument = forms.ChoiceField(
        choices=[("", "Not recorded"), *Assessment.Instrument.choices], required=False
    )
    disability_score = forms.DecimalField(
        required=False, min_value=0, max_digits=6, decimal_places=2
    )
    conservative_care_weeks = forms.IntegerField(min_value=0, initial=0, label="Weeks")
    conservative_care_modalities = forms.MultipleChoiceField(
        choices=MODALITIES, required=False, widget=forms.CheckboxSelectMultiple, label="Modalities"
    )
    conservative_care_failed = forms.NullBooleanField(
        required=False,
        widget=forms.Select(choices=YES_NO_UNKNOWN),
        label="Has conservative care failed?",
    )
    functional_goals = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Functional goals, in the patient's own words",
        help_text="One goal a line.",
    )
    non_facet_pathology = forms.CharField(required=False, max_length=200)
    widespread_pain_condition = forms.BooleanField(
        required=False, label="Widespread pain condition (fibromyalgia, centralised pain)"
    )
    prior_alif = forms.BooleanField(required=False, label="Previous anterior lumbar fusion (ALIF)")
    postmenopausal = forms.BooleanField(required=False)
    osteoporosis = forms.BooleanField(required=False)
    impression = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, amending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in red_flags.CATEGORIES:
            self.fields[red_flag_field_name(category.key)] = forms.MultipleChoiceField(
                choices=[(code, code_label(code)) for code in category.codes],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=category.label,
            )
        if amending:
            self.fields["reason"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}), label="Reason for the amendment"
            )

    def red_flag_fields(self) -> list[forms.BoundField]:
        return [self[red_flag_field_name(c.key)] for c in red_flags.CATEGORIES]

    def finding_flags(self) -> list[forms.BoundField]:
        names = ("widespread_pain_condition", "prior_alif", "postmenopausal", "osteoporosis")
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instrument, score = data.get("disability_instrument"), data.get("disability_score")
        if instrument and score is None:
            self.add_error("disability_score", "Give the score for the chosen instrument.")
        if score is not None and not instrument:
            self.add_error("disability_instrument", "Say which instrument gave this score.")
        if self.chosen_red_flags() and not data.get("red_flags_screened"):
            self.add_error(
                "red_flags_screened", "Red flags are ticked, so confirm the screen was done."
            )
        return data

    def chosen_red_flags(self) -> list[str]:
        chosen: list[str] = []
        for category in red_flags.CATEGORIES:
            chosen.extend(self.cleaned_data.get(red_flag_field_name(category.key)) or [])
        return chosen

    def details(self) -> dict[str, Any]:
        """The cleaned values as the assessment service's ``details``."""
        data = self.cleaned_data
        skip = {"reason", *(red_flag_field_name(c.key) for c in red_flags.CATEGORIES)}
        details = {name: value for name, value in data.items() if name not in skip}
        details["red_flags"] = self.chosen_red_flags()
        details["neuro_signs"] = lines(data["neuro_signs"])
        details["functional_goals"] = lines(data["functional_goals"])
        details["disability_instrument"] = data["disability_instrument"] or ""
        return details

    @classmethod
    def initial_from(cls, assessment: Assessment) -> dict[str, Any]:
        """Form values showing an existing assessment, for amending it."""
        initial: dict[str, Any] = {
            name: getattr(assessment, name)
            for name in cls.base_fields
            if name not in {"neuro_signs", "functional_goals"}
        }
        initial["neuro_signs"] = "\n".join(assessment.neuro_signs)
        initial["functional_goals"] = "\n".join(assessment.functional_goals)
        for category in red_flags.CATEGORIES:
            chosen = [code for code in assessment.red_flags if code in category.codes]
            initial[red_flag_field_name(category.key)] = chosen
        return initial


FACET_TYPES = [
    (value, label)
    for value, label in ProcedureRecord.Type.choices
    if value in {"mbb_diagnostic", "ia_diagnostic", "ia_therapeutic", "mbb_therapeutic", "rfa"}
]
REQUEST_GUIDANCE = [*ProcedureRecord.Guidance.choices, ("mri", "MRI"), ("none", "None")]
INJECTATE_KINDS = [
    ("local_anaesthetic", "Local anaesthetic"),
    ("corticosteroid", "Corticosteroid"),
    ("contrast", "Contrast"),
]


def split_levels(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class ProcedureRequestForm(forms.Form):
    """A requested procedure, checked against the episode's policy pack before booking."""

    type = forms.ChoiceField(choices=FACET_TYPES, label="Procedure")
    levels = forms.CharField(max_length=60, help_text="Comma-separated, e.g. L4-5, L5-S1")
    side = forms.ChoiceField(choices=Side.choices)
    guidance = forms.ChoiceField(choices=REQUEST_GUIDANCE)
    sedation = forms.ChoiceField(choices=ProcedureRecord.Sedation.choices)
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), label="Planned date"
    )
    injectate = forms.MultipleChoiceField(
        choices=INJECTATE_KINDS, required=False, widget=forms.CheckboxSelectMultiple
    )
    steroid_mg_mpde = forms.DecimalField(
        min_value=0, max_digits=7, decimal_places=2, initial=0, label="Steroid (mg MPDE)"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        steroid = data.get("steroid_mg_mpde")
        if steroid and "corticosteroid" not in (data.get("injectate") or []):
            self.add_error("injectate", "A steroid dose is given, so tick corticosteroid.")
        return data

    def requested(self, *, region: str) -> dict[str, Any]:
        """The request in the policy facts format (``request`` of the reference packs)."""
        data = self.cleaned_data
        return {
            "date": data["date"].isoformat(),
            "type": data["type"],
            "region": region,
            "levels": split_levels(data["levels"]),
            "side": data["side"],
            "guidance": data["guidance"],
            "sedation": data["sedation"],
            "injectate": list(data["injectate"]),
            "steroid_mg_mpde": float(data["steroid_mg_mpde"]),
        }


class OverrideForm(ProcedureRequestForm):
    """The checked request again (hidden) with the consultant's reason.

    Its element ids differ from the request form's and the transition form's,
    which share the page, so every label points at its own field.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "override-%s")
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for proceeding against the policy",
        help_text="Recorded with your name, the rules overridden and the pack version.",
    )


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(choices=Episode.State.choices)
    reason = forms.CharField(required=False, max_length=500)
