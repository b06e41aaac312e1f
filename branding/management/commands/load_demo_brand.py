"""The demo's brand: a consultancy "Koster & Partners" with an SVG mark and a teal accent, and
a PNG logo for the demo client. Both logos pass the admin's own checks. Run after load_demo
(`make run` does); running it again changes nothing."""

import io

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from assessments.management.commands.load_demo import DEMO_ORGANISATION
from assessments.models import Organisation
from branding.images import check_logo
from branding.models import ClientLogo, ConsultancyBrand

DEMO_CONSULTANCY = "Koster & Partners"
DEMO_ACCENT = "#00695c"
DEMO_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <title>Koster &amp; Partners</title>
  <defs>
    <linearGradient id="sea" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#00897b"/><stop offset="1" stop-color="#00695c"/>
    </linearGradient>
  </defs>
  <rect x="0" y="0" width="64" height="64" rx="14" fill="url(#sea)"/>
  <path d="M15 13h9v17l14-17h10L32.5 31.5 49 51H38.5L24 34v17h-9z" fill="#fff"/>
  <circle cx="53" cy="47" r="5" fill="#f2a541"/>
</svg>
"""
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def demo_client_logo() -> bytes:
    """A PNG wordmark for the demo client: an orange shopping bag and its name."""
    image = Image.new("RGBA", (440, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((14, 34, 94, 110), radius=10, fill=(232, 106, 26, 255))
    draw.arc((34, 10, 74, 58), start=180, end=360, fill=(232, 106, 26, 255), width=8)
    draw.ellipse((46, 62, 62, 78), fill=(255, 255, 255, 255))
    try:
        big, small = ImageFont.truetype(FONT, 44), ImageFont.truetype(FONT, 20)
    except OSError:  # no DejaVu on this machine: Pillow's own font
        big, small = ImageFont.load_default(44), ImageFont.load_default(20)
    draw.text((112, 26), "Demo Retail", font=big, fill=(51, 51, 51, 255))
    draw.text((114, 80), "WINKELS SINDS 1987", font=small, fill=(232, 106, 26, 255))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


class Command(BaseCommand):
    help = "Set the demo's consultancy brand and the demo client's logo (after load_demo)."

    @transaction.atomic
    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(name=DEMO_ORGANISATION).first()
        if organisation is None:
            raise CommandError(f"No organisation {DEMO_ORGANISATION!r}: run load_demo first.")
        logo = check_logo("koster-partners.svg", DEMO_LOGO.encode())
        brand = ConsultancyBrand.objects.first() or ConsultancyBrand()
        wanted = (DEMO_CONSULTANCY, DEMO_ACCENT, logo.sha256)
        if (brand.consultancy_name, brand.accent, brand.logo_sha256) != wanted:
            brand.consultancy_name, brand.accent = DEMO_CONSULTANCY, DEMO_ACCENT
            brand.logo_data, brand.logo_content_type = logo.data, logo.content_type
            brand.logo_sha256 = logo.sha256
            brand.full_clean()
            brand.save()
        client = check_logo("demo-retail.png", demo_client_logo())
        current = ClientLogo.objects.filter(organisation=organisation).defer("data").first()
        if current is None or current.sha256 != client.sha256:
            current = current or ClientLogo(organisation=organisation)
            current.data, current.content_type = client.data, client.content_type
            current.sha256 = client.sha256
            current.full_clean()
            current.save()
        self.stdout.write(f"Brand: {DEMO_CONSULTANCY}; logo for {DEMO_ORGANISATION}.")
