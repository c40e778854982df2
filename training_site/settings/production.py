"""Production: every secret from the environment, HTTPS everywhere, static files by WhiteNoise."""

from django.core.exceptions import ImproperlyConfigured

from certificates.keys import private_key_load

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_public_address, env_required, env_str

DEBUG = False
PEOPLE_WARN_UNCONFIRMED_CONTACTS = True
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [env_required("ALLOWED_HOSTS")]
# A printed certificate's QR code outlives any fix: refuse to start with an address that
# would send a scan nowhere.
PUBLIC_BASE_URL = env_public_address("PUBLIC_BASE_URL")
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
if not CERTIFICATE_SIGNING_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "Set CERTIFICATE_SIGNING_KEY_FILE to the certificate signing key's file: every QR code "
        "is signed with it. Make one with `python manage.py certificates keygen --out FILE`."
    )
private_key_load(CERTIFICATE_SIGNING_KEY)  # noqa: F405 (refuses a key that is not one)

# Rate limits (sign-in, certificate checks, class codes) count in the cache. Without Redis
# each worker process counts on its own, so N workers let N times as many attempts through:
# that must be a choice someone wrote down, never an accident.
if not env_str("REDIS_URL") and not env_bool("RATE_LIMITS_PER_PROCESS"):
    raise ImproperlyConfigured(
        "Set REDIS_URL: without Redis every worker process keeps its own rate limits, so "
        "each limit is multiplied by the number of workers and servers. If that is "
        "intended (one worker, say), set RATE_LIMITS_PER_PROCESS=true."
    )

# Behind a TLS-terminating proxy or load balancer, set TRUST_X_FORWARDED_PROTO=true so
# Django believes the proxy's X-Forwarded-Proto header (and only then).
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# S3-compatible storage for media (images, documents, certificate PDFs) when a bucket is
# named; needs the "s3" extra (django-storages). App servers then keep nothing on disk.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}  # noqa: F405
