"""Shared fixtures: the SMG model, the standing trio of users, and the browser set-up."""

import io
import os
import threading

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import testcases
from django.utils import timezone

# Playwright runs an event loop in the test thread; Django's ORM calls from the same thread are
# safe here because the browser never shares a connection with them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeOnSharedSQLite(ThreadedWSGIServer):
    """The live server for browser tests. On an in-memory SQLite test database every request
    thread is handed the *same* connection (`connections_override`), so two requests at once
    (a save and a row's form, say) interleave on one connection and can read nothing, e.g. no
    session: a harness artefact, not something PostgreSQL or a file database does. Requests
    take turns there; connections stay threaded (browsers keep them open)."""

    _turn = threading.Lock()

    def set_app(self, application):
        if self.connections_override:
            inner = application

            def application(environ, start_response):
                with self._turn:
                    return inner(environ, start_response)

        super().set_app(application)


testcases.LiveServerThread.server_class = OneRequestAtATimeOnSharedSQLite


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Static files straight from the source folders: no collectstatic manifest in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Live screens poll four times as often: browser tests wait on what a screen shows, so a
    # shorter period only shortens their wait (workshops/tests use the same figure).
    settings.POLL_MS = {"workshop": 500, "presenter": 500}
    # The grid saves 150 ms after the last key instead of 900 ms: tests fill a field at once.
    settings.SAVE_AFTER_TYPING_MS = 150


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in Dutch leaves the language of
    its thread active (LocaleMiddleware), and the next test in that worker would inherit it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty per-process cache, as a new app process does."""
    from django.core.cache import caches

    caches["local"].clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped SMG model, loaded once into the test database: tests roll back to it. A
    test that empties the database (live-server tests flush it, which ends with post_migrate)
    loads it again for the tests after it."""
    from django.db.models.signals import post_migrate

    with django_db_blocker.unblock():
        load_smg_model()
    post_migrate.connect(_load_smg_after_flush, dispatch_uid="tests-load-smg-after-flush")


def _load_smg_after_flush(sender, **kwargs):
    if sender.name == "assessments":
        load_smg_model()


def load_smg_model():
    from assessments.model_files import SMG_MODEL_FILE, version_import
    from assessments.models import ModelVersion

    version = ModelVersion.objects.filter(model__key="smg", number=1).first()
    if version is None:
        version = version_import(text=SMG_MODEL_FILE.read_text(encoding="utf-8"))
    return version


@pytest.fixture
def smg_version(db):
    """The shipped SMG model, version 1, published (loaded once per test session)."""
    return load_smg_model()


@pytest.fixture
def make_user(db, django_user_model):
    def make(username: str, **extra):
        return django_user_model.objects.create_user(
            username=username, password=f"{username}-password", **extra
        )

    return make


@pytest.fixture
def organisation(smg_version):
    from assessments.models import BusinessProcess
    from assessments.services import organisation_create

    return organisation_create(
        name="Acme Zorg",
        report_language="en",
        processes=list(BusinessProcess.objects.filter(version=smg_version)),
    )


@pytest.fixture
def other_organisation(smg_version):
    from assessments.models import BusinessProcess
    from assessments.services import organisation_create

    return organisation_create(
        name="Other Org",
        report_language="nl",
        processes=list(BusinessProcess.objects.filter(version=smg_version))[:3],
    )


@pytest.fixture
def alice(make_user, organisation):
    """A consultant of `organisation`."""
    from assessments.models import Membership

    user = make_user("alice", first_name="Alice")
    Membership.objects.create(organisation=organisation, user=user, role="consultant")
    return user


@pytest.fixture
def bob(make_user, organisation):
    """A manager of `organisation`."""
    from assessments.models import Membership

    user = make_user("bob", first_name="Bob")
    Membership.objects.create(organisation=organisation, user=user, role="manager")
    return user


