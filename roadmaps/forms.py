from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TEXT_MAX_LENGTH, RoadmapItem
from .quarters import Quarter, quarter_range


class RoadmapCreateForm(forms.Form):
    start = forms.TypedChoiceField(label=_("First quarter"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = Quarter.current()
        quarters = quarter_range(current + -2, 8)
        self.fields["start"].choices = [(q.index, str(q)) for q in quarters]
        self.fields["start"].initial = (current + 1).index


class ItemForm(forms.Form):
    """A deliverable of the roadmap; choices come from the assessment's model version."""

    title = forms.CharField(label=_("Deliverable"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea
    )
    process = forms.TypedChoiceField(
        label=_("Business process"), coerce=int, empty_value=None, required=False
    )
    dimension = forms.TypedChoiceField(
        label=_("Dimension"), coerce=int, empty_value=None, required=False
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"), coerce=int, empty_value=None, required=False
    )
    start_quarter = forms.TypedChoiceField(label=_("Start"), coerce=int)
    end_quarter = forms.TypedChoiceField(label=_("End"), coerce=int)
    owner = forms.CharField(label=_("Owner"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=RoadmapItem.Status.choices)

    def __init__(self, *args, roadmap, processes, dimensions, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.processes = {process.pk: process for process in processes}
        self.dimensions = {dimension.pk: dimension for dimension in dimensions}
        quarters = [(q.index, str(q)) for q in quarter_range(roadmap.first_quarter)]
        self.fields["process"].choices = [("", _("— all processes —"))] + [
            (pk, name) for pk, name in ((p.pk, getattr(p, "label", p.name)) for p in processes)
        ]
        self.fields["dimension"].choices = [("", "—")] + [(d.pk, d.name) for d in dimensions]
        self.fields["target_level"].choices = [("", "—")] + [
            (lvl.number, str(lvl)) for lvl in levels
        ]
        self.fields["start_quarter"].choices = quarters
        self.fields["end_quarter"].choices = quarters
        for name in ("process", "dimension", "target_level", "start_quarter", "end_quarter"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "%(value)s is not one of the choices offered for this roadmap."
            )

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

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["process"] = self.processes.get(data["process"])
        data["dimension"] = self.dimensions.get(data["dimension"])
        return data
