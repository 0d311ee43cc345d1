from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from facetcare.audit.models import AccessLogEntry


class AccessLogSearchForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"), required=False, label="Staff user"
    )
    patient = forms.IntegerField(
        required=False,
        min_value=1,
        # The largest id a BigAutoField holds; a larger number would overflow the query.
        max_value=2**63 - 1,
        label="Patient number",
        error_messages={"max_value": "No patient has that number"},
    )
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AccessLogEntry.Action.choices], required=False
    )
    date_from = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def filters(self) -> dict[str, Any]:
        """The cleaned values as the access-log selector's keyword arguments."""
        data = self.cleaned_data
        return {
            "user_id": data["user"].pk if data["user"] else None,
            "patient_id": data["patient"],
            "action": data["action"] or None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
