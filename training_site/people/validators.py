"""Validation and normalisation for what learners type about themselves."""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Long enough for the long names people really have, short enough that the certificate can
# draw any of them in its name box (certificates/name_fit.py).
FULL_NAME_MAX_LENGTH = 80
# Letters from any script, with the spaces, hyphens, apostrophes and full stops real names use.
FULL_NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?$")
LICENCE_NUMBER_PATTERN = re.compile(r"^[A-Z0-9]{2,20}$")
LICENCE_SEPARATORS = re.compile(r"[\s\-/.]+")


def normalise_full_name(raw: str) -> str:
    """NFC-normalise and collapse runs of whitespace, so "Zoë" is stored one way."""
    return " ".join(unicodedata.normalize("NFC", raw).split())


def validate_full_name(value: str) -> None:
    if len(value) < 2:
        raise ValidationError("Enter your full name.", code="too_short")
    if not FULL_NAME_PATTERN.match(value):
        raise ValidationError(
            "Use letters, spaces, hyphens and apostrophes only, as your name appears on "
            "your licence or ID.",
            code="invalid_characters",
        )


def normalise_licence_number(raw: str) -> str:
    """Licence numbers are matched without case, spaces, dashes, slashes or dots."""
    return LICENCE_SEPARATORS.sub("", raw).upper()


def validate_licence_number(value: str) -> None:
    if not LICENCE_NUMBER_PATTERN.match(value):
        raise ValidationError(
            "Enter the licence or badge number as printed, using letters and numbers "
            "(2 to 20 characters).",
            code="invalid_licence_number",
        )
