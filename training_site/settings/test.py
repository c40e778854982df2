"""Tests: fast hashing, in-memory email, and the same security settings as everywhere else."""

import os
import tempfile
from pathlib import Path

from certificates.keys import key_generate_pem

from .base import *  # noqa: F403
from .env import env_str

SECRET_KEY = "test-only-not-secret-spot-the-signs"  # noqa: S105
# A signing key for this test run only, made afresh each time.
CERTIFICATE_SIGNING_KEY = key_generate_pem()
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Email is queued in the outbox as everywhere else; the worker's pass (tests/people/mail.py)
# delivers it to django.core.mail.outbox.
MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    # Keep parallel test runs on one Redis from reading each other's rate limits.
    CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "spot-the-signs-test")  # noqa: F405
# The whole suite runs with visitors' pages cached (each test starts with an empty cache).
PAGE_CACHE = True
# Serve static files straight from the app folders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: tests can then really lose and regain the database (/healthz),
    # and each test process gets its own.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"spot-the-signs-test-{os.getpid()}.sqlite3")
    }
