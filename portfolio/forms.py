"""Forms validate and convert; the services do the writing."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessments.forms import DatePickerInput

from .models import Cadence, ReminderPreference


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class CadenceForm(forms.ModelForm):
    class Meta:
        model = Cadence
        fields = ["months", "due_on"]
        widgets = {"due_on": DatePickerInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].widget.attrs["placeholder"] = str(
            settings.PORTFOLIO_DEFAULT_CADENCE_MONTHS
        )
        self.helper = _helper(_("Save"))


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["measurement_reminders", "roadmap_reminders"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class DashboardForm(forms.Form):
    """The dashboard's GET parameters. A value that does not validate is left out (the form
    says why), the others still apply."""

    SORTS = [
        ("name", _("Name")),
        ("due", _("Due soonest")),
        ("gap", _("Largest gap")),
        ("assessed", _("Last assessed")),
    ]
    DUE = [("", _("Any")), ("soon", _("Due soon")), ("overdue", _("Overdue"))]

    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)
    # Choices from the sectors the view loaded: rendering and validating need no query.
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    due = forms.ChoiceField(label=_("Next measurement"), choices=DUE, required=False)

    def __init__(self, data, sectors):
        super().__init__(data)
        self.sectors = {str(sector.pk): sector for sector in sectors}
        self.fields["sector"].choices = [("", _("Any"))] + [
            (pk, str(sector)) for pk, sector in self.sectors.items()
        ]

    def values(self) -> dict:
        """What applies: each valid field's value, or its default."""
        self.is_valid()
        value = {name: self.data.get(name, "") for name in self.fields}
        for name in self.errors:
            value[name] = ""
        return {
            "sort": value["sort"] or "name",
            "sector": self.sectors.get(value["sector"]),
            "due": value["due"],
        }
