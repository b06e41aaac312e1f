"""Who gets which logo, with which headers, and the stylesheet with the accent colour."""

import pytest
from django.urls import reverse

from branding.brand import brand_for

from .files import GOOD_SVG, png
from .test_brand import make_brand, make_client_logo

YEAR = "max-age=31536000, immutable"


@pytest.fixture
def client_logo(organisation):
    return make_client_logo(organisation, GOOD_SVG)


def test_a_clients_logo_goes_to_its_members_only(client, alice, bob, charlie, client_logo):
    url = brand_for(client_logo.organisation).client_logo.url
    assert client.get(url).status_code == 404  # anonymous
    for member in (alice, bob):
        client.force_login(member)
        response = client.get(url)
        assert (response.status_code, response.content) == (200, GOOD_SVG)
        assert response["Content-Type"] == "image/svg+xml"
        assert response["Cache-Control"] == f"private, {YEAR}"
        assert (
            response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(charlie)
    assert client.get(url).status_code == 404


def test_an_old_or_wrong_logo_address_is_404(client, alice, client_logo):
    client.force_login(alice)
    organisation = client_logo.organisation
    kwargs = {"pk": organisation.pk, "sha": client_logo.sha256, "ext": "svg"}
    assert client.get(reverse("branding:client_logo", kwargs=kwargs)).status_code == 200
    for wrong in ({"sha": "0" * 64}, {"ext": "png"}, {"pk": 2**63}, {"pk": 0}):
        url = reverse("branding:client_logo", kwargs={**kwargs, **wrong})
        assert client.get(url).status_code == 404, wrong
    assert client.post(reverse("branding:client_logo", kwargs=kwargs)).status_code == 405


def test_the_consultancy_logo_goes_to_everyone(client, db):
    brand = make_brand(logo=("logo.png", png()))
    url = brand_for().consultancy_logo.url
    response = client.get(url)
    assert (response.status_code, response.content) == (200, png())
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == f"public, {YEAR}"
    assert "style-src 'self'" in response["Content-Security-Policy"]  # the pages' own policy
    assert client.get(url.replace(".png", ".svg")).status_code == 404
    brand.logo_sha256 = "f" * 64
    brand.save()
    assert client.get(url).status_code == 404  # replaced: the old address is gone


def test_the_accent_colour_reaches_the_stylesheet_linked_from_every_page(client, alice):
    make_brand(accent="#00695c")
    key = brand_for().key
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    link = f'<link rel="stylesheet" href="/brand/brand.css?v={key}">'
    assert link in page
    css = client.get(f"/brand/brand.css?v={key}")
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css["Cache-Control"] == f"public, {YEAR}"
    text = css.content.decode()
    assert "--dvo-accent: #00695c; --dvo-primary: #00695c;" in text
    assert "--dvo-accent-hover: #00564b;" in text
    assert ".bg-dvo { background-color: var(--dvo-accent); }" in text
    assert client.get("/brand/brand.css?v=old")["Cache-Control"] == "no-cache"


def test_without_a_brand_the_stylesheet_keeps_the_portals_colour(client, db):
    text = client.get(reverse("branding:css")).content.decode()
    assert "--dvo-accent: #1f4e79;" in text


def test_the_report_brand_include_shows_both_parties_with_alt_texts(rf, alice, client_logo):
    from django.template.loader import render_to_string

    make_brand()
    organisation = client_logo.organisation
    brand = brand_for(organisation)
    html = render_to_string("branding/_report_brand.html", {"brand": brand})
    assert f'src="{brand.consultancy_logo.url}" alt="Logo of Koster &amp; Partners"' in html
    assert f'src="{brand.client_logo.url}" alt="Logo of Acme Zorg"' in html
    assert '<span class="report-brand-name">Acme Zorg</span>' in html
    alone = render_to_string("branding/_report_brand.html", {"site_brand": brand_for()})
    assert "Koster &amp; Partners" in alone
    assert "report-brand-client" not in alone
