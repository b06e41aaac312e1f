"""The brand in a real Chromium: the login page draws the consultancy's logo and colour under
our CSP, in English and Dutch, and the admin refuses an SVG with a script, saying why."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from branding.models import ConsultancyBrand

from .files import svg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_brand(demo_data):
    call_command("load_demo_brand", stdout=io.StringIO())


@pytest.mark.parametrize(("language", "button"), [("en", "Log in"), ("nl", "Inloggen")])
def test_the_login_page_shows_the_consultancys_logo_name_and_colour(
    live_server, page, demo_brand, artifacts_dir, language, button
):
    blocked = []
    page.on("console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text))
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + "/accounts/login/")
    brand = page.get_by_test_id("login-brand")
    logo = brand.get_by_role("img", name="Koster & Partners")
    expect(logo).to_be_visible()
    expect(brand).to_contain_text("Koster & Partners")
    assert logo.evaluate("img => img.complete && img.naturalWidth") > 0  # drawn, not broken
    colour = page.get_by_role("button", name=button).evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    assert colour == "rgb(0, 105, 92)"  # the demo's accent, from brand.css
    assert page.locator("nav.navbar").evaluate("n => getComputedStyle(n).backgroundColor") == (
        "rgb(0, 105, 92)"
    )
    assert not blocked
    page.screenshot(path=f"{artifacts_dir}/brand-login-{language}.png")


def test_the_admin_refuses_an_svg_with_a_script_and_says_why(
    sign_in, live_server, page, demo_brand, artifacts_dir, tmp_path
):
    brand = ConsultancyBrand.objects.get()
    sign_in("admin")
    page.goto(f"{live_server.url}/admin/branding/consultancybrand/{brand.pk}/change/")
    bad = tmp_path / "logo.svg"
    bad.write_bytes(svg('<circle r="4"/><script>alert(document.cookie)</script>'))
    page.get_by_label("Logo:", exact=True).set_input_files(bad)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text(
        "The SVG holds a <script> element, which can run code or embed a web page"
    )
    page.screenshot(path=f"{artifacts_dir}/brand-admin-refused.png", full_page=True)
    brand.refresh_from_db()
    assert brand.logo_content_type == "image/svg+xml"  # still the demo's logo
