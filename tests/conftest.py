from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from pytest_django.fixtures import validate_django_db

from training_site.demo import demo_accounts_create, demo_certificates_create
from training_site.fixtures import fixture_read

from .people.mail import HungSmtpServer, SmtpServer
from .snapshots import BUILDERS, SnapshotDatabases, snapshot_fixture, snapshot_wanted


def site_content_load() -> None:
    call_command("load_content", verbosity=0, stdout=StringIO())


content_snapshot = snapshot_fixture("content_snapshot", site_content_load)


def demo_load() -> None:
    """The real content and the demo accounts and certificates, as quickstart makes them."""
    site_content_load()
    demo = fixture_read("demo_accounts.yaml")
    demo_accounts_create(data=demo)
    demo_certificates_create(data=demo)


demo_snapshot = snapshot_fixture("demo_snapshot", demo_load, extends="content_snapshot")


@pytest.fixture
def site_content(content_snapshot) -> None:
    """The real boroughs, audiences, site pages and courses, loaded as quickstart loads them
    (once per session: see tests/snapshots.py)."""


@pytest.fixture(scope="session")
def _snapshot_databases(request, django_db_setup, django_db_blocker):
    """The session's copies of the test database; made only if a collected test needs one."""
    from django.db import connection

    if not any(name in item.fixturenames for item in request.session.items for name in BUILDERS):
        yield None
        return
    with django_db_blocker.unblock():
        databases = SnapshotDatabases(connection)
    yield databases
    with django_db_blocker.unblock():
        databases.drop_all()


@pytest.fixture
def _snapshot_database(request, _snapshot_databases, django_db_blocker):
    """Point the connection at the snapshot this test asks for, if any; its build's result."""
    wanted = snapshot_wanted(request.fixturenames)
    if not wanted:
        yield None
        return
    if len(wanted) > 1 or _snapshot_databases is None:
        pytest.fail(f"a test can run on one database snapshot, not {wanted}")
    (name,) = wanted
    marker = request.node.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    emptied = (
        transaction
        or reset_sequences
        or "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
    )
    with django_db_blocker.unblock():
        result = _snapshot_databases.enter(name)
    yield result
    with django_db_blocker.unblock():
        _snapshot_databases.leave(name, emptied=emptied)


@pytest.fixture
def _django_db_helper(_snapshot_database, _django_db_helper):
    """pytest-django's per-test transaction (or flush), opened once the connection points at
    the test's database snapshot: pytest-django has no public hook between the two."""
    return _django_db_helper


@pytest.fixture(scope="session", autouse=True)
def _email_through_the_outbox(django_test_environment):
    """Django's test set-up sends email straight to locmem; put the site's outbox back, so
    tests queue mail as the site does (tests/people/mail.py runs the worker's pass)."""
    from django.conf import settings

    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"


def smtp_settings_for(settings, port: int) -> None:
    """The mail worker sends by SMTP to 127.0.0.1:`port`."""
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server the mail worker sends to; down (refusing) until `.start()`."""
    server = SmtpServer()
    smtp_settings_for(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def hung_smtp_server(settings):
    """A mail server that accepts the worker's connection and then hangs."""
    server = HungSmtpServer()
    smtp_settings_for(settings, server.port)
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits live in the cache: every test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_postgres(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


class DatabaseOutage:
    """The real connection pointed at a database that cannot be reached, and back."""

    def __init__(self):
        self.saved = None

    def start(self) -> None:
        connection.close()
        self.saved = dict(connection.settings_dict)
        if connection.vendor == "postgresql":
            connection.settings_dict.update(HOST="127.0.0.1", PORT="1", NAME="nowhere")
            options = {**connection.settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
            options.pop("pool", None)
            connection.settings_dict["OPTIONS"] = options
        else:
            connection.settings_dict["NAME"] = "/nonexistent-directory/down.sqlite3"

    def end(self) -> None:
        if self.saved is not None:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(self.saved)
            self.saved = None


@pytest.fixture
def database_down():
    """The database unreachable from here on; `database_down.end()` (or the test's end)
    brings it back. Needs a transactional test: the test's own transaction dies with it."""
    outage = DatabaseOutage()
    outage.start()
    yield outage
    outage.end()


@pytest.fixture(autouse=True)
def _migrated_rows_after_flush(request):
    """Transactional tests empty every table when they finish, so the rows migrations made
    (Wagtail's locale and root page) are put back for the next one."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from django.conf import settings
    from django.utils.translation import get_supported_language_variant
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(
        language_code=get_supported_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
