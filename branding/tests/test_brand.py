"""brand_for: the defaults, its cost, and that an admin's change shows at once."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branding.brand import brand_for
from branding.images import PNG, SVG, check_logo
from branding.models import ClientLogo, ConsultancyBrand

from .files import GOOD_SVG, png


def make_brand(name="Koster & Partners", accent="#00695c", logo=("logo.svg", GOOD_SVG)):
    checked = check_logo(*logo)
    return ConsultancyBrand.objects.create(
        consultancy_name=name,
        accent=accent,
        logo_data=checked.data,
        logo_content_type=checked.content_type,
        logo_sha256=checked.sha256,
    )


def make_client_logo(organisation, data=None):
    data = data or png(colour=(232, 106, 26))
    checked = check_logo("client.svg" if data.startswith(b"<") else "client.png", data)
    return ClientLogo.objects.create(
        organisation=organisation,
        data=checked.data,
        content_type=checked.content_type,
        sha256=checked.sha256,
    )


def test_without_a_brand_the_portal_uses_its_own_name_and_colour(db, settings):
    brand = brand_for()
    assert (brand.consultancy_name, brand.accent) == ("DVO Portal", "#1f4e79")
    assert (brand.consultancy_logo, brand.client_logo, brand.client_name) == (None, None, "")
    settings.BRAND_NAME = "Portal of Us"
    assert brand_for().consultancy_name == "Portal of Us"
    assert brand_for().key != brand.key


def test_the_brand_carries_both_logos_as_urls_bytes_and_data_uris(db, organisation):
    make_brand()
    client_png = png(colour=(232, 106, 26))
    make_client_logo(organisation, client_png)
    brand = brand_for(organisation)
    assert (brand.consultancy_name, brand.accent, brand.client_name) == (
        "Koster & Partners",
        "#00695c",
        "Acme Zorg",
    )
    logo, client = brand.consultancy_logo, brand.client_logo
    assert (logo.content_type, logo.data) == (SVG, GOOD_SVG)
    assert logo.data_uri == "data:image/svg+xml;base64," + base64.b64encode(GOOD_SVG).decode()
    assert logo.url == f"/brand/logo/consultancy/{logo.sha256}.svg"
    assert (client.content_type, client.data) == (PNG, client_png)
    assert client.url == f"/brand/logo/{organisation.pk}/{client.sha256}.png"
    assert client.data_uri.startswith("data:image/png;base64,iVBOR")
    assert len(brand.key) == 16
    assert brand_for(organisation).key == brand.key != brand_for().key


def test_brand_for_costs_one_query_per_row_and_the_bytes_once_per_process(
    db, organisation, django_assert_num_queries
):
    make_brand()
    make_client_logo(organisation)
    with django_assert_num_queries(1):
        brand_for()
    with django_assert_num_queries(2):
        brand = brand_for(organisation)
    with django_assert_num_queries(2):  # the bytes, first asked for
        assert brand.consultancy_logo.data
        assert brand.client_logo.data
    with django_assert_num_queries(2):  # the brand again, the bytes from the process's cache
        again = brand_for(organisation)
        assert again.consultancy_logo.data_uri
        assert again.client_logo.data_uri


def test_a_change_in_the_admin_shows_at_once(client, django_user_model, organisation):
    brand = make_brand()
    make_client_logo(organisation)
    before = brand_for(organisation)
    before.consultancy_logo.data  # noqa: B018  (now in the process's cache)
    before.client_logo.data  # noqa: B018
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))

    new_png = png(12, 12)
    response = client.post(
        reverse("admin:branding_consultancybrand_change", args=[brand.pk]),
        {
            "consultancy_name": "Koster Advies",
            "accent": "#8a1538",
            "logo": SimpleUploadedFile("new.png", new_png),
        },
    )
    assert response.status_code == 302
    after = brand_for(organisation)
    assert (after.consultancy_name, after.accent) == ("Koster Advies", "#8a1538")
    assert (after.consultancy_logo.content_type, after.consultancy_logo.data) == (PNG, new_png)
    assert after.key != before.key

    client_logo = ClientLogo.objects.get()
    client.post(
        reverse("admin:branding_clientlogo_change", args=[client_logo.pk]),
        {"logo": SimpleUploadedFile("client.svg", GOOD_SVG)},
    )
    latest = brand_for(organisation)
    assert latest.client_logo.data == GOOD_SVG
    assert latest.key != after.key
    client.post(reverse("admin:branding_clientlogo_delete", args=[client_logo.pk]), {"post": "yes"})
    assert brand_for(organisation).client_logo is None


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_login_page_names_the_default_brand_without_a_logo(client, db, lang):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert '<p class="brand-login-name">DVO Portal</p>' in page
    assert "brand-logo" not in page
