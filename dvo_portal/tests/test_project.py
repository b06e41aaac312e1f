"""The project's own wiring: every app's tests run with the README's test command."""

import configparser
from pathlib import Path

from django.conf import settings


def test_every_folder_with_tests_is_in_the_pytest_testpaths():
    base = Path(settings.BASE_DIR)
    config = configparser.ConfigParser()
    config.read(base / "pytest.ini")
    testpaths = set(config["pytest"]["testpaths"].split())
    with_tests = {
        path.parent.name
        for path in base.glob("*/tests")
        if path.is_dir() and any(path.glob("test_*.py"))
    }
    assert with_tests <= testpaths, f"not run by `make test`: {sorted(with_tests - testpaths)}"


def test_without_debug_the_app_refuses_to_start_without_a_secret_key():
    """The servers (WSGI, ASGI; runserver loads the WSGI application) and `check --deploy`
    refuse; tools that need no secret, such as makemigrations, still run."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env |= {"DJANGO_SETTINGS_MODULE": "dvo_portal.settings", "DEBUG": "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def run(*args):
        return subprocess.run(  # noqa: S603 - our own project, fixed arguments
            [sys.executable, *args], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
        )

    for server in ("dvo_portal.wsgi", "dvo_portal.asgi"):
        started = run("-c", f"import {server}")
        assert started.returncode != 0
        assert "SECRET_KEY is not set" in started.stderr
    checked = run("manage.py", "check", "--deploy")
    assert checked.returncode != 0
    assert "SECRET_KEY is not set" in checked.stderr
    assert run("manage.py", "makemigrations", "--check", "--dry-run").returncode == 0
    env["DEBUG"] = "1"  # development starts on its own key
    env["PDF_WARM_UP"] = "0"
    assert run("-c", "import dvo_portal.wsgi").returncode == 0


def test_check_deploy_is_clean_in_the_production_environment():
    import os
    import subprocess
    import sys

    from cryptography.fernet import Fernet

    test_only = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    production = {k: v for k, v in os.environ.items() if k not in test_only} | {
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "a-production-key-" + "x" * 50,
        "ALLOWED_HOSTS": "portal.example.org",
        "MFA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]

    def check(env):
        return subprocess.run(  # noqa: S603 - manage.py, fixed arguments
            command, env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
        )

    assert check(production).returncode == 0, check(production).stderr
    without_keys = check({k: v for k, v in production.items() if k != "MFA_ENCRYPTION_KEYS"})
    assert without_keys.returncode != 0
    assert "accounts.W001" in without_keys.stderr
