"""Certificate codes: 80 random bits in Crockford base32, with a check character.

Crockford's alphabet leaves out I, L, O and U, so a code survives being read aloud,
written down and typed on a phone. The check character is Luhn mod 32 over the same
alphabet: it catches every single mistyped character (and most swapped neighbours)
before any lookup, so a typo never reaches the database.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 16  # 16 x 5 bits = 80 bits
CODE_LENGTH = DATA_LENGTH + 1
GROUPS = (4, 4, 4, 5)
# What people type for what they mean: lower case, and the letters Crockford retires.
LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
SEPARATORS = re.compile(r"[\s\-_.]+")
VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}


def check_character(data: str) -> str:
    """Luhn mod 32: double every second value from the right, fold, sum, complement."""
    total = 0
    for position, symbol in enumerate(reversed(data)):
        value = VALUE[symbol]
        if position % 2 == 0:
            value *= 2
            value = value // 32 + value % 32
        total += value
    return ALPHABET[(32 - total % 32) % 32]


def code_generate() -> str:
    """A new canonical code (17 characters, no separators) from a secure random source."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return data + check_character(data)


def code_normalise(raw: str) -> str | None:
    """The canonical form of what someone typed, or None if it cannot be a real code.

    Case, spaces, dashes and look-alike letters are forgiven; a wrong length, a stray
    symbol or a failed check character are not.
    """
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    candidate = SEPARATORS.sub("", raw).upper().translate(LOOKALIKES)
    if len(candidate) != CODE_LENGTH or any(symbol not in VALUE for symbol in candidate):
        return None
    if check_character(candidate[:-1]) != candidate[-1]:
        return None
    return candidate


def code_display(code: str) -> str:
    """Grouped for reading: XXXX-XXXX-XXXX-XXXXX."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(code[start : start + size])
        start += size
    return "-".join(parts)
