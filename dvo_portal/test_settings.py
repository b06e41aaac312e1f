"""The test suite's settings: production's (DEBUG off), with a key of its own, since the
production settings refuse to start without SECRET_KEY."""

import os

os.environ.setdefault("SECRET_KEY", "django-insecure-test-suite-only-" + "k" * 32)

from .settings import *  # noqa: F403
