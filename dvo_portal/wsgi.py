"""
WSGI config for dvo_portal project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

import django
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvo_portal.settings")

from dvo_portal.startup import require_secret_key

django.setup(set_prefix=False)
require_secret_key()  # no serving on a public key
application = get_wsgi_application()

# The first PDF of a fresh app process would pay for importing WeasyPrint and loading its
# fonts (~2 s): pay it here, at start, instead (PDF_WARM_UP=0 skips it).
from django.conf import settings  # noqa: E402 - after the application set Django up

if settings.PDF_WARM_UP:
    from reports.pdf import warm_up

    warm_up()
