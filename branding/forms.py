"""The admin's forms for the brand and the client logos: the upload is checked whole
(branding.images) before anything is saved, so a refused file changes nothing."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dvo_portal.text import CleanTextModelForm

from .images import MAX_PNG_BYTES, MAX_PNG_SIDE, MAX_SVG_BYTES, check_logo
from .models import ClientLogo, ConsultancyBrand


def _logo_help() -> str:
    return gettext(
        "PNG (at most %(png)s KB and %(side)s × %(side)s pixels) or SVG (at most %(svg)s KB, "
        "without scripts or outside references)."
    ) % {"png": MAX_PNG_BYTES // 1024, "side": MAX_PNG_SIDE, "svg": MAX_SVG_BYTES // 1024}


LOGO_HELP = lazy(_logo_help, str)()


class LogoField(forms.FileField):
    """A file upload that cleans to a `CheckedLogo`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", LOGO_HELP)
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ".png,.svg"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or not hasattr(upload, "read"):
            return None
        upload.seek(0)
        # One byte past the largest limit is enough to refuse anything bigger.
        data = upload.read(max(MAX_PNG_BYTES, MAX_SVG_BYTES) + 1)
        return check_logo(upload.name, data, upload.size)


class AccentInput(forms.TextInput):
    input_type = "color"


class ConsultancyBrandForm(CleanTextModelForm):
    logo = LogoField(label=_("Logo"), required=False)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = ConsultancyBrand
        fields = ["consultancy_name", "accent"]
        widgets = {"accent": AccentInput}

    def clean_accent(self):
        return (self.cleaned_data.get("accent") or "").lower()

    def save(self, commit=True):
        checked = self.cleaned_data.get("logo")
        brand = self.instance
        if checked is not None:
            brand.logo_data = checked.data
            brand.logo_content_type = checked.content_type
            brand.logo_sha256 = checked.sha256
        elif self.cleaned_data.get("remove_logo"):
            brand.logo_data, brand.logo_content_type, brand.logo_sha256 = b"", "", ""
        return super().save(commit)


class ClientLogoForm(CleanTextModelForm):
    logo = LogoField(label=_("Logo"), required=False)

    class Meta:
        model = ClientLogo
        fields = ["organisation"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo") is None and not self.instance.sha256 and "logo" not in self.errors:
            self.add_error("logo", _("Choose the client's logo."))
        return cleaned

    def save(self, commit=True):
        checked = self.cleaned_data.get("logo")
        if checked is not None:
            self.instance.data = checked.data
            self.instance.content_type = checked.content_type
            self.instance.sha256 = checked.sha256
        return super().save(commit)
