"""The officer's scanner with no signal (issue 17). Opened once online, /verify/scan/ loads
again offline from its service worker and, from pasted QR text, says Valid, Revoked, Not
genuine and Expired for the right certificates, with axe-core clean, Not genuine, with its
reason, for every kind of bad input, and Cannot check for an unsigned link or a stored list
that fails its signature; a phone whose (fake) camera sees a printed
certificate, offline, says Valid with the holder's name."""

import io
import re

import cbor2
import pypdfium2 as pdfium
import pytest
import zxingcpp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from PIL import Image
from playwright.sync_api import expect

from certificates.keys import COORDINATE_BYTES, key_id
from certificates.links import verify_url
from certificates.models import RevocationReason
from certificates.pdf import certificate_pdf
from certificates.services import certificate_revoke
from certificates.signing import (
    COSE_SIGN1_TAG,
    ES256,
    HEADER_ALG,
    HEADER_KID,
    b32,
    b32_decode,
    certificate_claims,
    cose_sign,
    qr_text,
    to_be_signed,
)
from training_site.people.models import Borough

from ..certificates.factories import driver_with_licence, issue
from .conftest import CHROMIUM_ARGS, PHONE, chromium_path

pytestmark = pytest.mark.django_db(transaction=True)

SCAN_PATH = "/verify/scan/"
PRINT_DPI = 150
FRAME = (640, 480)
# The QR code's share of the frame's height, as an officer would hold the phone.
QR_SHARE_OF_HEIGHT = 0.8
FRAME_COUNT = 30


@pytest.fixture
def certificates(settings, live_server):
    """A current, a revoked and an expired certificate, signed for the live server."""
    settings.PUBLIC_BASE_URL = live_server.url
    kirklees = Borough.objects.get(slug="kirklees")
    current = issue(driver_with_licence(full_name="Łukasz Wiśniewski", borough=kirklees))
    revoked = issue(
        driver_with_licence(full_name="Amira Haddad", borough=kirklees, number="PH20318")
    )
    expired = issue(
        driver_with_licence(full_name="Dorota Nowak", borough=kirklees, number="PH30552"),
        days_ago=400,
        validity_months=12,
    )
    certificate_revoke(certificate=revoked, actor=None, reason=RevocationReason.LICENCE_REVOKED)
    return {"current": current, "revoked": revoked, "expired": expired}


def open_and_sync(page) -> None:
    """Open the scanner online and wait until it has the keys, the list and its worker."""
    page.goto(SCAN_PATH)
    page.locator("#scanner[data-synced='yes']").wait_for(state="attached")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def reload_offline(page) -> None:
    """Cut the network (the worker's too) and open the scanner again: its worker serves it."""
    page.context.set_offline(True)
    workers = page.context.service_workers
    worker = workers[0] if workers else page.context.wait_for_event("serviceworker")
    assert worker.evaluate("fetch('/healthz').then(() => 'online', () => 'offline')") == "offline"
    assert page.reload().from_service_worker
    expect(page.get_by_role("heading", name="Certificate scanner")).to_be_visible()
    expect(page.locator("#sync-state")).to_contain_text("You are offline.")


def paste_and_check(page, text: str, verdict: str):
    page.get_by_label("Or paste the text from a QR code").fill(text)
    page.get_by_role("button", name="Check", exact=True).click()
    label = page.locator("#scan-verdict .verdict__label")
    expect(label).to_have_text(re.compile(rf"{verdict}$"))
    return label


def tampered(text: str) -> str:
    """The same QR text with one character of its signed part changed."""
    position = text.index("#") + (len(text) - text.index("#")) // 2
    replacement = "A" if text[position] != "A" else "B"
    return text[:position] + replacement + text[position + 1 :]


def signed_with_an_unpublished_key(text: str) -> str:
    """A genuine payload copied and signed again with a forger's own key."""
    link, fragment = text.split("#")
    _protected, unprotected, payload, _signature = cbor2.loads(b32_decode(fragment)).value
    key = ec.generate_private_key(ec.SECP256R1())
    protected = cbor2.dumps({HEADER_ALG: ES256, HEADER_KID: key_id(key.public_key())})
    der = key.sign(to_be_signed(protected, payload), ec.ECDSA(hashes.SHA256()))
    signature = b"".join(n.to_bytes(COORDINATE_BYTES, "big") for n in decode_dss_signature(der))
    message = cbor2.CBORTag(COSE_SIGN1_TAG, [protected, unprotected, payload, signature])
    return f"{link}#{b32(cbor2.dumps(message))}"


def bad_inputs(current, other) -> dict[str, str]:
    """QR texts that must never check as Valid, each with the reason the scanner gives."""
    genuine = qr_text(current)
    not_ours = "This is not a Spot the Signs certificate code."
    return {
        genuine[:-9]: not_ours,
        f"{verify_url(current)}#{'A' * 10_240}": not_ours,
        signed_with_an_unpublished_key(genuine): "Signed with a key this site does not publish.",
        f"{verify_url(current)}#"
        + b32(cose_sign({**certificate_claims(current), "iss": "https://elsewhere.example"})): (
            "Issued by another site, not this one."
        ),
        genuine.replace(f"/verify/{current.code}/", f"/verify/{other.code}/"): (
            "The link and the signed details name different certificates."
        ),
    }


