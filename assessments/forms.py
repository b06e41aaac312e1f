"""Forms validate and convert; the services do the writing."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvo_portal.text import CleanTextMixin

from .models import (
    AspectCheck,
    DvoAspect,
    Invitation,
    Membership,
    ModelVersion,
    Organisation,
    ProcessScore,
)
from .models.assessment import REASON_MAX_LENGTH


class DatePickerInput(forms.DateInput):
    """The browser's date picker. It takes and sends ISO dates (YYYY-MM-DD) only, whatever the
    language: the Dutch default format (01-12-2026) leaves it empty. Parsing needs nothing extra,
    Django adds ISO to every language's DATE_INPUT_FORMATS."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class ProcessChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class OrganisationForm(CleanTextMixin, forms.ModelForm):
    """A name is unique among the organisations `user` sees; another tenant's organisation of
    that name is nobody's business here, so it is no reason to refuse one."""

    class Meta:
        model = Organisation
        fields = ["name", "report_language"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = _helper(_("Save"))

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name:
            clash = Organisation.objects.visible_to(self.user).filter(name__iexact=name)
            if self.instance.pk is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "name",
                    forms.ValidationError(
                        _("You already have an organisation named “%(name)s”."),
                        params={"name": name},
                    ),
                )
        return cleaned


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


class ScopeForm(CleanTextMixin, forms.Form):
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


class InvitationForm(CleanTextMixin, forms.ModelForm):
    """An address and a role. Whether the address has an account here is not looked up."""

    class Meta:
        model = Invitation
        fields = ["email", "role"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Membership.Role.choices  # no empty choice
        self.initial.setdefault("role", Membership.Role.MANAGER)

    def clean_email(self):
        return BaseUserManager.normalize_email(self.cleaned_data["email"])

    def validate_constraints(self):
        """An open invitation to the same address is replaced, not refused
        (`services.invitation_create`)."""


class AssessmentStartForm(forms.Form):
    version = forms.ModelChoiceField(
        queryset=ModelVersion.objects.published().select_related("model"),
        label=_("Model version"),
        empty_label=None,
    )
    assessed_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=DatePickerInput,
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


class ProcessScoreForm(CleanTextMixin, forms.ModelForm):
    """One process of the workshop grid, sent whole on every change: what the editor sees now,
    and the revision it started from (the service merges what others saved since)."""

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
    # Sent only by the conflict's "keep my input" button: "<revision seen>:<field>,<field>",
    # the fields the editor settled for their own input after seeing the other version.
    keep = forms.CharField(required=False, max_length=500)

    class Meta:
        model = ProcessScore
        fields = [
            "ambition_level",
            "ambition_reason",
            "override_level",
            "override_reason",
            "notes",
            "evidence",
            "confidence",
            "change_explanation",
        ]

    def __init__(self, *args, criteria, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["criteria"].choices = [(c.pk, c.statement) for c in self.criteria]
        self.fields["ambition_level"] = LevelField(levels, label=_("Ambition"))
        self.fields["override_level"] = LevelField(levels, label=_("Consensus level"))
        # The level button: "this process is at level N" ticks the criteria up to N.
        self.fields["level"] = LevelField(levels, label=_("Level"))
        for criterion in self.criteria:  # a reason makes a criterion not applicable
            self.fields[f"na_{criterion.pk}"] = forms.CharField(
                label=_("Why it does not apply"), max_length=REASON_MAX_LENGTH, required=False
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("override_level") is not None and not cleaned.get("override_reason"):
            self.add_error(
                "override_reason",
                _("A consensus level needs a reason; give one or clear the consensus level."),
            )
        return cleaned

    def clean_keep(self) -> tuple[int | None, frozenset[str]]:
        seen, _sep, names = self.cleaned_data["keep"].partition(":")
        if not seen:
            return None, frozenset()
        known = {*self.Meta.fields, "criteria", "not_applicable"}
        fields = frozenset(name for name in names.split(",") if name)
        if not seen.isdigit() or not fields <= known:
            raise forms.ValidationError(_("The choice to keep your input was not understood."))
        return int(seen), fields

    def validate_unique(self):
        """Nothing to check: the form never creates a score nor moves it to another assessment
        or process (the database holds that uniqueness)."""

    def validate_constraints(self):
        """Checked without the database: the level fields take only the model's levels and
        `clean` says in words what the consensus constraint refuses (the constraints' own
        checks would cost three round trips on every autosave; the database still holds
        them)."""

    def values(self) -> dict:
        """What the editor wants, as `services.score_save` takes it."""
        data = self.cleaned_data
        excluded = {
            criterion.pk: data[f"na_{criterion.pk}"].strip()
            for criterion in self.criteria
            if data.get(f"na_{criterion.pk}", "").strip()
        }
        criteria = set(data["criteria"]) - set(excluded)
        if data.get("level") is not None:  # the level button sets the criteria up to it
            criteria = {
                criterion.pk
                for criterion in self.criteria
                if criterion.level.number <= data["level"] and criterion.pk not in excluded
            }
        return {
            # Only the fields the row shows (a baseline has no "what changed"): a field the
            # browser did not send is not the editor's to clear.
            **{name: data[name] for name in self.Meta.fields if name in self.data},
            "criteria": criteria,
            "not_applicable": excluded,
        }


class AspectCheckForm(CleanTextMixin, forms.ModelForm):
    """One DVO aspect: its status and note, and the revision the editor loaded (0 for an
    aspect not recorded yet) so that two editors' changes merge."""

    seen_revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    keep_mine = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = AspectCheck
        fields = ["status", "note", "revision"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "revision": forms.HiddenInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].min_value = 0
        self.fields["note"].max_length = REASON_MAX_LENGTH
        self.fields["note"].widget.attrs["maxlength"] = REASON_MAX_LENGTH

    def validate_unique(self):
        """The form edits the status and note of an aspect the view chose; the database holds
        the uniqueness of (assessment, aspect)."""

    def validate_constraints(self):
        """The status field offers only known statuses; the database holds the constraints."""

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "note": data["note"],
            "revision": data["revision"],
            "seen": data.get("seen_revision"),
        }


def aspect_forms(assessment, data=None) -> list[tuple]:
    """A form per DVO aspect, on the stored check or a new one (revision 0: not recorded)."""
    current = {check.aspect: check for check in assessment.aspects.all()}
    forms_ = []
    for aspect in DvoAspect:
        check = current.get(aspect.value) or AspectCheck(
            assessment=assessment, aspect=aspect.value, revision=0
        )
        forms_.append((aspect, AspectCheckForm(data, instance=check, prefix=aspect.value)))
    return forms_


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
        label=_("Date"), initial=timezone.localdate, widget=DatePickerInput
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.initial.setdefault("version", versions.order_by("-number").first())
        self.helper = _helper(_("Start re-assessment"))
