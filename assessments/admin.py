from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dvo_portal.text import CleanTextMixin, CleanTextModelForm

from .models import (
    Assessment,
    BusinessProcess,
    Criterion,
    Dimension,
    Invitation,
    Level,
    MaturityModel,
    Membership,
    ModelVersion,
    Organisation,
    OrganisationProcess,
    ProcessScore,
)
from .services import bump_revision, score_save, version_clone, version_publish


class VersionContentInline(admin.TabularInline):
    """Content of a version: editable in a draft, read-only once the version is published."""

    form = CleanTextModelForm
    extra = 0
    show_change_link = False

    def _editable(self, obj) -> bool:
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class LevelInline(VersionContentInline):
    model = Level
    fields = ["number", "key", "name_en", "name_nl", "description_en", "description_nl"]


class DimensionInline(VersionContentInline):
    model = Dimension
    fields = ["order", "key", "name_en", "name_nl"]


class BusinessProcessInline(VersionContentInline):
    model = BusinessProcess
    fields = ["order", "key", "name_en", "name_nl"]


class CriterionInline(VersionContentInline):
    model = Criterion
    fields = ["order", "key", "level", "dimension", "process", "is_baseline", "text_en", "text_nl"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this version's own levels, dimensions and processes.
        version_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name in {"level", "dimension", "process"} and version_id:
            kwargs["queryset"] = db_field.related_model.objects.filter(version_id=version_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(MaturityModel)
class MaturityModelAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["key", "name_en", "name_nl"]
    search_fields = ["key", "name_en", "name_nl"]


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["__str__", "status", "published_at", "cloned_from"]
    list_filter = ["status", "model"]
    search_fields = ["model__key", "model__name_en", "notes"]
    readonly_fields = ["status", "published_at", "cloned_from", "created_at"]
    fields = ["model", "number", "notes", *readonly_fields]
    inlines = [LevelInline, DimensionInline, BusinessProcessInline, CriterionInline]
    actions = ["clone_as_draft", "publish"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        if version is not None and version.is_published and request.method == "GET":
            self.message_user(
                request,
                _(
                    "This version is published and read-only. "
                    "Use the action “Clone as new draft” to change it."
                ),
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=gettext_lazy("Clone as new draft"), permissions=["add"])
    def clone_as_draft(self, request, queryset):
        for version in queryset:
            draft = version_clone(version=version)
            self.message_user(
                request,
                _("Created %(draft)s as an editable draft.") % {"draft": draft},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Publish"), permissions=["add"])
    def publish(self, request, queryset):
        for version in queryset:
            try:
                version_publish(version=version)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(version)s was not published: %(problems)s")
                    % {"version": version, "problems": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("%(version)s is published.") % {"version": version}, messages.SUCCESS
                )


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """A flat, searchable list of criteria across versions; edits go through the version."""

    form = CleanTextModelForm

    list_display = ["key", "version", "level", "dimension", "process", "is_baseline"]
    list_filter = ["version", "level__number", "dimension__key", "is_baseline"]
    search_fields = ["key", "text_en", "text_nl"]
    list_select_related = ["version__model", "level", "dimension", "process"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.version.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.version.is_published:
            return False
        return super().has_delete_permission(request, obj)


class OrganisationProcessInline(admin.TabularInline):
    form = CleanTextModelForm
    model = OrganisationProcess
    extra = 0
    autocomplete_fields = ["process"]


class MembershipInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(BusinessProcess)
class BusinessProcessAdmin(admin.ModelAdmin):
    """Registered for the organisation's process picker; not linked from the index."""

    form = CleanTextModelForm

    search_fields = ["key", "name_en", "name_nl"]
    list_display = ["key", "name_en", "version"]

    def has_module_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    # Names are unique per user, not per installation: the id tells two clients apart.
    list_display = ["name", "id", "report_language", "created_at"]
    list_filter = ["report_language"]
    search_fields = ["name", "memberships__user__username"]
    inlines = [OrganisationProcessInline, MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the organisation's page; here admins see them and can
    withdraw one (deleting it makes its link an unknown one)."""

    form = CleanTextModelForm
    list_display = ["email", "organisation", "role", "invited_by", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = [
        "organisation",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["__str__", "organisation", "kind", "status", "assessed_on", "version"]
    list_filter = ["status", "kind", "version"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "version__model"]
    readonly_fields = ["created_at", "updated_at", "finalised_at", "revision", "carried_over"]
    exclude = ["focus"]  # the consultant's grid sets it

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            bump_revision(obj.pk)  # what its pages and its PDF show may have changed


class ProcessScoreAdminForm(CleanTextMixin, forms.ModelForm):
    """The score as loaded, with the revision it was loaded at: a save that comes too late
    (someone saved the process since) is refused, never written over their change."""

    class Meta:
        model = ProcessScore
        fields = [
            "criteria_met",
            "ambition_level",
            "ambition_reason",
            "override_level",
            "override_reason",
            "notes",
            "evidence",
            "confidence",
            "change_explanation",
            "revision",
        ]
        widgets = {"revision": forms.HiddenInput}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("override_level") is not None and not cleaned.get("override_reason"):
            self.add_error("override_reason", _("A consensus level needs a reason."))
        stored = ProcessScore.objects.filter(pk=self.instance.pk).values_list("revision", flat=True)
        if cleaned.get("revision") != stored.first():
            raise forms.ValidationError(
                _(
                    "Someone saved this process after you opened it; nothing was saved. "
                    "Open it again to see their change."
                )
            )
        return cleaned


@admin.register(ProcessScore)
class ProcessScoreAdmin(admin.ModelAdmin):
    """An escape hatch for corrections, through the grid's one write path: one audit record
    with the criteria as saved, a new revision (open grids merge with it), the assessment's
    pages rendered anew; a save from a stale page is refused."""

    form = ProcessScoreAdminForm
    list_display = ["__str__", "assessment", "ambition_level", "override_level", "revision"]
    list_select_related = ["assessment__organisation", "process"]
    search_fields = ["assessment__organisation__name", "process__key", "custom_name"]
    filter_horizontal = ["criteria_met"]

    def has_add_permission(self, request):
        return False  # scores come with their assessment

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.assessment.is_final:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        score_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "criteria_met" and score_id:
            score = ProcessScore.objects.filter(pk=score_id).select_related("assessment").first()
            if score is not None:
                kwargs["queryset"] = Criterion.objects.filter(
                    version=score.assessment.version_id
                ).filter(Q(process__isnull=True) | Q(process=score.process_id))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Written by `save_related`, once: the form's fields and its criteria together."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        values = {name: data[name] for name in form.Meta.fields if name != "revision"}
        values["criteria"] = {criterion.pk for criterion in values.pop("criteria_met")}
        score_save(
            assessment_id=form.instance.assessment_id,
            score_id=form.instance.pk,
            by=request.user,
            values=values,
            base_revision=data["revision"],
            as_admin=True,
        )
