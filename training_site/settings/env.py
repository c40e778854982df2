"""Read settings from the environment, so one settings chain serves every deployment."""

import ipaddress
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
# Names that never resolve on the public internet (RFC 6761, RFC 6762, and the suffix cloud
# providers and ICANN keep for private networks).
PRIVATE_NAME_SUFFIXES = (".localhost", ".local", ".internal")
# A host whose last label is a number is an IPv4 address to a browser, however it is
# written ("127.1", "0x7f000001"): the WHATWG URL standard's "ends in a number".
NUMERIC_LABEL = re.compile(r"(\d+|0x[0-9a-f]*)", re.IGNORECASE)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_signing_key() -> str:
    """The certificate signing key's PEM text: CERTIFICATE_SIGNING_KEY itself, or the file
    CERTIFICATE_SIGNING_KEY_FILE names (certificates/signing.py checks what it holds)."""
    pem = os.environ.get("CERTIFICATE_SIGNING_KEY", "").strip()
    path = env_str("CERTIFICATE_SIGNING_KEY_FILE")
    if pem or not path:
        return pem
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(
            f"CERTIFICATE_SIGNING_KEY_FILE cannot be read: {error}"
        ) from error


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def public_address_problem(url: str) -> str:
    """Why `url` cannot be the site's public address, or "" when it can: https, the origin
    only, and a host that anyone on the internet can reach."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading the port is what checks it)
    except ValueError:
        return "it is not a valid address"
    if parts.scheme != "https":
        return "it is not https"
    if parts.username or parts.password or parts.path.strip("/") or parts.query or parts.fragment:
        return "it has a path, query or user name, and should be the address alone"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "it has no host name"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        private_name = (
            host == "localhost"
            or host.endswith(PRIVATE_NAME_SUFFIXES)
            or "." not in host
            or NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1])
        )
        return f"{host} is not a public host name" if private_name else ""
    return "" if address.is_global and not address.is_multicast else f"{host} is not public"


def env_public_address(name: str) -> str:
    """A required https address on the public internet, without a trailing slash."""
    value = env_required(name).rstrip("/")
    problem = public_address_problem(value)
    if problem:
        raise ImproperlyConfigured(
            f"{name} must be the site's public https address, like "
            f"https://training.example.gov.uk, not {value!r}: {problem}. Certificates print "
            "it in their QR codes and emails link to it."
        )
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from error


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = env_str(name)
    if not raw:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def email_settings_from_url(url: str) -> dict:
    """Turn ``smtp://user:pass@host:587?starttls=1`` or ``smtps://...`` into Django settings."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL must look like smtp://user:password@host:port")
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    implicit_tls = parts.scheme == "smtps"
    return {
        # The backend the mail worker sends the outbox with (EMAIL_BACKEND only queues).
        "MAILER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if implicit_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": implicit_tls,
        "EMAIL_USE_TLS": not implicit_tls and query.get("starttls") in TRUE_WORDS,
        # Only the worker waits on SMTP; a hung server costs it 10 s a message, then a retry.
        "EMAIL_TIMEOUT": 10,
    }
