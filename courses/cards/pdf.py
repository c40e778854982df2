"""A card as a one-page PDF, drawn by the certificates' locked-down PDF machinery.

A5 is A6 scaled by the square root of two, so the A5 card is the A6 card made bigger:
the same words in the same places, every size multiplied by `Paper.scale`.
"""

import hashlib
import io
from dataclasses import dataclass, replace
from functools import lru_cache

from django.template.loader import render_to_string

from certificates.pdf import html_pdf
from certificates.qr import qr_data_uri

from .content import Card

FONT_REGULAR = "/static/fonts/DejaVuSans.ttf"
FONT_BOLD = "/static/fonts/DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class Paper:
    slug: str
    name: str
    width_mm: int
    height_mm: int
    scale: float
    use: str

    def pt(self, size: float) -> str:
        """A size on the A6 card, in points, for this paper."""
        return f"{size * self.scale:.2f}pt"

    def mm(self, size: float) -> str:
        return f"{size * self.scale:.2f}mm"


PAPERS = {
    paper.slug: paper
    for paper in (
        Paper("a6", "A6", 105, 148, 1.0, "for a cab's sun visor"),
        Paper("a5", "A5", 148, 210, 2**0.5, "for a front desk"),
    )
}


@lru_cache(maxsize=512)
def help_qr(address: str) -> str:
    """The QR code for a help page address: the same few addresses, drawn once each."""
    return qr_data_uri(address)


def card_html(card: Card, paper: Paper) -> str:
    sizes = {
        "page_margin": paper.mm(5),
        "body": paper.pt(7.5),
        "small": paper.pt(6),
        "title": paper.pt(11.5),
        "heading": paper.pt(7.5),
        "emergency": paper.pt(9),
        "gap": paper.mm(1.2),
        "marker": paper.mm(3.2),
        "rule": paper.pt(1.5),
        "qr": paper.mm(24),
        # xhtml2pdf sizes images in pixels at 96 to the inch: 24 mm is about 91 px.
        "qr_px": round(91 * paper.scale),
    }
    return render_to_string(
        "cards/card_pdf.html",
        {
            "card": card,
            "paper": paper,
            "size": sizes,
            "qr": help_qr(card.help_url),
            "font_regular": FONT_REGULAR,
            "font_bold": FONT_BOLD,
        },
    )


def card_etag(html: str) -> str:
    """Everything the card shows is in its HTML, so its hash names the PDF."""
    return hashlib.sha256(html.encode()).hexdigest()[:32]


def page_count(pdf: bytes) -> int:
    # Loaded with xhtml2pdf (which needs it) only when a card is drawn, as certificates/pdf.py
    # does, so importing this module costs a worker nothing.
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def card_pdf(card: Card, paper: Paper) -> bytes:
    """The card on one page, whatever editors write: should the words run over (content.py
    sizes them to fit), it is drawn again with a sign fewer."""
    while True:
        pdf = html_pdf(card_html(card, paper), what="card")
        if card.words.signs_count <= 1 or page_count(pdf) == 1:
            return pdf
        card = replace(card, words=card.words.one_sign_fewer())
