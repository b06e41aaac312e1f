from django.utils.functional import SimpleLazyObject

from .brand import brand_for


def brand(request):
    """`site_brand`: the installation's brand (branding.brand.Brand), read only by pages that
    show it (base.html's stylesheet link, the login page)."""
    return {"site_brand": SimpleLazyObject(brand_for)}
