from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PeerProfile


class ParticipationForm(forms.ModelForm):
    takes_part = forms.BooleanField(
        label=_("The organisation takes part in the peer benchmark"),
        required=False,
        help_text=_(
            "Only with the organisation's consent. Its latest final assessment then counts in "
            "the anonymous peer figures of other organisations; it is never named. Clearing "
            "this withdraws the consent: from then on its results are in no peer figure."
        ),
    )

    class Meta:
        model = PeerProfile
        fields = ["sector", "size_class"]
