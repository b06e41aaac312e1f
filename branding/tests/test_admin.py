"""Setting the brand and the client logos in the admin: what is accepted shows on the login
page and is served; what is refused says why and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branding.images import PNG, SVG
from branding.models import ClientLogo, ConsultancyBrand

from .files import GOOD_SVG, noisy_png, png, svg

ADD = reverse("admin:branding_consultancybrand_add")
LOGIN = reverse("account_login")


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    return client


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def brand_form(name="Koster & Partners", accent="#00695c", logo=None, **extra):
    data = {"consultancy_name": name, "accent": accent, **extra}
    if logo is not None:
        data["logo"] = logo
    return data


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("logo.png", png(), PNG), ("logo.svg", GOOD_SVG, SVG)],
    ids=["png", "svg"],
)
def test_an_uploaded_logo_shows_on_the_login_page_and_is_served(
    admin_client, client, name, data, content_type
):
    response = admin_client.post(ADD, brand_form(logo=upload(name, data)))
    assert response.status_code == 302, response.content.decode()[:2000]
    brand = ConsultancyBrand.objects.get()
    assert (brand.consultancy_name, brand.accent, brand.logo_content_type) == (
        "Koster & Partners",
        "#00695c",
        content_type,
    )
    assert bytes(brand.logo_data) == data

    client.logout()
    page = client.get(LOGIN).content.decode()
    url = reverse("branding:logo", kwargs={"sha": brand.logo_sha256, "ext": name[-3:]})
    assert f'<img class="brand-logo" src="{url}" alt="Logo of Koster &amp; Partners">' in page
    assert '<p class="brand-login-name">Koster &amp; Partners</p>' in page
    served = client.get(url)
    assert served.status_code == 200
    assert (served.content, served["Content-Type"]) == (data, content_type)
    assert served["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served["X-Content-Type-Options"] == "nosniff"
    if content_type == SVG:
        assert served["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"


REFUSED = [
    ("logo.png", b"Hello, I am text.\n", "“logo.png” is not a PNG image but text."),
    ("logo.png", noisy_png(420), "a PNG logo may be at most 512.0\xa0KB"),
    ("logo.svg", svg("<script>alert(1)</script>"), "holds a &lt;script&gt; element"),
    (
        "logo.svg",
        svg("", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'),
        "event attribute onload=&quot;alert(1)&quot; on &lt;svg&gt;",
    ),
    (
        "logo.svg",
        svg('<image href="https://evil.example/x.png"/>'),
        "outside address: href=&quot;https://evil.example/x.png&quot; on &lt;image&gt;",
    ),
    (
        "logo.svg",
        b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        "a declaration &lt;!DOCTYPE …&gt;",
    ),
    ("logo.pdf", b"%PDF-1.7\n", "Choose a PNG or SVG file"),
    ("logo.html", b"<!doctype html><p>hi</p>", "Choose a PNG or SVG file"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED, ids=[r[0] + r[2] for r in REFUSED])
def test_a_refused_upload_says_why_and_stores_nothing(admin_client, name, data, message):
    response = admin_client.post(ADD, brand_form(logo=upload(name, data)))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ConsultancyBrand.objects.exists()


def test_a_refused_upload_leaves_the_brand_as_it_was(admin_client):
    admin_client.post(ADD, brand_form(logo=upload("logo.png", png())))
    brand = ConsultancyBrand.objects.get()
    before = (brand.consultancy_name, brand.accent, brand.logo_sha256, brand.updated_at)
    change = reverse("admin:branding_consultancybrand_change", args=[brand.pk])
    bad = upload("logo.svg", svg("<script>alert(1)</script>"))
    response = admin_client.post(change, brand_form(name="Other", accent="#8a1538", logo=bad))
    assert response.status_code == 422
    brand.refresh_from_db()
    assert (brand.consultancy_name, brand.accent, brand.logo_sha256, brand.updated_at) == before


def test_a_large_upload_is_refused_with_its_real_size(admin_client):
    response = admin_client.post(ADD, brand_form(logo=upload("big.png", png() + b"\0" * 3_000_000)))
    assert (
        "The file is 2.9\xa0MB; a PNG logo may be at most 512.0\xa0KB." in response.content.decode()
    )
    assert not ConsultancyBrand.objects.exists()


def test_a_light_accent_colour_is_refused_for_its_contrast(admin_client):
    response = admin_client.post(ADD, brand_form(accent="#ffcc00"))
    assert response.status_code == 422
    assert "has a contrast of only 1.5:1" in response.content.decode()
    response = admin_client.post(ADD, brand_form(accent="teal"))
    assert "Enter the colour as # and six hexadecimal digits" in response.content.decode()
    assert not ConsultancyBrand.objects.exists()


def test_there_is_one_brand_it_cannot_be_deleted_and_its_logo_can_be_removed(admin_client):
    changelist = reverse("admin:branding_consultancybrand_changelist")
    assert admin_client.get(changelist).url == ADD
    admin_client.post(ADD, brand_form(logo=upload("logo.png", png())))
    brand = ConsultancyBrand.objects.get()
    change = reverse("admin:branding_consultancybrand_change", args=[brand.pk])
    assert admin_client.get(changelist).url == change
    assert admin_client.get(ADD).status_code == 403
    delete = reverse("admin:branding_consultancybrand_delete", args=[brand.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ConsultancyBrand.objects.count() == 1

    page = admin_client.get(change).content.decode()
    assert 'alt="Logo of Koster &amp; Partners" height="64"' in page
    admin_client.post(change, brand_form(remove_logo="on"))
    brand.refresh_from_db()
    assert (brand.logo_sha256, brand.logo_content_type, bytes(brand.logo_data)) == ("", "", b"")
    assert "No logo yet." in admin_client.get(change).content.decode()


def test_pasted_control_characters_leave_the_name_clean(admin_client):
    admin_client.post(ADD, brand_form(name="Koster\x0b& Partners\x01"))
    assert ConsultancyBrand.objects.get().consultancy_name == "Koster\n& Partners"


def test_a_client_logo_is_added_for_an_organisation_and_listed_with_a_thumbnail(
    admin_client, organisation
):
    add = reverse("admin:branding_clientlogo_add")
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Acme",
            "app_label": "branding",
            "model_name": "clientlogo",
            "field_name": "organisation",
        },
    ).json()
    assert found["results"] == [{"id": str(organisation.pk), "text": "Acme Zorg"}]
    assert admin_client.post(add, {"organisation": organisation.pk}).status_code == 422
    refused = admin_client.post(
        add, {"organisation": organisation.pk, "logo": upload("acme.png", b"not a png")}
    )
    assert refused.status_code == 422
    assert not ClientLogo.objects.exists()

    response = admin_client.post(
        add, {"organisation": organisation.pk, "logo": upload("acme.svg", GOOD_SVG)}
    )
    assert response.status_code == 302
    logo = ClientLogo.objects.get(organisation=organisation)
    assert (logo.content_type, bytes(logo.data)) == (SVG, GOOD_SVG)

    listing = admin_client.get(reverse("admin:branding_clientlogo_changelist")).content.decode()
    image = reverse("admin:branding_clientlogo_image", args=[logo.pk])
    assert f'<img src="{image}" alt="Logo of Acme Zorg" height="32">' in listing
    served = admin_client.get(image)
    assert (served.status_code, served.content, served["Content-Type"]) == (200, GOOD_SVG, SVG)

    change = reverse("admin:branding_clientlogo_change", args=[logo.pk])
    new = png()
    response = admin_client.post(change, {"logo": upload("acme.png", new)})
    assert response.status_code == 302
    logo.refresh_from_db()
    assert (logo.content_type, bytes(logo.data)) == (PNG, new)
    kept = admin_client.post(change, {})  # no new file: the logo stays
    assert kept.status_code == 302
    logo.refresh_from_db()
    assert bytes(logo.data) == new


def test_the_admins_thumbnail_is_for_staff_only(client, alice, organisation):
    logo = ClientLogo.objects.create(
        organisation=organisation, data=png(), content_type=PNG, sha256="a" * 64
    )
    client.force_login(alice)
    response = client.get(reverse("admin:branding_clientlogo_image", args=[logo.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
