"""The certificate PDF, made with xhtml2pdf from templates/certificates/certificate_pdf.html,
and the one way any printable document here is drawn (`html_pdf`).

A document may only read the font and static files: no remote URL, no other file. Two
locks do this: a link_callback that refuses anything but the static folder, and
xhtml2pdf's ResourceAccessPolicy with remote fetching off and local reads confined to
the static folder (its default policy would still fetch public URLs). Every value in the
template is escaped by Django, so a name cannot smuggle markup or CSS into the document.
"""

import hashlib
import io
import logging
from pathlib import Path

import cbor2
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from .links import verify_page_url, verify_url
from .models import Certificate
from .name_fit import name_layout
from .qr import qr_data_uri
from .signing import certificate_claims, qr_text, signing_key_id

logger = logging.getLogger(__name__)
# A certificate's email and its holder's download a moment later draw the same QR code; it
# shows no more than the printed certificate, and is forgotten within a day.
QR_SECONDS = 24 * 60 * 60
# A PDF draws an image scaled up without smoothing unless it asks otherwise (its Interpolate
# flag is false by default), so three pixels a module print as sharp as six, and ReportLab
# decodes and compresses a quarter of the pixels: about 3 ms of each certificate.
QR_PIXELS_A_MODULE = 3
STATIC_DIR = (Path(settings.BASE_DIR) / "training_site" / "static").resolve()


class PDFRenderError(RuntimeError):
    pass


def link_callback(uri: str, rel: str | None = None) -> str:
    """Map /static/... to the file inside the static folder; refuse everything else."""
    if uri.startswith("data:image/png;base64,"):
        return uri
    if uri.startswith("/static/"):
        candidate = (STATIC_DIR / uri.removeprefix("/static/")).resolve()
        if candidate.is_relative_to(STATIC_DIR) and candidate.is_file():
            return str(candidate)
    logger.warning("A PDF refused a resource: %.80s", uri)
    return ""


def certificate_context(certificate: Certificate) -> dict:
    address = verify_url(certificate)
    name = name_layout(certificate.full_name)
    return {
        "certificate": certificate,
        "name": name,
        "font_name": f"/static/fonts/{name.font_file}",
        "status": certificate.status,
        "verify_url": address,
        "verify_page": verify_page_url(),
        "qr": certificate_qr(certificate),
        "font_regular": "/static/fonts/DejaVuSans.ttf",
        "font_bold": "/static/fonts/DejaVuSans-Bold.ttf",
    }


def certificate_qr(certificate: Certificate) -> str:
    """The QR code (a data URI): the link, with the signed payload an officer's phone checks
    offline after "#". Signing it and drawing the code (its error correction is pure Python)
    were a fifth of a certificate's time, so the image is kept for QR_SECONDS under a digest
    of all it depends on: the link, what it states and the signing key. A renamed holder, a
    renewal or a new key draws a fresh one; the cache's key says nothing about anyone."""
    depends_on = [verify_url(certificate), certificate_claims(certificate), signing_key_id()]
    key = "certificate-qr:" + hashlib.sha256(cbor2.dumps(depends_on)).hexdigest()
    image = cache.get(key)
    if image is None:
        image = qr_data_uri(qr_text(certificate), box_size=QR_PIXELS_A_MODULE)
        cache.set(key, image, QR_SECONDS)
    return image


def html_pdf(html: str, *, what: str) -> bytes:
    """A PDF drawn from `html` under the locks above. Every printable document (the
    certificate, the printable cards) is drawn here, so none can fetch anything else.
    `what` names the document in the error."""
    # xhtml2pdf and ReportLab add about 27 MB to a worker: load them only when a PDF is drawn,
    # so that importing this module (as views and services do) costs nothing.
    from reportlab import rl_config
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    # ReportLab's default wraps every stream in ASCII85, which a PDF has not needed since
    # 7-bit mail: in pure Python (its C accelerator is a separate package) that was a tenth
    # of each certificate's time, and the file is a fifth bigger for it.
    rl_config.useA85 = 0
    output = io.BytesIO()
    result = pisa.pisaDocument(
        html,
        dest=output,
        encoding="utf-8",
        link_callback=link_callback,
        resource_policy=ResourceAccessPolicy.server(base_dir=STATIC_DIR, allow_remote=False),
    )
    if result.err:
        raise PDFRenderError(f"The {what} PDF could not be made ({result.err} errors).")
    return output.getvalue()


def certificate_pdf(certificate: Certificate) -> bytes:
    html = render_to_string("certificates/certificate_pdf.html", certificate_context(certificate))
    return html_pdf(html, what="certificate")
