"""Two gunicorn app servers on one PostgreSQL behind one host: a user logged in on one is
logged in on the other (sessions live in the database) and a live workshop works across both
(all workshop state lives in the database)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="app servers share PostgreSQL: runs in CI"
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_servers(demo_data, tmp_path, django_user_model):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils.crypto import get_random_string

    # The test process hashes with MD5 for speed; the servers know only the real hashers.
    user = django_user_model.objects.get(username="consultant")
    user.password = PBKDF2PasswordHasher().encode("demo-consultant", get_random_string(16))
    user.save(update_fields=["password"])
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "scale-out-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",
        "CONN_MAX_AGE": "0",
        "REQUEST_LOG_FORMAT": "plain",
    }
    ports = [free_port(), free_port()]
    processes = []
    for port in ports:
        log = open(tmp_path / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed below
        processes.append(
            (
                subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "dvo_portal.wsgi",
                        "--workers",
                        "2",
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                ),
                log,
            )
        )
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/health/", timeout=2) as response:  # noqa: S310
                        assert response.status == 200
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        logs = "\n".join(Path(log.name).read_text() for _p, log in processes)
                        pytest.fail(f"gunicorn did not start:\n{logs[-3000:]}")
                    time.sleep(0.3)
        yield bases
    finally:
        for process, log in processes:
            process.terminate()
            process.wait(timeout=10)
            log.close()


def test_a_workshop_runs_across_two_app_servers(two_servers, browser):
    first, second = two_servers
    consultant = browser.new_context().new_page()
    consultant.set_default_timeout(10_000)
    consultant.goto(f"{first}/accounts/login/")
    consultant.get_by_label("Username").fill("consultant")
    consultant.get_by_label("Password").fill("demo-consultant")
    consultant.get_by_role("button", name="Log in").click()
    expect(consultant.get_by_test_id("organisation")).to_contain_text("Demo Retail BV")

    # Logged in on the first server, the second knows the session too.
    consultant.goto(f"{second}/")
    expect(consultant.get_by_test_id("organisation")).to_contain_text("Demo Retail BV")
    consultant.get_by_role("link", name="Baseline").click()
    consultant.get_by_role("link", name="Live workshop").click()
    consultant.get_by_role("button", name="Open a live session").click()
    code = consultant.get_by_test_id("join-code").inner_text().strip()

    phone = browser.new_context().new_page()
    phone.set_default_timeout(10_000)
    phone.goto(f"{first}/join/?code={code}")  # the participant lands on the other server
    phone.get_by_role("button", name="Join").click()
    phone.get_by_role("button", name="3. Structured").click()
    expect(phone.get_by_test_id("own-vote")).to_contain_text("3")

    expect(consultant.get_by_test_id("vote-count")).to_have_text("1 vote")  # polled on server 2
    consultant.get_by_role("button", name="Next process").click()
    expect(phone.get_by_test_id("participant-process")).to_have_text("Sales", timeout=8_000)
