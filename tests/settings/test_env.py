"""Settings come from the environment. Each case imports the settings in a fresh process,
exactly as a server would start, with only the variables given."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from certificates.keys import key_generate_pem
from training_site.settings.env import (
    email_settings_from_url,
    env_bool,
    env_list,
    public_address_problem,
)

ROOT = Path(__file__).resolve().parents[2]
# A server starts with none of these; tests must not leak them into the processes they start.
SESSION_ONLY = {
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "CERTIFICATE_SIGNING_KEY",
    "CERTIFICATE_SIGNING_KEY_FILE",
    "ALLOWED_HOSTS",
    "PUBLIC_BASE_URL",
    "RATE_LIMITS_PER_PROCESS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "training.example.gov.uk",
    "PUBLIC_BASE_URL": "https://training.example.gov.uk",
    "CERTIFICATE_SIGNING_KEY": key_generate_pem(),
    # Only named, never connected to: importing settings and `check --deploy` open no socket.
    "REDIS_URL": "redis://cache.internal:6379/0",
}
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
    "POOL": db.get("OPTIONS", {}).get("pool"),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION"),
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "MAILER_EMAIL_BACKEND": settings.MAILER_EMAIL_BACKEND,
    "EMAIL_HOST": getattr(settings, "EMAIL_HOST", None),
    "EMAIL_USE_TLS": settings.EMAIL_USE_TLS,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "HSTS": settings.SECURE_HSTS_SECONDS,
    "SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "PROXY": settings.SECURE_PROXY_SSL_HEADER,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE,
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "CSP": "CONTENT_SECURITY_POLICY" in dir(settings),
    "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL,
    "WAGTAILADMIN_BASE_URL": settings.WAGTAILADMIN_BASE_URL,
}))
"""


def run_settings(module: str, **env) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in SESSION_ONLY}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def settings_for(module: str, **env) -> dict:
    result = run_settings(module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_are_sqlite_local_memory_console_and_debug_off():
    found = settings_for("training_site.settings.base")
    assert found["ENGINE"] == "django.db.backends.sqlite3"
    assert found["CACHE"].endswith("LocMemCache")
    # One process's memory cannot hold sessions that every app server must see ended.
    assert found["SESSION_ENGINE"] == "training_site.people.sessions"
    assert found["EMAIL_BACKEND"] == "mailer.backend.DbBackend"
    assert found["MAILER_EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert found["DEBUG"] is False


def test_only_the_dev_settings_turn_debug_on():
    assert settings_for("training_site.settings.dev")["DEBUG"] is True
    assert settings_for("training_site.settings.production", **PRODUCTION_ENV)["DEBUG"] is False


def test_database_url_switches_to_postgresql_with_persistent_connections():
    found = settings_for(
        "training_site.settings.base", DATABASE_URL="postgres://app:pw@db.internal:5432/training"
    )
    assert found["ENGINE"] == "django.db.backends.postgresql"
    assert found["NAME"] == "training"
    assert found["CONN_MAX_AGE"] == 60
    assert found["POOL"] is None


def test_database_pool_uses_psycopg_pooling():
    found = settings_for(
        "training_site.settings.base",
        DATABASE_URL="postgres://app@db/training",
        DATABASE_POOL="true",
        DATABASE_POOL_MAX="20",
    )
    assert found["CONN_MAX_AGE"] == 0
    assert found["POOL"] == {"min_size": 2, "max_size": 20}


def test_redis_url_switches_the_cache():
    found = settings_for("training_site.settings.base", REDIS_URL="redis://127.0.0.1:6379/3")
    assert found["CACHE"] == "training_site.home.cache.FallbackRedisCache"
    assert found["CACHE_LOCATION"] == "redis://127.0.0.1:6379/3"
    # Never cached_db: a session ended during a Redis outage must end everywhere.
    assert found["SESSION_ENGINE"] == "training_site.people.sessions"


def test_email_url_switches_the_outbox_worker_to_smtp():
    found = settings_for(
        "training_site.settings.base",
        EMAIL_URL="smtp://mailer:secret@smtp.example.org:587?starttls=1",
    )
    assert found["EMAIL_BACKEND"] == "mailer.backend.DbBackend"
    assert found["MAILER_EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["EMAIL_HOST"] == "smtp.example.org"
    assert found["EMAIL_USE_TLS"] is True


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = run_settings("training_site.settings.production", **env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_refuses_to_start_without_a_signing_key_or_with_a_bad_one(tmp_path):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "CERTIFICATE_SIGNING_KEY"}
    result = run_settings("training_site.settings.production", **env)
    assert result.returncode != 0
    assert "Set CERTIFICATE_SIGNING_KEY_FILE" in result.stderr
    bad = tmp_path / "key.pem"
    bad.write_text("not a key")
    result = run_settings(
        "training_site.settings.production", **env, CERTIFICATE_SIGNING_KEY_FILE=str(bad)
    )
    assert result.returncode != 0
    assert "not a PEM private key" in result.stderr
    result = run_settings(
        "training_site.settings.production",
        **env,
        CERTIFICATE_SIGNING_KEY_FILE=str(tmp_path / "missing.pem"),
    )
    assert "CERTIFICATE_SIGNING_KEY_FILE cannot be read" in result.stderr


def test_production_reads_the_signing_key_from_its_file(tmp_path):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "CERTIFICATE_SIGNING_KEY"}
    key_file = tmp_path / "key.pem"
    key_file.write_text(key_generate_pem())
    result = run_settings(
        "training_site.settings.production", **env, CERTIFICATE_SIGNING_KEY_FILE=str(key_file)
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("per_process", [None, "false"])
def test_production_refuses_to_start_with_rate_limits_in_each_process(per_process):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "REDIS_URL"}
    if per_process is not None:
        env["RATE_LIMITS_PER_PROCESS"] = per_process
    result = run_settings("training_site.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set REDIS_URL" in result.stderr
    assert "RATE_LIMITS_PER_PROCESS=true" in result.stderr


def test_production_keeps_rate_limits_per_process_only_when_told():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "REDIS_URL"}
    found = settings_for("training_site.settings.production", RATE_LIMITS_PER_PROCESS="true", **env)
    assert found["CACHE"].endswith("LocMemCache")
    with_redis = settings_for("training_site.settings.production", **PRODUCTION_ENV)
    assert with_redis["CACHE"] == "training_site.home.cache.FallbackRedisCache"


def test_production_is_secure_by_default():
    found = settings_for("training_site.settings.production", **PRODUCTION_ENV)
    assert found["HSTS"] >= 365 * 24 * 60 * 60
    assert found["SSL_REDIRECT"] is True
    assert found["SESSION_COOKIE_SECURE"] is True
    assert found["PROXY"] is None
    assert found["ALLOWED_HOSTS"] == ["training.example.gov.uk"]
    assert found["SESSION_COOKIE_AGE"] <= 24 * 60 * 60
    assert found["CSP"]


@pytest.mark.parametrize(
    "address",
    [
        "https://training.example.gov.uk",
        "https://training.example.gov.uk/",
        "https://Training.Example.gov.uk:8443",
        "https://8.8.8.8",
        "https://[2a00:1450:4009::1]",
    ],
)
def test_a_public_https_address_will_do(address):
    assert public_address_problem(address) == ""


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("http://training.example.gov.uk", "not https"),
        ("training.example.gov.uk", "not https"),
        ("https://127.0.0.1", "127.0.0.1 is not public"),
        ("https://127.0.0.1:8000", "127.0.0.1 is not public"),
        ("https://10.1.2.3", "10.1.2.3 is not public"),
        ("https://192.168.1.20", "192.168.1.20 is not public"),
        ("https://172.16.0.1", "172.16.0.1 is not public"),
        ("https://169.254.169.254", "169.254.169.254 is not public"),
        ("https://100.64.0.1", "100.64.0.1 is not public"),
        ("https://0.0.0.0", "0.0.0.0 is not public"),
        ("https://[::1]", "::1 is not public"),
        ("https://[fe80::1]", "fe80::1 is not public"),
        ("https://[fd00::1]", "fd00::1 is not public"),
        ("https://[::ffff:127.0.0.1]", "::ffff:127.0.0.1 is not public"),
        ("https://localhost", "localhost is not a public host name"),
        ("https://LOCALHOST.:8443", "localhost is not a public host name"),
        ("https://training.localhost", "training.localhost is not a public host name"),
        ("https://training.local", "training.local is not a public host name"),
        ("https://web.corp.internal", "web.corp.internal is not a public host name"),
        ("https://intranet", "intranet is not a public host name"),
        ("https://127.1", "127.1 is not a public host name"),
        ("https://0x7f000001", "0x7f000001 is not a public host name"),
        ("https://training.example.gov.uk/training", "path"),
        ("https://training.example.gov.uk?x=1", "path"),
        ("https://user@training.example.gov.uk", "user name"),
        ("https://training.example.gov.uk:99999", "not a valid address"),
        ("https://", "no host name"),
    ],
)
def test_an_address_a_printed_qr_code_could_not_reach_is_refused(address, problem):
    assert problem in public_address_problem(address)


