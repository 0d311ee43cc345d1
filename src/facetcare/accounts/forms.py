from django import forms

_CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "off",
    "spellcheck": "false",
    "autofocus": True,
}


class SignInCodeForm(forms.Form):
    code = forms.CharField(
        label="Sign-in code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your app",
        max_length=32,
        help_text="The 6 digits your authenticator app now shows for FacetCare.",
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "inputmode": "numeric"}),
    )
