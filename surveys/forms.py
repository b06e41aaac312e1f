from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import MIN_GROUP_FLOOR
from .services import AnswerInput

MAX_GROUPS = 12
MAX_INVITATIONS = 500


class SurveyOpenForm(forms.Form):
    groups = forms.CharField(
        label=_("Respondent groups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. management, staff, customer-facing. Leave empty for none."),
    )
    min_group = forms.IntegerField(
        label=_("Minimum group size"),
        min_value=MIN_GROUP_FLOOR,
        max_value=100,
        help_text=_(
            "A group's figures show only when at least this many of its respondents answered, "
            "so no answer can be traced to a person (never fewer than 3)."
        ),
    )
    open_link = forms.BooleanField(
        label=_("Anyone with the link can answer"),
        required=False,
        initial=True,
        help_text=_("Off: only personal invitation links sent by e-mail can answer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_group"].initial = max(MIN_GROUP_FLOOR, settings.SURVEY_MIN_GROUP)

    def clean_groups(self) -> list[str]:
        names = []
        for line in self.cleaned_data["groups"].splitlines():
            name = " ".join(line.split())[:60]
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        if len(names) > MAX_GROUPS:
            raise ValidationError(_("At most %(count)d groups.") % {"count": MAX_GROUPS})
        return names


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line or separated by commas. Each gets a personal link that answers once; "
            "the addresses are not kept."
        ),
    )

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").split()
        addresses = list(dict.fromkeys(address.strip() for address in raw if address.strip()))
        validator = forms.EmailField()
        bad = []
        for address in addresses:
            try:
                validator.clean(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError(
                _("Not an e-mail address: %(addresses)s") % {"addresses": ", ".join(bad[:5])}
            )
        if len(addresses) > MAX_INVITATIONS:
            raise ValidationError(
                _("At most %(count)d addresses at a time.") % {"count": MAX_INVITATIONS}
            )
        return addresses


class AnswerForm(forms.Form):
    """One field per process in scope (`level_<score pk>`, optional) and its criteria
    (`criteria_<score pk>`); the group from the survey's list. Anything else named like an
    answer (a process outside the scope) refuses the whole form."""

    def __init__(self, *args, scores, levels, criteria, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = scores
        level_choices = [(level.number, str(level)) for level in levels]
        if groups:
            self.fields["group"] = forms.TypedChoiceField(
                label=_("Your group"),
                choices=[("", _("(rather not say)"))] + [(g.pk, g.name) for g in groups],
                coerce=int,
                required=False,
                empty_value=None,
            )
        for score in scores:
            self.fields[f"level_{score.pk}"] = forms.TypedChoiceField(
                label=score.display_name,
                choices=level_choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Pick one of the levels.")},
            )
            self.fields[f"criteria_{score.pk}"] = forms.TypedMultipleChoiceField(
                choices=[(c.pk, c.statement) for c in criteria.get(score.process_id, [])],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "invalid_choice": _("Tick only the criteria listed for this process.")
                },
            )

    def clean(self):
        data = super().clean()
        known = {f"level_{s.pk}" for s in self.scores} | {f"criteria_{s.pk}" for s in self.scores}
        if self.data and any(
            name.startswith(("level_", "criteria_")) and name not in known for name in self.data
        ):
            raise ValidationError(_("That process is not part of this survey; nothing was saved."))
        if not self.errors and not any(data.get(f"level_{s.pk}") for s in self.scores):
            raise ValidationError(_("Pick a level for at least one process."))
        for score in self.scores:
            if data.get(f"criteria_{score.pk}") and not data.get(f"level_{score.pk}"):
                self.add_error(f"level_{score.pk}", _("Pick a level for the criteria you ticked."))
        return data

    def answers(self) -> list[AnswerInput]:
        data = self.cleaned_data
        return [
            AnswerInput(
                score_id=score.pk,
                level=data[f"level_{score.pk}"],
                criteria=data.get(f"criteria_{score.pk}") or [],
            )
            for score in self.scores
            if data.get(f"level_{score.pk}")
        ]

    def rows(self):
        """(score, level field, criteria field, the ticked criteria as text) per process, for
        the template, which writes the inputs itself: a widget rendered per checkbox costs a
        template each, most of a phone's page."""
        rows = []
        for score in self.scores:
            criteria = self[f"criteria_{score.pk}"]
            ticked = {str(value) for value in (criteria.value() or [])}
            rows.append((score, self[f"level_{score.pk}"], criteria, ticked))
        return rows
