"""Settings shared by every environment: secure by default; dev.py relaxes, production.py
tightens."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from .env import (
    email_settings_from_url,
    env_bool,
    env_int,
    env_list,
    env_signing_key,
    env_str,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The address certificates' QR codes and emailed links point at.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
# Signs every certificate's QR code (certificates/signing.py); production refuses to start
# without one. Never in the repository: see "Certificate signing keys" in README.md.
CERTIFICATE_SIGNING_KEY = env_signing_key()
# Where certificates send a learner to find training (a first course, or a refresher whose
# course page has gone): the course catalogue. Settings compose the parts; certificates sit
# below courses and name none of their URLs.
CERTIFICATES_TRAINING_PATH = "/courses/"
# Where a learner's certificates page offers the printable card of their role and area
# (courses/cards), as ?audience=...&borough=... on this path.
CERTIFICATES_CARDS_PATH = "/cards/"
# What `certificates reconcile` runs: courses find the passes whose certificate was never
# issued and hand them on again.
CERTIFICATES_RECONCILE = "courses.services.passes_reconcile"
WAGTAIL_SITE_NAME = "Spot the Signs"

INSTALLED_APPS = [
    "training_site",
    "training_site.people",
    "training_site.home",
    "certificates",
    "courses",
    "courses.classroom",
    "training_site.reports",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Wagtail's admin listings filter with django-filter (a requirement of Wagtail, not ours).
    "django_filters",
    "mailer",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "training_site.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Visitors' pages from the cache before anything below runs (home/page_cache.py), stored
    # already compressed; a stored page still answers while the database is down.
    "training_site.home.page_cache.PageCacheMiddleware",
    # HTML is compressed here, for every deployment; see "Compression" in README.md for why
    # that is safe from BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "training_site.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "training_site.people.middleware.StaffMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "training_site.middleware.FormErrorStatusMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "training_site.middleware.SiteCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "training_site.urls"
WSGI_APPLICATION = "training_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "training_site.home.context_processors.site_settings",
            ],
        },
    },
]

# SQLite by default (the quick start); DATABASE_URL switches to PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The report queries are costed high enough to trigger PostgreSQL's JIT compiler,
        # which spends ~200 ms compiling queries that run in tens: a web app never gains.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_POOL"
    ):
        # psycopg's pool replaces persistent connections; Django needs CONN_MAX_AGE 0 with it.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or str(BASE_DIR / "db.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when REDIS_URL is set (shared by every app server, needed for rate limits to hold
# across processes); local memory otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # django-redis with short timeouts; a call Redis cannot answer (down or hung) is
    # answered from the app server's own memory instead (home/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "training_site.home.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "spot-the-signs"),
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Visitors' pages from the cache (home/page_cache.py): on by default only with Redis, which
# every app server shares, so a publish anywhere reaches them all at once.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Sessions stay in the database alone, not cached_db: while Redis is down each app server's
# cache falls back to its own memory (home/cache.py), where a session ended on one server
# (signing out, a role change) would live on in another's copy, and a copy Redis held
# from before the outage would come back with it.
SESSION_ENGINE = "training_site.people.sessions"

# Every email goes into the outbox (django-mailer's queue, in the database) and the mail
# worker, `manage.py mailworker`, sends it: by SMTP when EMAIL_URL is set, to the console
# otherwise, so quick-start login codes are visible. See people/mail.py.
EMAIL_BACKEND = "mailer.backend.DbBackend"
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    globals().update(email_settings_from_url(EMAIL_URL))
else:
    MAILER_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A round of sending stops at the first failure and the worker tries again shortly: a mail
# server that is down or hung costs one timeout a round, not one for every queued email.
MAILER_EMAIL_MAX_DEFERRED = 1
# A failure the mail server did not cause is deferred and retried too, not left to stop it.
MAILER_ERROR_HANDLER = "training_site.people.mail.email_failed"
# Workers on several servers share the queue safely through its row locks; no lock file.
MAILER_USE_FILE_LOCK = False
# Sent mail is logged without its content: sign-in codes and certificates are not kept.
MAILER_EMAIL_LOG_MESSAGE_DATA = False
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Spot the Signs <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "people.User"
# Django's and allauth's backends, reading the account and its staff access in one query.
AUTHENTICATION_BACKENDS = [
    "training_site.people.backends.AccountModelBackend",
    "training_site.people.backends.AccountAllauthBackend",
]
# Argon2id first; the hashers after it still read older hashes, which Django rehashes with
# the first on the next sign-in.
PASSWORD_HASHERS = [
    "training_site.people.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
# Where staff who are not also learners land after signing in: people's adapter is told
# this rather than naming the staff area's URL itself.
STAFF_LOGIN_REDIRECT_URL = "reports:home"
# A learner's records come from every app, and closing an account reaches them all: people's
# pages call these, composed at the top (training_site/records.py).
PEOPLE_RECORDS = "training_site.records.records_for"
PEOPLE_ACCOUNT_CLOSE = "training_site.records.account_close"
# Production warns (system check people.W001, a database check: run by `migrate` and by
# `check --database default`) for every borough whose children's social care numbers are not
# confirmed from the council's own website. Demo and test sites carry unconfirmed boroughs.
PEOPLE_WARN_UNCONFIRMED_CONTACTS = False
# Paths a staff member can reach in a session that has not passed two-step sign-in (TOTP):
# setting it up or confirming a code, signing out, and pages that show nobody's records.
# Everything else waits for the second step; /verify/ does too, as officers act there.
STAFF_MFA_EXEMPT_PATHS = ("/accounts/", "/static/", "/healthz", "/help/")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# allauth: the email address is the identity; a password is optional because most
# learners sign in on a phone with a code sent by email.
SIGNUP_OPEN = env_bool("SIGNUP_OPEN", True)
ACCOUNT_ADAPTER = "training_site.people.adapters.AccountAdapter"
MFA_ADAPTER = "training_site.people.adapters.MFAAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_FORMS = {"signup": "training_site.people.forms.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
# Nobody can learn from a page whether an address has an account: sign-up, sign-in by code
# and password reset answer every address the same way. The plain answer people expect goes
# to the address itself: signing up again emails "you already have an account, sign in
# here", and a code or reset asked for an unknown address emails "no account yet, create
# one here" (templates/account/email/). Rate limits cap how many such emails anyone sends.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Spot the Signs: "
ACCOUNT_RATE_LIMITS = {
    # Five failed logins for one address within five minutes locks that address; the
    # sixth is refused before the password is even checked.
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "signup": "20/m/ip",
    # Typed certificate codes (/verify/): enough for an officer's shift, not for guessing.
    "verify_certificate": "30/10m/ip",
    # Opening /verify/<code>/ (what a QR scan does): a rank of cabs checked one by one,
    # twice over, never comes near it; a script walking through codes soon does.
    "verify_code": "120/10m/ip",
    "verify_code_signed_in": "240/10m/user",
    # Officers' licence look-ups: a busy rank check, not a walk through every number.
    "licence_lookup": "120/10m/user",
    # Wrong class codes at /join/: a pupil's typo or two, not a walk through the codes.
    # Right codes cost nothing, so a whole class behind one school address joins at once.
    "class_join_failed": "20/10m/ip",
    # Anonymous questions, per pupil token: enough to ask, not to flood the teacher.
    "class_question": "10/10m/key",
}
# Behind a proxy or load balancer, how many X-Forwarded-For hops to trust for the client's
# address (rate limits and the hashed address in verification logs).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Spot the Signs"

SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Pages use one stylesheet and a few small scripts of our own; nothing else may load.
# Wagtail's admin needs inline styles and data: images, so the policy allows those but
# never inline or remote scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        # As X-Frame-Options: DENY; Wagtail's previews relax both (SiteCSPMiddleware).
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Wagtail's database backend, mended so that no query string can fail (see the module).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "training_site.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "pptx", "txt"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: it would send a hash of every editor's email address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # xhtml2pdf reports refused resources as warnings; keep them visible.
        "xhtml2pdf": {"level": "WARNING"},
        # Wagtail's background tasks run inline here; their start/finish lines are noise.
        "django_tasks": {"level": "WARNING"},
    },
}
