from django import forms


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="The request",
        max_length=300,
        help_text="Who asked, when and how: for example “Patient's email of 3 March 2027”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    confirm = forms.BooleanField(
        label="I understand that the person's details are overwritten and cannot be brought back",
    )
