from django import forms


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, date of birth or phone",
        max_length=80,
        min_length=2,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
        help_text="For example “Taylor”, “sam tay”, “17/05/1980” or “07911 123456”.",
        error_messages={"min_length": "Type at least 2 characters"},
    )