def test_pasted_codes_offline(browser, live_server, axe, certificates):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    open_and_sync(page)
    expect(page.locator("#sync-state")).to_contain_text(
        re.compile(r"Revocation list from \d\d:\d\d today\.")
    )
    reload_offline(page)
    axe(page)

    paste_and_check(page, qr_text(certificates["current"]), "Valid")
    details = page.locator("#scan-details")
    expect(details).to_contain_text("Łukasz Wiśniewski")
    expect(details).to_contain_text("Taxi and private hire safeguarding")
    expect(details).to_contain_text("PH10427 (Kirklees)")
    expect(details).to_contain_text(
        re.compile(r"Checked offline against revocations as of \d\d:\d\d today\.")
    )
    axe(page)

    revoked = certificates["revoked"]
    paste_and_check(page, qr_text(revoked), "Revoked")
    expect(page.get_by_role("link", name="Check online for details")).to_have_attribute(
        "href", f"/verify/{revoked.code}/"
    )
    axe(page)

    paste_and_check(page, tampered(qr_text(certificates["current"])), "Not genuine")
    expect(details).to_be_empty()
    axe(page)

    paste_and_check(page, qr_text(certificates["expired"]), "Expired")
    expect(details).to_contain_text("Dorota Nowak")
    axe(page)

    for text, reason in bad_inputs(certificates["current"], certificates["expired"]).items():
        paste_and_check(page, text, "Not genuine")
        expect(page.locator("#scan-verdict")).to_contain_text(reason)
        expect(details).to_be_empty()

    # The phone keeps the public keys and the signed list, and nothing it was shown.
    assert page.evaluate("Object.keys(localStorage).sort()") == [
        "scanner:keys",
        "scanner:status-list",
    ]
    assert page.evaluate("sessionStorage.length") == 0

    # A certificate printed before QR codes were signed is no forgery, but cannot be checked.
    paste_and_check(page, verify_url(certificates["current"]), "Cannot check")
    # A stored list that fails its signature (changed on the phone, say) clears nothing.
    page.evaluate(
        """() => {
            const bytes = Uint8Array.from(atob(localStorage.getItem("scanner:status-list")),
                                          (c) => c.charCodeAt(0));
            bytes[bytes.length - 1] ^= 1;
            localStorage.setItem("scanner:status-list", btoa(String.fromCharCode(...bytes)));
        }"""
    )
    paste_and_check(page, qr_text(certificates["current"]), "Cannot check")
    expect(page.locator("#scan-verdict")).to_contain_text("No trustworthy list")
    axe(page)
    context.close()


def qr_frames(pdf_bytes: bytes, path) -> None:
    """An MJPEG file of the printed certificate's QR code filling most of a 640x480 frame,
    as Chromium's fake camera plays it."""
    page = pdfium.PdfDocument(io.BytesIO(pdf_bytes))[0]
    printed = page.render(scale=PRINT_DPI / 72).to_pil().convert("RGB")
    (found,) = zxingcpp.read_barcodes(printed)
    corners = [found.position.top_left, found.position.top_right]
    corners += [found.position.bottom_left, found.position.bottom_right]
    left, right = min(p.x for p in corners), max(p.x for p in corners)
    top, bottom = min(p.y for p in corners), max(p.y for p in corners)
    margin = (bottom - top) // 8
    crop = printed.crop((left - margin, top - margin, right + margin, bottom + margin))
    side = int(FRAME[1] * QR_SHARE_OF_HEIGHT)
    frame = Image.new("RGB", FRAME, "white")
    frame.paste(crop.resize((side, side)), ((FRAME[0] - side) // 2, (FRAME[1] - side) // 2))
    jpeg = io.BytesIO()
    frame.save(jpeg, format="JPEG", quality=90)
    path.write_bytes(jpeg.getvalue() * FRAME_COUNT)


def test_camera_reads_a_printed_certificate_offline(browser, live_server, certificates, tmp_path):
    video = tmp_path / "certificate.mjpeg"
    qr_frames(certificate_pdf(certificates["current"]), video)
    camera_phone = browser.browser_type.launch(
        executable_path=chromium_path(),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_phone.new_context(viewport=PHONE, base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        open_and_sync(page)
        reload_offline(page)
        scan = page.get_by_role("button", name="Scan a QR code")
        scan.click()
        expect(page.locator("#scan-verdict .verdict__label")).to_have_text(re.compile("Valid$"))
        expect(page.locator("#scan-details")).to_contain_text("Łukasz Wiśniewski")
        # The camera stops after a read, ready for the next.
        expect(page.locator("#camera-view")).to_be_hidden()
        assert page.evaluate("document.getElementById('camera-view').srcObject") is None
        expect(scan).to_be_visible()
    finally:
        camera_phone.close()
