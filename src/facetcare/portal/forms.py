"""Forms of the patient portal. Every message names the field it is about."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from facetcare.outcomes.questionnaires import Question

OLDEST_BIRTH_YEAR = 1900
DATE_PARTS = ("day", "month", "year")
DATE_OF_BIRTH_PROBLEM = "Enter your date of birth as day, month and year, for example 17 5 1980"


class PortalForm(forms.Form):
    """Labels without a trailing colon, as the public pages write them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _number(label: str, autocomplete: str, size: int, low: int, high: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": DATE_OF_BIRTH_PROBLEM,
            "invalid": DATE_OF_BIRTH_PROBLEM,
            "min_value": DATE_OF_BIRTH_PROBLEM,
            "max_value": DATE_OF_BIRTH_PROBLEM,
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": autocomplete,
                "size": size,
                "maxlength": size,
                "aria-describedby": "dob-hint",
            }
        ),
    )


class SignInLinkForm(PortalForm):
    """The email address on the patient's record and their date of birth.

    The date is typed as three numbers (day, month, year): written as one, 05/06/1980
    means June to a British patient and May to an American one.
    """

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address your clinic has for you, where your booking emails went.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    day = _number("Day", "bday-day", 2, 1, 31)
    month = _number("Month", "bday-month", 2, 1, 12)
    year = _number("Year", "bday-year", 4, OLDEST_BIRTH_YEAR, 9999)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = self._date_problem(data)
        if problem is None:
            data["date_of_birth"] = date(data["year"], data["month"], data["day"])
            return data
        # One message for the three boxes, shown once beside them, and each box
        # points at it.
        for name in DATE_PARTS:
            self.errors.pop(name, None)
            widget = self.fields[name].widget
            widget.attrs["aria-describedby"] = "dob-hint dob-error"
            widget.attrs["aria-invalid"] = "true"
        self.add_error("day", problem)
        return data

    def _date_problem(self, data: dict[str, Any]) -> str | None:
        if any(name in self.errors for name in DATE_PARTS):
            return DATE_OF_BIRTH_PROBLEM
        try:
            born = date(data["year"], data["month"], data["day"])
        except ValueError:
            return "That date does not exist: check the day and the month"
        if born > self.today:
            return "Your date of birth cannot be in the future"
        return None

    @property
    def date_of_birth_errors(self) -> list[str]:
        return [str(error) for error in self.errors.get("day", [])]


class PasswordSignInForm(PortalForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=200,
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LinkForm(forms.Form):
    """The sign-in link's token, carried from the page to its button."""

    token = forms.CharField(max_length=200, widget=forms.HiddenInput)


class PortalPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """A new password, twice; Django's password rules apply."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "The same password again"


SAY_WHETHER = "Say whether you did it"


class ExerciseTickForm(forms.Form):
    """Done (1) or not done after all (0)."""

    done = forms.TypedChoiceField(
        choices=[("1", "Done"), ("0", "Not done")],
        coerce=lambda value: value == "1",
        error_messages={"required": SAY_WHETHER, "invalid_choice": SAY_WHETHER},
    )


PAIN_SCALE = range(11)


class PainScoreForm(forms.Form):
    """Pain right now on the 0 to 10 scale (NRS-11), sent by one of eleven buttons."""

    score = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in PAIN_SCALE],
        coerce=int,
        error_messages={
            "required": "Choose a number from 0 to 10",
            "invalid_choice": "Choose a number from 0 to 10",
        },
    )


class QuestionnaireForm(forms.Form):
    """One radio group per question, its whole-number answers as the choices."""

    def __init__(self, *args: Any, questions: Sequence[Question], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question.link_id] = forms.TypedChoiceField(
                label=question.text,
                choices=[
                    (str(value), _option_label(value, question.labels.get(value)))
                    for value in question.allowed
                ],
                coerce=int,
                required=question.required,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "scale-choice"}),
                error_messages={
                    "required": "Choose an answer to this question",
                    "invalid_choice": "Choose one of the answers given",
                },
            )

    def answers(self) -> dict[str, int]:
        return {name: value for name, value in self.cleaned_data.items() if value is not None}


def _option_label(value: int, label: str | None) -> str:
    if label is None or label == str(value):
        return str(value)
    return f"{value}: {label}"
