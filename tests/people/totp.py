"""Authenticator-app codes for test sign-ins. The site allows no clock drift (allauth's
default tolerance of 0 periods), so a code computed in the last seconds of its 30-second
period can be stale by the time a slow CI machine submits it; wait for a fresh period."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

PERIOD = 30
SAFETY = 5


def fresh_totp_code(secret: str) -> str:
    """The current code, with at least SAFETY seconds of its period left."""
    left = PERIOD - time.time() % PERIOD
    if left < SAFETY:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // PERIOD))
