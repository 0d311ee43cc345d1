"""Forms behind a patient's manage link: pick a day, pick a time, confirm a cancellation."""

from datetime import date
from typing import Any

from django import forms

from facetcare import locales


class PatientForm(forms.Form):
    """Labels as sentences and questions, without Django's trailing colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DayForm(PatientForm):
    """The day whose free times to list; it must lie between today and the furthest advance."""

    day = forms.DateField(
        label="Or go to a date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date, for example 2027-01-12"},
    )

    def __init__(self, *args: Any, first: date, last: date, locale: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first, self.last, self.locale = first, last, locale
        attrs = self.fields["day"].widget.attrs
        attrs.update(min=first.isoformat(), max=last.isoformat())

    def clean_day(self) -> date | None:
        day: date | None = self.cleaned_data.get("day")
        if day is not None and not self.first <= day <= self.last:
            first = locales.format_date(self.first, self.locale)
            last = locales.format_date(self.last, self.locale)
            raise forms.ValidationError(f"Choose a day from {first} to {last}")
        return day


class RescheduleForm(PatientForm):
    """The new time, as one of the free times listed (the page renders the radio buttons)."""

    time = forms.CharField(
        label="New time",
        max_length=40,
        error_messages={
            "required": "Choose one of the free times",
            "max_length": "Choose one of the free times listed",
        },
    )


class CancelForm(PatientForm):
    REASONS = [
        ("", "Prefer not to say"),
        ("feeling better", "I am feeling better"),
        ("cannot attend", "I cannot make this time"),
        ("booked elsewhere", "I have booked elsewhere"),
        ("other", "Another reason"),
    ]

    reason = forms.ChoiceField(
        label="Why are you cancelling? (optional)",
        choices=REASONS,
        required=False,
        error_messages={"invalid_choice": "Choose one of the reasons listed"},
    )
