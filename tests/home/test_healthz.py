import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def database_down():
    """Point the real connection at a database that cannot be reached, then put it back."""
    connection.close()
    saved = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1", NAME="nowhere")
        connection.settings_dict.setdefault("OPTIONS", {})
        connection.settings_dict["OPTIONS"] = {
            **connection.settings_dict["OPTIONS"],
            "connect_timeout": 2,
        }
        connection.settings_dict["OPTIONS"].pop("pool", None)
    else:
        connection.settings_dict["NAME"] = "/nonexistent-directory/healthz.sqlite3"
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
