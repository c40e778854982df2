import pytest
from django.core.cache import cache


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
