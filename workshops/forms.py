from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CODE_LENGTH


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=CODE_LENGTH + 4,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}
        ),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=40,
        required=False,
        help_text=_("Shown with your vote only if the consultant chooses to show names."),
    )
