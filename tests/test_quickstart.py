"""`manage.py quickstart` is what a newcomer runs first: it must work on an empty
database, leave exactly the same data when run again, and serve a site whose certificates
point at the address it serves, with the site's own error pages."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from certificates.keys import key_generate_pem
from training_site.home import health
from training_site.management.commands import quickstart
from training_site.settings import quickstart as served_settings

ROOT = Path(__file__).resolve().parents[1]
SESSION_ONLY = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
SNAPSHOT_MODELS = [
    "people",
    "home",
    "auth.group",
    "wagtailcore.page",
    "wagtailcore.site",
    "wagtailcore.revision",
    "account.emailaddress",
    "mfa.authenticator",
    "courses",
    "certificates",
    "wagtailcore.workflow",
    "wagtailcore.workflowpage",
]


def manage(*args, database: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SESSION_ONLY}
    env.update(SQLITE_PATH=str(database), DJANGO_SETTINGS_MODULE="training_site.settings.dev")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def snapshot(database: Path) -> list:
    dumped = manage("dumpdata", *SNAPSHOT_MODELS, "--indent", "0", database=database)
    return sorted(json.loads(dumped.stdout), key=lambda row: (row["model"], str(row["pk"])))


def test_quickstart_twice_leaves_the_same_data(tmp_path):
    database = tmp_path / "quickstart.sqlite3"
    first = manage("quickstart", "--no-serve", database=database)
    assert "demo accounts and 6 demo certificates ready" in first.stdout
    assert "spot-the-signs-demo" in first.stdout
    before = snapshot(database)
    assert any(row["model"] == "people.borough" for row in before)

    manage("quickstart", "--no-serve", database=database)
    assert snapshot(database) == before


def test_quickstart_refuses_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SESSION_ONLY}
    env.update(
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        DJANGO_SETTINGS_MODULE="training_site.settings.production",
        SECRET_KEY="p" * 20 + "q" * 20 + "r" * 20,
        ALLOWED_HOSTS="example.org",
        PUBLIC_BASE_URL="https://example.org",
        CERTIFICATE_SIGNING_KEY=key_generate_pem(),
        RATE_LIMITS_PER_PROCESS="true",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "quickstart", "--no-serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "development settings only" in result.stderr


@pytest.mark.django_db
def test_quickstart_on_another_port_serves_with_that_address(site_content, settings, monkeypatch):
    settings.DEBUG = True
    served = []
    workers = []

    def serve(command, **options):
        served.append((command, options["env"]))
        return subprocess.CompletedProcess(command, 0)

    class Worker:
        def __init__(self, command, **options):
            self.command, self.env, self.stopped = command, options["env"], False
            workers.append(self)

        def terminate(self):
            self.stopped = True

        def wait(self):
            return 0

    # Everything quickstart does but start the server and the mail worker: the commands it
    # would run are kept.
    with monkeypatch.context() as patch:
        patch.setattr(quickstart.subprocess, "run", serve)
        patch.setattr(quickstart.subprocess, "Popen", Worker)
        call_command("quickstart", "--port", "8101", stdout=StringIO(), stderr=StringIO())

    ((command, env),) = served
    assert command[-3:] == ["runserver", "127.0.0.1:8101", "--noreload"]
    # The mail worker runs beside the site, with its settings, and stops when it stops.
    (worker,) = workers
    assert worker.command[-1] == "mailworker"
    assert worker.env == env
    assert worker.stopped
    probe = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.SETTINGS_MODULE, settings.PUBLIC_BASE_URL, "
        "settings.WAGTAILADMIN_BASE_URL, settings.EMAIL_BACKEND, settings.MAILER_EMAIL_BACKEND]))"
    )
    found = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={key: value for key, value in env.items() if key not in SESSION_ONLY},
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(found.stdout) == [
        "training_site.settings.quickstart",
        "http://127.0.0.1:8101",
        "http://127.0.0.1:8101",
        # Emails are queued, and the worker prints them in the terminal.
        "mailer.backend.DbBackend",
        "django.core.mail.backends.console.EmailBackend",
    ]


@pytest.fixture
def as_quickstart_serves(settings):
    """The settings quickstart serves with: DEBUG on (for the demo two-step code) and the
    site's own error pages."""
    settings.DEBUG = True
    settings.MIDDLEWARE = served_settings.MIDDLEWARE


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/no-such-page/", "/robots.txt"])
def test_quickstart_serves_the_sites_own_404_page(client, as_quickstart_serves, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "We cannot find that page" in response.content.decode()
    assert "DEBUG = True" not in response.content.decode()


class BrokenConnection:
    def cursor(self):
        raise RuntimeError("the database driver crashed")


@pytest.mark.django_db
def test_quickstart_serves_the_sites_own_500_page(client, as_quickstart_serves, monkeypatch):
    monkeypatch.setattr(health, "connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()
    assert "the database driver crashed" not in response.content.decode()