@pytest.mark.parametrize(
    "address", ["http://training.example.gov.uk", "https://127.0.0.1:8000", "https://localhost"]
)
def test_production_refuses_to_start_with_an_address_that_is_not_public_https(address):
    result = run_settings(
        "training_site.settings.production", **{**PRODUCTION_ENV, "PUBLIC_BASE_URL": address}
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: PUBLIC_BASE_URL must be the site's public https address" in (
        result.stderr
    )


def test_production_links_and_the_admin_use_the_public_address():
    found = settings_for(
        "training_site.settings.production",
        **{**PRODUCTION_ENV, "PUBLIC_BASE_URL": "https://training.example.gov.uk/"},
    )
    assert found["PUBLIC_BASE_URL"] == "https://training.example.gov.uk"
    assert found["WAGTAILADMIN_BASE_URL"] == "https://training.example.gov.uk"


def test_a_tls_terminating_proxy_is_trusted_only_when_told():
    found = settings_for(
        "training_site.settings.production", TRUST_X_FORWARDED_PROTO="true", **PRODUCTION_ENV
    )
    assert found["PROXY"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_check_deploy_is_clean_under_production_settings():
    env = {key: value for key, value in os.environ.items() if key not in SESSION_ONLY}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="training_site.settings.production")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_env_helpers():
    assert email_settings_from_url("smtps://u%40x:p%2Fw@mail.example.org")["EMAIL_PORT"] == 465
    assert (
        email_settings_from_url("smtps://u%40x:p%2Fw@mail.example.org")["EMAIL_HOST_USER"] == "u@x"
    )
    with pytest.raises(ImproperlyConfigured):
        email_settings_from_url("http://mail.example.org")
    os.environ["SPOT_TEST_FLAG"] = "maybe"
    try:
        with pytest.raises(ImproperlyConfigured):
            env_bool("SPOT_TEST_FLAG")
    finally:
        del os.environ["SPOT_TEST_FLAG"]
    os.environ["SPOT_TEST_LIST"] = " a.example, ,b.example "
    try:
        assert env_list("SPOT_TEST_LIST") == ["a.example", "b.example"]
    finally:
        del os.environ["SPOT_TEST_LIST"]
