"""The certificate PDF: real text (diacritics included), a QR code that scans to the
verification address, and nothing fetched from outside the static files, whatever the
learner's name says."""

import contextlib
import io
import sys
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp

from certificates.pdf import STATIC_DIR, certificate_pdf, link_callback
from certificates.services import verify_url

from .factories import driver_with_licence, issue

pytestmark = pytest.mark.django_db


def pdf_text_and_qr(pdf_bytes: bytes) -> tuple[str, list[str], int]:
    document = pdfium.PdfDocument(io.BytesIO(pdf_bytes))
    page = document[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=2).to_pil()
    width, height = page.get_size()
    assert width > height  # A4 landscape
    return text, [result.text for result in zxingcpp.read_barcodes(image)], len(document)


@pytest.mark.parametrize("name", ["Łukasz Wiśniewski", "Zoë Ó Briain", "Ayşe Yılmaz"])
def test_names_with_diacritics_and_the_code_are_real_text(name):
    certificate = issue(driver_with_licence(full_name=name))
    text, codes, pages = pdf_text_and_qr(certificate_pdf(certificate))
    assert pages == 1
    assert name in text
    assert certificate.display_code in text
    assert "PH10427" in text
    assert "Version 2026.1, edition 7" in text
    # The link, and after "#" the payload an officer's phone checks offline (test_signing.py).
    assert [code.split("#")[0] for code in codes] == [verify_url(certificate)]


class ResourceWatch:
    """Records, through Python's audit hooks, every socket opened and file read during a
    render on this thread."""

    installed = False
    active = threading.local()
    events: list = []

    @classmethod
    def hook(cls, event, args):
        if not getattr(cls.active, "on", False):
            return
        if event.startswith("socket.") or event in {"urllib.Request", "http.client.connect"}:
            cls.events.append((event, str(args)[:200]))
        elif event == "open" and args and isinstance(args[0], (str, bytes, Path)):
            cls.events.append(("open", str(args[0])))

    def __enter__(self):
        if not ResourceWatch.installed:
            sys.addaudithook(ResourceWatch.hook)
            ResourceWatch.installed = True
        ResourceWatch.events = []
        ResourceWatch.active.on = True
        return ResourceWatch.events

    def __exit__(self, *exc):
        ResourceWatch.active.on = False


LIBRARIES = tuple(
    str(Path(p).resolve()) for p in sys.path if "site-packages" in p or "lib/python" in p
)

HOSTILE_NAMES = [
    '<img src="file:///etc/passwd">',
    '<img src="http://169.254.169.254/latest/meta-data/">',
    "<style>@import url(http://example.com/x.css);</style>",
    'Bob</p><link rel=stylesheet href="https://example.com/a.css">',
    "@import url('/etc/passwd'); <font face=x>",
    "<pdf:barcode value=x />",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_render_as_text_and_fetch_nothing(name):
    certificate = issue(driver_with_licence())
    # Names are validated at sign-up; this checks the PDF defends itself regardless.
    type(certificate).objects.filter(pk=certificate.pk).update(full_name=name)
    certificate.refresh_from_db()
    certificate_pdf(certificate)  # warm: lazy imports and font caches
    with ResourceWatch() as events:
        pdf = certificate_pdf(certificate)
    sockets = [e for e in events if e[0] != "open"]
    assert not sockets, sockets
    outside = [
        path
        for kind, path in events
        if kind == "open"
        and not str(Path(path).resolve()).startswith((str(STATIC_DIR), *LIBRARIES))
    ]
    assert not outside, outside
    text, _, _ = pdf_text_and_qr(pdf)
    # The markup is printed as the words it is, not obeyed.
    assert "".join(name.split()) in "".join(text.split())


def test_link_callback_refuses_everything_but_static_files():
    assert link_callback("/static/fonts/DejaVuSans.ttf").endswith("fonts/DejaVuSans.ttf")
    for uri in [
        "http://169.254.169.254/",
        "https://example.com/a.png",
        "file:///etc/passwd",
        "/etc/passwd",
        "/static/../../../../etc/passwd",
        "/static/fonts/../../../settings/base.py",
        "data:text/html,<b>x</b>",
    ]:
        assert link_callback(uri) == ""


def test_the_watch_sees_file_and_network_access():
    import socket

    with (
        ResourceWatch() as events,
        open(__file__, encoding="utf-8"),
        contextlib.suppress(OSError),
    ):
        socket.create_connection(("127.0.0.1", 9), timeout=0.2)
    kinds = {kind for kind, _ in events}
    assert "open" in kinds
    assert any(kind.startswith("socket.") for kind in kinds)
