import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment, Organisation
from benchmark.tests.test_views import chosen_group, traces

User = get_user_model()


def test_the_demo_organisation_shows_the_band_in_every_group(client, demo_data):
    call_command("load_demo_benchmark", stdout=io.StringIO())
    call_command("load_demo_benchmark", stdout=io.StringIO())  # idempotent
    assert Organisation.objects.filter(name__startswith="Demo peer").count() == 12
    demo = Assessment.objects.get(organisation__name="Demo Retail BV")
    client.force_login(User.objects.get(username="manager"))
    for group in ("all", "sector", "size"):
        response = client.get(reverse("benchmark:page", args=[demo.pk]), {"group": group})
        assert chosen_group(response) == group
        assert list(traces(response))[:3] == ["peer-lower", "peer-upper", "peer-median"]
        assert "Demo peer" not in response.content.decode()
    # The demo users never see the peers.
    client.force_login(User.objects.get(username="consultant"))
    listing = client.get(reverse("assessments:organisations")).content.decode()
    assert "Demo peer" not in listing
