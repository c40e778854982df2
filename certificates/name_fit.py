"""How the holder's name fits its box on the certificate.

xhtml2pdf cannot shrink text to fit, and it will not break a word that is wider than its
box: an 80-letter word runs on across the QR code and off the page. So the name is laid
out here, measured with the font's own glyph widths: the largest type size at which it
takes at most two lines, a word longer than a line split between letters; at the smallest
size, three lines hold any name up to FULL_NAME_MAX_LENGTH. The template draws the lines
as given.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

FONTS_DIR = Path(settings.BASE_DIR) / "training_site" / "static" / "fonts"
# DejaVu draws Latin, Greek, Cyrillic and Hebrew; Amiri draws Arabic, including the
# letters Urdu adds (U+06C1 heh goal, U+06D2 yeh barree), which DejaVu lacks.
LATIN_FONT = "DejaVuSans-Bold.ttf"
ARABIC_FONT = "Amiri-Bold.ttf"

# The left column of the certificate, less a margin, in points: the name never reaches the
# QR code in the right column.
NAME_BOX_WIDTH = 430.0
SIZES = (28, 24, 20, 17, 14, 12)
MOST_LINES = 2

Fits = Callable[[str], bool]

# Characters that join to the one before them and must not start a line.
JOINERS = {"\u200c", "\u200d"}


@dataclass(frozen=True)
class NameLayout:
    lines: tuple[str, ...]
    font_size: int
    font_file: str
    right_to_left: bool


def is_arabic_script(name: str) -> bool:
    return any(unicodedata.bidirectional(char) == "AL" for char in name)


def is_right_to_left(name: str) -> bool:
    """The direction of the name's first strong character (UAX #9, rules P2 and P3)."""
    for char in name:
        direction = unicodedata.bidirectional(char)
        if direction in {"R", "AL"}:
            return True
        if direction == "L":
            return False
    return False


@cache
def glyph_widths(font_file: str) -> Callable[[str, float], float]:
    """A function giving a string's width in a font at a size, in points."""
    # ReportLab is imported only when a certificate is drawn, as certificates.pdf explains.
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(f"name-fit-{font_file}", str(FONTS_DIR / font_file))
    return font.stringWidth


def name_layout(name: str) -> NameLayout:
    font_file = ARABIC_FONT if is_arabic_script(name) else LATIN_FONT
    width = glyph_widths(font_file)
    for size in SIZES:
        fits = fits_at(width, size)
        lines = wrap(name, fits=fits)
        if len(lines) <= MOST_LINES:
            break
    else:
        # Only odd names get here (80 letters of W, or words just too long to pair up): fill
        # the lines letter by letter, which keeps any name the form accepts to three.
        filled = [line.strip() for line in split_word(name, fits=fits)]
        lines = min(lines, filled, key=len)
    return NameLayout(tuple(lines), size, font_file, is_right_to_left(name))


def fits_at(width: Callable[[str, float], float], size: int) -> Fits:
    return lambda text: width(text.strip(), size) <= NAME_BOX_WIDTH


def wrap(name: str, *, fits: Fits) -> list[str]:
    """Words onto lines that fit, splitting a word that would not fit on a line of its own."""
    lines: list[str] = []
    line = ""
    for word in name.split():
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = split_word(word, fits=fits)
        lines.extend(pieces[:-1])
        line = pieces[-1]
    if line:
        lines.append(line)
    return lines


def split_word(word: str, *, fits: Fits) -> list[str]:
    """A word in pieces that each fit a line, never parting a letter from its accents."""
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and not fits(piece + char) and not clings(char):
            pieces.append(piece)
            piece = ""
        piece += char
    pieces.append(piece)
    return pieces


def clings(char: str) -> bool:
    return unicodedata.category(char).startswith("M") or char in JOINERS
