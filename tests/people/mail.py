"""Read codes out of the emails the site sends."""

import re

from django.core import mail

CODE_PATTERN = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\s*$", re.MULTILINE)


def last_code(to: str) -> str:
    for message in reversed(mail.outbox):
        if to in message.to:
            match = CODE_PATTERN.search(message.body)
            assert match, f"no code in the email to {to}:\n{message.body}"
            return match.group(1)
    raise AssertionError(f"no email was sent to {to}")
