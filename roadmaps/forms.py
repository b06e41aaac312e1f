from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dvo_portal.text import CleanTextMixin

from .models import TEXT_MAX_LENGTH, RoadmapItem
from .quarters import Quarter, quarter_range

WIDTHS = {"title": "col-md-6", "process": "col-md-3", "dimension": "col-md-3"}
WIDTHS |= {"description": "col-12", "owner": "col-md-4"}
CHOICE_OFFERED = _("%(value)s is not one of the choices offered for this roadmap.")


class RoadmapCreateForm(forms.Form):
    start = forms.TypedChoiceField(label=_("First quarter"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = Quarter.current()
        quarters = quarter_range(current + -2, 8)
        self.fields["start"].choices = [(q.index, str(q)) for q in quarters]
        self.fields["start"].initial = (current + 1).index


class ObjectChoiceField(forms.TypedChoiceField):
    """A choice among objects the caller loaded (a process under the client's name, say): no
    query of its own, the object itself as the cleaned value."""

    def __init__(self, objects, *, label_of=str, empty_label="—", **kwargs):
        self.objects = {obj.pk: obj for obj in objects}
        super().__init__(
            choices=[("", empty_label), *((pk, label_of(obj)) for pk, obj in self.objects.items())],
            coerce=lambda value: self.objects[int(value)],
            empty_value=None,
            required=False,
            **kwargs,
        )

    def prepare_value(self, value):
        return value.pk if isinstance(value, models.Model) else value


class ItemForm(CleanTextMixin, forms.ModelForm):
    """A deliverable of the roadmap: its choices come from the assessment's model version (the
    processes under the client's names) and the roadmap's eight quarters; `revision` is the one
    the editor loaded, so that the service merges what others saved since."""

    # Sent only by the conflict's "keep my input" button: "<revision seen>:<field>,<field>",
    # the fields the editor settled for their own input after seeing the other version.
    keep = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    class Meta:
        model = RoadmapItem
        fields = [
            "title",
            "process",
            "dimension",
            "description",
            "target_level",
            "start_quarter",
            "end_quarter",
            "status",
            "owner",
            "revision",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX_LENGTH}),
            "revision": forms.HiddenInput,
        }

    def __init__(self, *args, roadmap, processes, dimensions, levels, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        quarters = [(q.index, str(q)) for q in quarter_range(roadmap.first_quarter)]
        choice = {"invalid_choice": CHOICE_OFFERED}
        fields["process"] = ObjectChoiceField(
            processes,
            label_of=lambda process: getattr(process, "label", process.name),
            empty_label=_("— all processes —"),
            label=fields["process"].label,
            help_text=fields["process"].help_text,
            error_messages=choice,
        )
        fields["dimension"] = ObjectChoiceField(
            dimensions,
            label_of=lambda dimension: dimension.name,
            label=fields["dimension"].label,
            error_messages=choice,
        )
        fields["target_level"] = forms.TypedChoiceField(
            choices=[("", "—"), *((level.number, str(level)) for level in levels)],
            coerce=int,
            empty_value=None,
            required=False,
            label=fields["target_level"].label,
            error_messages=choice,
        )
        for name in ("start_quarter", "end_quarter"):
            fields[name] = forms.TypedChoiceField(
                choices=quarters, coerce=int, label=fields[name].label, error_messages=choice
            )
        fields["status"].choices = [
            (value, capfirst(label)) for value, label in fields["status"].choices
        ]
        fields["revision"].required = self.instance.pk is not None
        for name, field in fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["class"] = f"{css} {css}-sm"
            field.width = WIDTHS.get(name, "col-md-2")  # the layout's column

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_quarter"), cleaned.get("end_quarter")
        if start is not None and end is not None and end < start:
            self.add_error(
                "end_quarter",
                _("The end quarter (%(end)s) lies before the start quarter (%(start)s).")
                % {"end": Quarter(end), "start": Quarter(start)},
            )
        return cleaned

    def clean_keep(self) -> tuple[int | None, frozenset[str]]:
        seen, _sep, names = self.cleaned_data["keep"].partition(":")
        if not seen:
            return None, frozenset()
        fields = frozenset(name for name in names.split(",") if name)
        if not seen.isdigit() or not fields <= set(EDITED):
            raise forms.ValidationError(_("The choice to keep your input was not understood."))
        return int(seen), fields

    def validate_unique(self):
        """Nothing to check: the form never moves an item to another roadmap nor sets its
        criterion (the database holds that uniqueness)."""

    def validate_constraints(self):
        """Checked without the database: the choices offer only the model's levels and the
        roadmap's quarters, and `clean` says in words what the end-after-start constraint
        refuses (the database still holds them)."""

    def values(self) -> dict:
        """What the editor wants, as `services.item_save` and `item_create` take it."""
        return {name: self.cleaned_data[name] for name in EDITED}


EDITED = [name for name in ItemForm.Meta.fields if name != "revision"]
