"""Forms of the clinicians' outcomes pages; services check the values again."""

from typing import Any

from django import forms

from facetcare.outcomes.models import PainScore

CONCORDANCE_CHOICES = [("", "Not judged yet"), ("yes", "Yes, concordant"), ("no", "No, discordant")]


class PainScoreForm(forms.Form):
    value = forms.IntegerField(label="Pain score", min_value=0, max_value=100)
    scale = forms.ChoiceField(label="Scale", choices=PainScore.Scale.choices)
    recorded_at = forms.DateTimeField(
        label="When (clinic time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(label="Note", required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ConfirmResponseForm(forms.Form):
    relief_percent = forms.DecimalField(
        label="Relief (%)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text="Leave as derived, or correct it",
    )
    relief_duration_days = forms.IntegerField(
        label="Relief lasted (days)", required=False, min_value=0, max_value=3650
    )
    concordant = forms.ChoiceField(
        label="Duration concordant with the agent",
        choices=CONCORDANCE_CHOICES,
        required=False,
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, diagnostic: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if diagnostic:
            del self.fields["relief_duration_days"]
        else:
            del self.fields["concordant"]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            "relief_percent": data.get("relief_percent"),
            "relief_duration_days": data.get("relief_duration_days"),
            "note": data.get("note", ""),
        }
        concordant = data.get("concordant")
        values["duration_concordant_with_agent"] = {"yes": True, "no": False}.get(concordant or "")
        return values
