"""
ASGI config for dvo_portal project.

It exposes the ASGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/asgi/
"""

import os

import django
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvo_portal.settings")

from dvo_portal.startup import require_secret_key

django.setup(set_prefix=False)
require_secret_key()  # no serving on a public key
application = get_asgi_application()
