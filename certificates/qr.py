"""QR codes for certificates, made locally (never by a remote service)."""

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

# Trying all eight mask patterns for the one a scanner likes best takes three times as long
# as making the code, for a signed payload's version 15 or so: 60 ms more on every PDF. Any
# mask is valid, and a payload of random-looking base32 gives none of them the long runs the
# choice is there to avoid.
MASK_PATTERN = 0


def qr_code(data: str, *, box_size: int = 6) -> qrcode.QRCode:
    """Medium error correction survives a scuffed printout; the smallest version that fits,
    with each run of characters in its most compact mode (a signed payload's base32 in
    alphanumeric mode, 5.5 bits a character instead of 8)."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, box_size=box_size, border=2, mask_pattern=MASK_PATTERN
    )
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_png(data: str, *, box_size: int = 6) -> bytes:
    """A small black-on-white PNG."""
    code = qr_code(data, box_size=box_size)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(data: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")
