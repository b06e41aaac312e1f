import io

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Organisation
from branding.brand import brand_for
from branding.images import check_logo
from branding.models import ClientLogo, ConsultancyBrand


def test_the_demo_brand_is_set_with_logos_our_own_checks_accept(demo_data):
    call_command("load_demo_brand", stdout=io.StringIO())
    demo = Organisation.objects.get(name="Demo Retail BV")
    brand = brand_for(demo)
    assert (brand.consultancy_name, brand.accent) == ("Koster & Partners", "#00695c")
    assert brand.consultancy_logo.content_type == "image/svg+xml"
    assert brand.client_logo.content_type == "image/png"
    for name, logo in (("k.svg", brand.consultancy_logo), ("d.png", brand.client_logo)):
        assert check_logo(name, logo.data).sha256 == logo.sha256

    updated = ConsultancyBrand.objects.get().updated_at, ClientLogo.objects.get().updated_at
    call_command("load_demo_brand", stdout=io.StringIO())  # again: nothing changes
    assert (ConsultancyBrand.objects.get().updated_at, ClientLogo.objects.get().updated_at) == (
        updated
    )
    assert brand_for(demo).key == brand.key


def test_without_the_demo_organisation_it_says_what_to_run_first(db):
    with pytest.raises(CommandError, match="run load_demo first"):
        call_command("load_demo_brand")
