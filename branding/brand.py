"""The brand as the pages, the PDF and the deck use it: `brand_for(organisation)`.

One or two small queries per call (the brand row and the client's logo, each without its
bytes), so an admin's change shows on the next page of every app server. The bytes, wanted only
by the PDF and the deck, are read on first use and kept in the per-process cache under their
SHA-256: a key that names exactly those bytes can never be stale.
"""

import base64
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from .colours import DEFAULT_ACCENT, shade
from .images import EXTENSIONS
from .models import ClientLogo, ConsultancyBrand

CONSULTANCY = "consultancy"


def default_name() -> str:
    return getattr(settings, "BRAND_NAME", "") or "DVO Portal"


@dataclass(frozen=True)
class Logo:
    content_type: str  # "image/png" or "image/svg+xml"
    sha256: str
    url: str  # for web pages: served by branding:logo / branding:client_logo, cached a year
    # Where the bytes are: CONSULTANCY or the organisation's id.
    owner: str | int = field(repr=False)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    @cached_property
    def data(self) -> bytes:
        """The logo's bytes (b"" in the moment after an admin replaced it)."""
        key = f"branding:logo:{self.sha256}"
        data = caches["local"].get(key)
        if data is None:
            data = _load(self.owner, self.sha256)
            if data is None:
                return b""
            caches["local"].set(key, data, timeout=None)
        return data

    @cached_property
    def data_uri(self) -> str:
        """The logo as a data: URL, for WeasyPrint (which fetches nothing else)."""
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class Brand:
    consultancy_name: str
    accent: str  # "#rrggbb"
    consultancy_logo: Logo | None
    client_logo: Logo | None
    client_name: str = ""  # the organisation's name; "" without one
    key: str = ""  # changes whenever anything above changes: for cache keys

    @property
    def accent_hover(self) -> str:
        return shade(self.accent, 0.18)

    @property
    def accent_active(self) -> str:
        return shade(self.accent, 0.32)


def _load(owner: str | int, sha256: str) -> bytes | None:
    if owner == CONSULTANCY:
        rows = ConsultancyBrand.objects.filter(logo_sha256=sha256).values_list("logo_data")
    else:
        rows = ClientLogo.objects.filter(organisation_id=owner, sha256=sha256).values_list("data")
    row = rows.first()
    return None if row is None else bytes(row[0])  # PostgreSQL gives a memoryview


def consultancy_logo_url(sha256: str, content_type: str) -> str:
    return reverse("branding:logo", kwargs={"sha": sha256, "ext": EXTENSIONS[content_type]})


def client_logo_url(organisation_id: int, sha256: str, content_type: str) -> str:
    return reverse(
        "branding:client_logo",
        kwargs={"pk": organisation_id, "sha": sha256, "ext": EXTENSIONS[content_type]},
    )


def brand_for(organisation=None) -> Brand:
    """The installation's brand, with `organisation`'s name and logo when one is given."""
    row = ConsultancyBrand.objects.defer("logo_data").first()
    name, accent, consultancy_logo = default_name(), DEFAULT_ACCENT, None
    if row is not None:
        name, accent = row.consultancy_name, row.accent
        if row.has_logo:
            consultancy_logo = Logo(
                row.logo_content_type,
                row.logo_sha256,
                consultancy_logo_url(row.logo_sha256, row.logo_content_type),
                CONSULTANCY,
            )
    client_logo, client_name = None, ""
    if organisation is not None:
        client_name = organisation.name
        client = ClientLogo.objects.filter(organisation=organisation).defer("data").first()
        if client is not None:
            client_logo = Logo(
                client.content_type,
                client.sha256,
                client_logo_url(organisation.pk, client.sha256, client.content_type),
                organisation.pk,
            )
    parts = [name, accent, client_name]
    parts += [logo.sha256 if logo else "-" for logo in (consultancy_logo, client_logo)]
    key = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
    return Brand(name, accent, consultancy_logo, client_logo, client_name, key)
