"""A demo certificate from a quick start served on a port other than 8000: the QR code on
its PDF opens the certificate's own verification page on the address that is serving."""

import io
from urllib.parse import urlsplit

import pypdfium2 as pdfium
import pytest
import zxingcpp

from certificates.models import Certificate
from training_site.demo import demo_accounts_create, demo_certificates_create
from training_site.fixtures import fixture_read
from training_site.management.commands.quickstart import served_address

from .conftest import PHONE
from .helpers import sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)
PRINT_DPI = 150


def qr_text_at_print_resolution(pdf_bytes: bytes) -> str:
    page = pdfium.PdfDocument(io.BytesIO(pdf_bytes))[0]
    (result,) = zxingcpp.read_barcodes(page.render(scale=PRINT_DPI / 72).to_pil())
    return result.text


def test_the_qr_of_a_quickstart_certificate_on_another_port_opens_its_verify_page(
    browser, live_server, settings, axe
):
    port = urlsplit(live_server.url).port
    assert port != 8000
    # What quickstart --port gives the site it serves.
    settings.PUBLIC_BASE_URL = settings.WAGTAILADMIN_BASE_URL = served_address(port)
    demo = fixture_read("demo_accounts.yaml")
    demo_accounts_create(data=demo)
    demo_certificates_create(data=demo)
    certificate = Certificate.objects.standing().get(learner__email="driver@example.org")
    address = f"http://127.0.0.1:{port}/verify/{certificate.code}/"

    learner = browser.new_context(viewport=PHONE, base_url=live_server.url, accept_downloads=True)
    phone = learner.new_page()
    sign_in_with_code(phone, "driver@example.org")
    phone.goto("/certificates/")
    card = phone.locator(f"#certificate-{certificate.code}")
    assert card.get_by_role("link", name=address).is_visible()
    with phone.expect_download() as download:
        card.get_by_role("link", name="Download PDF").click()
    # The link, then after "#" the signed part an officer's scanner checks offline.
    link, _signed = qr_text_at_print_resolution(download.value.path().read_bytes()).split("#")
    assert link == address
    learner.close()

    scanner = browser.new_context(viewport=PHONE)
    scanned = scanner.new_page()
    response = scanned.goto(address)
    assert response.status == 200
    assert response.request.redirected_from is None
    assert scanned.locator(".verdict__label").inner_text().endswith("Valid")
    assert scanned.get_by_text(certificate.display_code).first.is_visible()
    assert scanned.get_by_text("Łukasz Wiśniewski").is_visible()
    axe(scanned)
    scanner.close()
