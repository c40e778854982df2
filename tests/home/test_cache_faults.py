"""Redis stopped or hung is not an outage: pages keep serving, rate limits hold in each
server's own memory, /healthz says the cache is down but answers 200, and Redis is used
again once it answers. Each test runs its own throwaway redis-server and stops it."""

import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass

import pytest
import redis
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from courses.models import LessonPage

from ..certificates.factories import driver_with_licence, issue
from ..people.factories import UserFactory

pytestmark = pytest.mark.django_db

# A low limit for typed certificate codes, so refusing after it takes a few requests.
RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "verify_certificate": "3/10m/ip"}


@dataclass
class RedisServer:
    process: subprocess.Popen
    url: str
    client: redis.Redis

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server():
    """A redis-server of the test's own, keeping nothing on disk, and the site's cache on it."""
    path = shutil.which("redis-server")
    if not path:
        if os.environ.get("REQUIRE_REDIS_SERVER"):
            pytest.fail("REQUIRE_REDIS_SERVER is set but redis-server is not installed")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (a fixed command line)
        [path, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_timeout=1)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("redis-server did not start")
    server = RedisServer(process=process, url=f"redis://127.0.0.1:{port}/0", client=client)
    caches = {
        "default": {
            "BACKEND": "training_site.home.cache.FallbackRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "faults",
            # As settings/base.py sets them.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
    }
    with override_settings(CACHES=caches, ACCOUNT_RATE_LIMITS=RATE_LIMITS):
        yield server
    client.close()
    process.kill()
    process.wait()


@pytest.fixture
def pages(site_content):
    certificate = issue(driver_with_licence())
    return (
        "/",
        LessonPage.objects.live().first().url,
        reverse("certificates:verify_code", args=[certificate.code]),
        reverse("account_login"),
    )


def assert_pages_serve(client, pages):
    for url in pages:
        assert client.get(url).status_code == 200, url


def assert_codes_refused_after_the_limit(client, address):
    verify = reverse("certificates:verify")
    for _ in range(3):
        assert client.post(verify, {"code": "NOPE"}, REMOTE_ADDR=address).status_code == 404
    assert client.post(verify, {"code": "NOPE"}, REMOTE_ADDR=address).status_code == 429


def assert_sixth_bad_login_refused(client):
    user = UserFactory()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "no"})
        assert b"not correct" in response.content
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert b"Too many failed login attempts" in response.content


def healthz(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    return response.json()


def outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "training_site.home.cache"]


def test_a_stopped_redis_is_a_miss_not_an_outage(client, pages, redis_server, caplog):
    caplog.set_level(logging.WARNING, logger="training_site.home.cache")
    assert_pages_serve(client, pages)
    assert_codes_refused_after_the_limit(client, "203.0.113.1")
    assert healthz(client)["cache"] == "up"
    assert redis_server.client.keys("faults:*")

    redis_server.stop()
    assert_pages_serve(client, pages)
    assert_codes_refused_after_the_limit(client, "203.0.113.2")
    assert_sixth_bad_login_refused(client)
    assert healthz(client)["cache"] == "down"
    (logged,) = outage_lines(caplog)
    assert "Redis cache unavailable" in logged


def test_a_hung_redis_is_a_miss_and_is_used_again_once_it_answers(
    client, pages, redis_server, caplog
):
    caplog.set_level(logging.WARNING, logger="training_site.home.cache")
    assert_pages_serve(client, pages)

    redis_server.hang()
    assert_pages_serve(client, pages)
    assert_codes_refused_after_the_limit(client, "203.0.113.3")
    assert_sixth_bad_login_refused(client)
    assert healthz(client)["cache"] == "down"

    redis_server.resume()
    # The next health check finds Redis answering, so this process stops waiting for it.
    assert healthz(client)["cache"] == "up"
    redis_server.client.flushdb()
    assert_codes_refused_after_the_limit(client, "203.0.113.4")
    assert redis_server.client.keys("faults:*")
    assert [line.split(" (")[0] for line in outage_lines(caplog)] == [
        "Redis cache unavailable",
        "Redis cache answering again",
    ]
