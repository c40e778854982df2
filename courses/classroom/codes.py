"""Join codes a teacher writes on the board: six characters from Crockford's alphabet.

Crockford's alphabet leaves out I, L, O and U, so a code read off a board and typed on a
phone survives the usual slips; what pupils type for a retired letter is read as the
digit they meant. 32**6 is about a billion codes, and a code only works while its session
is open, so guessing one is a matter of luck the rate limit on /join/ keeps small.
"""

import re
import secrets

from certificates.codes import ALPHABET, LOOKALIKES

JOIN_CODE_LENGTH = 6
SEPARATORS = re.compile(r"[\s\-_.]+")
JOIN_CODE = re.compile(f"^[{ALPHABET}]{{{JOIN_CODE_LENGTH}}}$")


def join_code_generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def join_code_normalise(raw: str) -> str | None:
    """The canonical code for what a pupil typed, or None if it cannot be a join code."""
    cleaned = SEPARATORS.sub("", (raw or "")[:40]).upper().translate(LOOKALIKES)
    return cleaned if JOIN_CODE.match(cleaned) else None


def join_code_display(code: str) -> str:
    """Two groups of three, easier to read off a board: 7K3 M9Q."""
    return f"{code[:3]} {code[3:]}"