@pytest.fixture
def charlie(make_user, other_organisation):
    """A consultant of another organisation: an outsider to `organisation`."""
    from assessments.models import Membership

    user = make_user("charlie", first_name="Charlie")
    Membership.objects.create(organisation=other_organisation, user=user, role="consultant")
    return user


@pytest.fixture
def baseline(organisation, smg_version, alice):
    from assessments.services import assessment_start

    return assessment_start(organisation=organisation, version=smg_version, by=alice)


@pytest.fixture
def demo_data(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def big_model_text(processes: int) -> str:
    """A published model with `processes` processes, 4 dimensions and criteria at every level."""
    lines = [
        "format: dvo-model/1",
        f"model: {{key: big{processes}, name: {{en: Big}}}}",
        "version: {number: 1, status: published}",
        "levels:",
        *(f"  - {{number: {n}, key: l{n}, name: {{en: L{n}}}}}" for n in range(1, 6)),
        "dimensions:",
        *(f"  - {{key: d{d}, name: {{en: D{d}}}}}" for d in range(4)),
        "processes:",
        *(f"  - {{key: p{p}, name: {{en: P{p}}}}}" for p in range(processes)),
        "criteria:",
    ]
    for level in range(2, 6):
        for dimension in range(4):
            baseline = "true" if level == 3 and dimension < 3 else "false"
            lines.append(
                f"  - {{key: c{level}-{dimension}, level: {level}, dimension: d{dimension}, "
                f"baseline: {baseline}, text: {{en: C}}}}"
            )
        for p in range(processes):
            lines.append(
                f"  - {{key: c{level}-p{p}, level: {level}, dimension: d0, process: p{p}, "
                f"text: {{en: C}}}}"
            )
    return "\n".join(lines)


@pytest.fixture
def make_big_assessment(make_user):
    """A baseline of `processes` processes, every level-2 criterion met, ambitions set."""

    def make(processes: int):
        from assessments.model_files import version_import
        from assessments.models import BusinessProcess, Criterion
        from assessments.services import assessment_start, organisation_create

        version = version_import(text=big_model_text(processes))
        user = make_user(f"consultant{processes}")
        organisation = organisation_create(
            name=f"Big {processes}",
            report_language="en",
            processes=list(BusinessProcess.objects.filter(version=version)),
            consultant=user,
        )
        assessment = assessment_start(organisation=organisation, version=version, by=user)
        level_two = list(Criterion.objects.filter(version=version, level__number=2))
        for score in assessment.scores.all():
            score.criteria_met.set(level_two)
        assessment.scores.update(ambition_level=3, scored_at=timezone.now())
        return assessment

    return make


# --- browser tests -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started after the test database exists: it hands an
    in-memory SQLite test database's connection to its request threads only if it sees that
    database when it starts (otherwise each thread opens its own, and they lock each other)."""
    return live_server


HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium. Headless runs take its headless shell (package
    chromium-headless-shell, the same Blink without the browser's hidden window and tab strip,
    as Playwright's own headless runs do): two fifths of the CPU of the full browser, which is
    most of the suite's time on two cores. `--headed` (or no shell installed) takes the full
    browser; CHROMIUM_PATH picks one."""
    headless = browser_type_launch_args.get("headless", True)
    default = HEADLESS_SHELL if headless and os.path.exists(HEADLESS_SHELL) else "/usr/bin/chromium"
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", default),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def artifacts_dir():
    path = os.path.join(os.path.dirname(__file__), "test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def sign_in(live_server, page):
    """Open the home page signed in as `username`, without the login form (see
    dvo_portal/tests/browser.py)."""
    from dvo_portal.tests.browser import sign_in as sign_in_page

    def sign_in_as(username: str):
        sign_in_page(page, live_server, username)

    return sign_in_as


@pytest.fixture
def log_in(live_server, page):
    """Log in through the real login form (the tests of logging in; others use `sign_in`)."""

    def log_in_as(username: str, password: str):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()

    return log_in_as
