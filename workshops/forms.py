from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import REASON_MAX_LENGTH
from dvo_portal.text import CleanTextMixin

from .models import CODE_LENGTH


class JoinForm(CleanTextMixin, forms.Form):
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


class VoteForm(forms.Form):
    """A participant's vote: a level for the process their screen shows."""

    level = forms.IntegerField(min_value=1)
    score = forms.IntegerField(min_value=1)


# --- the consultant's controls: each action's input, converted -------------------------------


class ShownProcessForm(forms.Form):
    """The process the consultant's screen showed when they acted (the action is refused if
    the workshop moved on meanwhile)."""

    score = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value"), _("No process was shown.")
        ),
    )


class SelectForm(forms.Form):
    score = forms.ModelChoiceField(
        queryset=None,
        label=_("Process under discussion"),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Choose a process of this assessment."),
            "invalid_choice": _("Choose a process of this assessment."),
        },
    )

    def __init__(self, *args, assessment, **kwargs):
        kwargs.setdefault("auto_id", "select_%s")  # one page holds several forms' fields
        super().__init__(*args, **kwargs)
        self.fields["score"].queryset = assessment.scores.select_related("process").order_by(
            "order", "id"
        )
        self.fields["score"].label_from_instance = lambda score: score.display_name


class NamesForm(forms.Form):
    show = forms.TypedChoiceField(
        choices=[("on", "on"), ("off", "off")],
        coerce=lambda value: value == "on",
        error_messages={"required": _("Say whether to show the names.")},
    )


class ConsensusForm(CleanTextMixin, ShownProcessForm):
    level = forms.TypedChoiceField(
        label=_("Consensus level"),
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": _("Choose the level the team agreed on.")},
    )
    reason = forms.CharField(
        label=_("Reason for the consensus"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the level differs from the one the criteria give."),
    )
    # The score's revision the screen showed: a consensus set in the grid since is not
    # overwritten unseen.
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, levels, **kwargs):
        kwargs.setdefault("auto_id", "consensus_%s")
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.number, str(level)) for level in levels]
