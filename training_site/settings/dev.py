"""Local development and the quick start: DEBUG on, console email, SQLite unless told otherwise."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY") or "dev-only-not-secret-spot-the-signs"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]

# Demo staff accounts have TOTP switched on; on this machine only, 000000 passes the
# second step so anyone trying the demo can sign in as an officer or lead.
MFA_TOTP_INSECURE_BYPASS_CODE = "000000"

# The quick start makes a signing key of its own for this machine (manage.py quickstart):
# QR codes signed with it check only against this copy of the site.
DEV_SIGNING_KEY_FILE = BASE_DIR / ".dev-signing-key.pem"  # noqa: F405
if not CERTIFICATE_SIGNING_KEY and DEV_SIGNING_KEY_FILE.exists():  # noqa: F405
    CERTIFICATE_SIGNING_KEY = DEV_SIGNING_KEY_FILE.read_text(encoding="ascii")
