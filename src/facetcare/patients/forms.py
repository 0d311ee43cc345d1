from django import forms


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="Last name",
        max_length=80,
        min_length=2,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
        help_text="The first letters are enough.",
    )
