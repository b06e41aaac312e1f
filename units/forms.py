from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.forms import DatePickerInput
from assessments.models import Assessment, Membership, ModelVersion

from .models import Unit


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "parent"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        parents = Unit.objects.filter(organisation=organisation, parent__isnull=True)
        if self.instance.pk:  # never its own parent, nor under another while it has parts
            parents = parents.exclude(pk=self.instance.pk)
            if self.instance.children.exists():
                parents = parents.none()
        self.fields["parent"].queryset = parents

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Unit.objects.filter(organisation=self.instance.organisation, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This organisation has a unit of this name already."))
        return name


class RestrictionForm(forms.Form):
    """Limit a manager of the organisation to one unit, or lift the limit (no unit)."""

    membership = forms.ModelChoiceField(label=_("Manager"), queryset=Membership.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("whole organisation (no limit)"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = organisation.memberships.filter(
            role=Membership.Role.MANAGER
        ).select_related("user")
        self.fields["membership"].label_from_instance = lambda m: (
            m.user.get_full_name() or m.user.username
        )
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)


class UnitAssessmentForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    version = forms.ModelChoiceField(
        label=_("model version"),
        queryset=ModelVersion.objects.published().select_related("model"),
        empty_label=None,
    )
    assessed_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=DatePickerInput
    )
    processes = forms.MultipleChoiceField(
        label=_("the unit's processes"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)
        latest = self.fields["version"].queryset.order_by("-published_at").first()
        if latest is not None:
            self.initial.setdefault("version", latest.pk)
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
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unit = forms.ModelChoiceField(
        label=_("unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("all units"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)
