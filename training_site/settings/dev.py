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
