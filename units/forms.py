from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, ModelVersion

from .models import Unit


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "parent"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["parent"].queryset = Unit.objects.filter(
            organisation=organisation, parent__isnull=True
        )


class UnitAssessmentForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    version = forms.ModelChoiceField(
        label=_("model version"), queryset=ModelVersion.objects.published()
    )
    processes = forms.MultipleChoiceField(
        label=_("the unit's processes"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)
        scope = organisation.processes.select_related("process").order_by("order", "id")
        self.fields["processes"].choices = [
            (entry.process.key, entry.display_name) for entry in scope
        ]
        self.fields["processes"].initial = [key for key, _n in self.fields["processes"].choices]


class RoundForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("measurement round"),
        choices=Assessment.Kind.choices,
        initial=Assessment.Kind.BASELINE,
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("all units")
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)
