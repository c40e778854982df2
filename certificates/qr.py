"""QR codes for certificates, made locally (never by a remote service)."""

import base64
import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

# Trying all eight mask patterns for the one a scanner likes best takes three times as long
# as making the code, for a signed payload's version 15 or so: 60 ms more on every PDF. Any
# mask is valid, and a payload of random-looking base32 gives none of them the long runs the
# choice is there to avoid.
MASK_PATTERN = 0
BLACK, WHITE = 0, 255
# Pixels a module: sharp on a screen or a printed card at the sizes they are shown.
BOX_SIZE = 6


def qr_code(data: str) -> qrcode.QRCode:
    """Medium error correction survives a scuffed printout; the smallest version that fits,
    with each run of characters in its most compact mode (a signed payload's base32 in
    alphanumeric mode, 5.5 bits a character instead of 8)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, mask_pattern=MASK_PATTERN)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_png(data: str, *, box_size: int = BOX_SIZE) -> bytes:
    """A small black-on-white PNG. Drawn from the module matrix at one pixel a module and
    scaled up without smoothing, which is a tenth of the time qrcode's own image takes
    (it draws each module as a rectangle). Greyscale, not 1-bit: ReportLab embeds a
    greyscale image as it is, but turns a 1-bit one into RGB, three times the data."""
    matrix = qr_code(data).get_matrix()
    size = len(matrix)
    pixels = bytes(BLACK if dark else WHITE for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).resize(
        (size * box_size, size * box_size), Image.Resampling.NEAREST
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(data: str, *, box_size: int = BOX_SIZE) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(data, box_size=box_size)).decode(
        "ascii"
    )
