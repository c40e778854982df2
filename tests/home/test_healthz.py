"""/healthz: each dependency's state in JSON; 503 only when the database is down."""

import pytest
from django.conf import settings
from mailer.models import Message

pytestmark = pytest.mark.django_db

# Without REDIS_URL each server keeps its own cache; with it, the suite's Redis answers.
CACHE_STATE = "up" if settings.CACHES["default"].get("LOCATION") else "local"


def test_healthz_names_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "up", "cache": CACHE_STATE, "outbox_backlog": 0}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_counts_the_emails_waiting_in_the_outbox(client):
    Message.objects.create(message_data="")
    Message.objects.create(message_data="")
    assert client.get("/healthz").json()["outbox_backlog"] == 2


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_down_and_200_once_it_is_back(
    client, database_down
):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": CACHE_STATE, "outbox_backlog": None}
    database_down.end()
    assert client.get("/healthz").status_code == 200
