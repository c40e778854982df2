from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from pytest_django.fixtures import validate_django_db

from training_site.demo import demo_accounts_create, demo_certificates_create
from training_site.fixtures import fixture_read

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
