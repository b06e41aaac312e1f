"""Forms validate and convert; the services do the writing."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    AspectCheck,
    DvoAspect,
    Membership,
    ModelVersion,
    Organisation,
    ProcessScore,
)
from .models.assessment import NOTE_MAX_LENGTH, REASON_MAX_LENGTH


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class ProcessChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "report_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class OrganisationCreateForm(OrganisationForm):
    processes = ProcessChoiceField(
        queryset=None,
        label=_("Processes in scope"),
        help_text=_("You can change the scope and rename processes later."),
    )

    def __init__(self, *args, catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processes"].queryset = catalogue
        self.initial.setdefault("processes", list(catalogue))
        self.helper = _helper(_("Create organisation"))


class ScopeForm(forms.Form):
    """One checkbox and one optional client name per catalogue process."""

    def __init__(self, *args, catalogue, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = list(catalogue)
        by_key = {entry.process.key: entry for entry in current}
        self.rows = []
        for process in self.catalogue:
            entry = by_key.get(process.key)
            include = f"include_{process.key}"
            name = f"name_{process.key}"
            self.fields[include] = forms.BooleanField(
                required=False, initial=entry is not None, label=process.name
            )
            self.fields[name] = forms.CharField(
                required=False,
                max_length=100,
                initial=entry.custom_name if entry else "",
                label=_("Name at the client"),
            )
            self.rows.append((process, self[include], self[name]))

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"include_{process.key}") for process in self.catalogue):
            raise forms.ValidationError(_("Choose at least one process."))
        return cleaned

    def selections(self):
        return [
            (process, self.cleaned_data[f"name_{process.key}"].strip())
            for process in self.catalogue
            if self.cleaned_data[f"include_{process.key}"]
        ]


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username or e-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username=value).first() or users.filter(email__iexact=value).first()
        if user is None:
            raise forms.ValidationError(
                _("No active user “%(name)s”. An administrator creates accounts."),
                params={"name": value},
            )
        if self.organisation.memberships.filter(user=user).exists():
            raise forms.ValidationError(_("%(name)s is a member already."), params={"name": value})
        return user


class AssessmentStartForm(forms.Form):
    version = forms.ModelChoiceField(
        queryset=ModelVersion.objects.published().select_related("model"),
        label=_("Model version"),
        empty_label=None,
    )
    assessed_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = self.fields["version"].queryset.order_by("-published_at").first()
        if latest is not None:
            self.initial.setdefault("version", latest.pk)
        self.helper = _helper(_("Start baseline"))


class LevelField(forms.TypedChoiceField):
    def __init__(self, levels, **kwargs):
        super().__init__(
            choices=[("", "—"), *((level.number, str(level)) for level in levels)],
            coerce=int,
            empty_value=None,
            required=False,
            error_messages={
                "invalid_choice": _(
                    "%(value)s is not a level of this model; choose one of the levels shown."
                )
            },
            **kwargs,
        )


class ProcessScoreForm(forms.Form):
    """Everything of one process in the workshop grid; sent whole on every change."""

    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    criteria = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "A criterion was sent that is not part of this process in this model version."
            )
        },
    )
    ambition_reason = forms.CharField(
        label=_("Why this ambition"), max_length=REASON_MAX_LENGTH, required=False
    )
    override_reason = forms.CharField(
        label=_("Reason for the consensus level"), max_length=REASON_MAX_LENGTH, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=NOTE_MAX_LENGTH, required=False, widget=forms.Textarea
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea,
        help_text=_("Links or document references, one per line."),
    )
    confidence = forms.ChoiceField(
        label=_("Confidence"),
        choices=[("", "—"), *ProcessScore.Confidence.choices],
        required=False,
    )
    change_explanation = forms.CharField(
        label=_("What changed in the organisation"),
        max_length=REASON_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, criteria, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [(c.pk, c.statement) for c in criteria]
        self.fields["ambition_level"] = LevelField(levels, label=_("Ambition"))
        self.fields["override_level"] = LevelField(levels, label=_("Consensus level"))

    def clean(self):
        cleaned = super().clean()
        for field in (
            "ambition_reason",
            "override_reason",
            "notes",
            "evidence",
            "change_explanation",
        ):
            if field in cleaned:
                cleaned[field] = cleaned[field].strip()
        if cleaned.get("override_level") is not None and not cleaned.get("override_reason"):
            self.add_error(
                "override_reason",
                _("A consensus level needs a reason; give one or clear the consensus level."),
            )
        return cleaned


class AspectsForm(forms.Form):
    """Status and note for each of the five DVO aspects."""

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for aspect in DvoAspect:
            check = current.get(aspect.value)
            status = f"{aspect.value}-status"
            note = f"{aspect.value}-note"
            self.fields[status] = forms.ChoiceField(
                label=_("Status"),
                choices=AspectCheck.Status.choices,
                initial=check.status if check else AspectCheck.Status.NOT_ASSESSED,
            )
            self.fields[note] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=REASON_MAX_LENGTH,
                initial=check.note if check else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.rows.append((aspect, self[status], self[note]))

    def values(self) -> dict[str, tuple[str, str]]:
        return {
            aspect.value: (
                self.cleaned_data[f"{aspect.value}-status"],
                self.cleaned_data[f"{aspect.value}-note"].strip(),
            )
            for aspect in DvoAspect
        }


class ReassessmentStartForm(forms.Form):
    version = forms.ModelChoiceField(
        queryset=ModelVersion.objects.none(), label=_("Model version"), empty_label=None
    )
    copy_answers = forms.BooleanField(
        label=_("Start from the criteria met last time"),
        required=False,
        initial=True,
        help_text=_("You then confirm or change them in the workshop grid."),
    )
    assessed_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.initial.setdefault("version", versions.order_by("-number").first())
        self.helper = _helper(_("Start re-assessment"))
