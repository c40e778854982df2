"""Signed QR codes checked with no network (certificates/signing.py, status_list.py and
offline.py): a genuine, current certificate is Valid, and nothing altered, forged, retired,
revoked or expired ever is."""

import gzip
import io
from datetime import timedelta

import cbor2
import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.utils import timezone

from certificates import services
from certificates.keys import b64url, key_generate_pem
from certificates.links import verify_url
from certificates.models import Certificate, RevocationReason, SigningKey
from certificates.offline import (
    CANNOT_CHECK,
    EXPIRED,
    NOT_GENUINE,
    REVOKED,
    VALID,
    status_list_open,
    verdict,
)
from certificates.pdf import certificate_pdf
from certificates.qr import qr_code
from certificates.signing import (
    b32,
    b32_decode,
    cose_sign,
    current_key_id,
    published_keys,
    qr_text,
    signing_key_withdraw,
)
from certificates.status_list import MINIMUM_BITS, status_list, status_list_changed

from .factories import driver_with_licence, issue

pytestmark = pytest.mark.django_db


def check(text: str, *, signed_list: bytes | None = None, days_later: int = 0):
    """What an officer's phone says, with the keys and list it synced last."""
    keys = published_keys()
    signed_list = status_list() if signed_list is None else signed_list
    now = timezone.now() + timedelta(days=days_later)
    return verdict(
        text,
        keys=keys,
        status_list=status_list_open(signed_list, keys=keys),
        today=timezone.localdate(now),
        now=now,
    )


def tampered(text: str, change) -> str:
    """The QR text with its COSE message changed by `change` and re-encoded."""
    link, fragment = text.split("#")
    parts = list(cbor2.loads(b32_decode(fragment)).value)
    change(parts)
    return f"{link}#{b32(cbor2.dumps(cbor2.CBORTag(18, parts)))}"


@pytest.fixture
def certificate():
    return issue(driver_with_licence(full_name="Zoë Ó Briain", number="PH10427"))


def test_a_genuine_certificate_is_valid_with_what_the_verify_page_shows(certificate):
    text = qr_text(certificate)
    assert text.startswith(verify_url(certificate) + "#")
    found = check(text)
    assert found.status == VALID
    assert found.claims["n"] == "Zoë Ó Briain"
    assert found.claims["c"] == certificate.code
    assert found.claims["l"] == [["Kirklees", "PH10427"]]
    assert found.claims["x"] == certificate.valid_until.isoformat()
    assert not found.list_stale
    # The fragment alone (pasted without the link) checks too.
    assert check(text.split("#")[1]).status == VALID


def test_any_change_to_the_signed_part_is_not_genuine(certificate):
    text = qr_text(certificate)
    link, fragment = text.split("#")
    for position in (5, len(fragment) // 2, len(fragment) - 3):
        changed = "A" if fragment[position] != "A" else "B"
        altered = f"{link}#{fragment[:position]}{changed}{fragment[position + 1 :]}"
        assert check(altered).status == NOT_GENUINE, position

    def rename(parts):
        claims = cbor2.loads(parts[2])
        claims["n"] = "Someone Else"
        parts[2] = cbor2.dumps(claims)

    found = check(tampered(text, rename))
    assert found.status == NOT_GENUINE
    assert "altered" in found.reason


@pytest.mark.parametrize(
    "text",
    [
        "",
        "https://example.org/verify/ABC/#NOT-BASE32!",
        "MZXW6YTBOI",  # base32 of "foobar": not CBOR of a COSE message
        "A" * 10_000,
    ],
)
def test_text_that_is_no_certificate_code_is_not_genuine(certificate, text):
    assert check(text).status == NOT_GENUINE


def test_a_plain_link_from_before_signing_cannot_be_checked_offline_but_is_no_forgery(
    certificate,
):
    found = check(verify_url(certificate))
    assert found.status == CANNOT_CHECK
    assert "only be checked online" in found.reason


def test_a_truncated_or_oversized_code_is_not_genuine(certificate):
    text = qr_text(certificate)
    assert check(text[: len(text) - 40]).status == NOT_GENUINE
    assert check(text + "A" * 10_000).status == NOT_GENUINE


def test_a_link_to_another_certificate_with_this_signed_part_is_not_genuine(certificate):
    other = issue(driver_with_licence(full_name="Ayşe Yılmaz", number="PH2"))
    fragment = qr_text(certificate).split("#")[1]
    found = check(f"{verify_url(other)}#{fragment}")
    assert found.status == NOT_GENUINE


def test_a_signature_by_a_key_this_site_never_published_is_not_genuine(certificate, settings):
    settings.CERTIFICATE_SIGNING_KEY = key_generate_pem()
    forged = qr_text(certificate)
    SigningKey.objects.filter(kid=b64url(current_key_id())).delete()
    settings.CERTIFICATE_SIGNING_KEY = key_generate_pem()
    found = check(forged)
    assert found.status == NOT_GENUINE
    assert "does not publish" in found.reason


def test_after_a_key_is_replaced_what_it_signed_still_checks(certificate, settings, client):
    old_text = qr_text(certificate)
    old_kid = b64url(current_key_id())
    settings.CERTIFICATE_SIGNING_KEY = key_generate_pem()
    assert check(old_text).status == VALID
    assert check(qr_text(certificate)).status == VALID
    published = {key["kid"] for key in client.get("/verify/keys.json").json()["keys"]}
    assert published == {old_kid, b64url(current_key_id())}


def test_a_withdrawn_key_no_longer_checks_and_the_current_one_cannot_be_withdrawn(
    certificate, settings
):
    old_text = qr_text(certificate)
    old_kid = b64url(current_key_id())
    with pytest.raises(ValueError, match="signing now"):
        signing_key_withdraw(kid=old_kid)
    settings.CERTIFICATE_SIGNING_KEY = key_generate_pem()
    signing_key_withdraw(kid=old_kid)
    assert check(old_text).status == NOT_GENUINE
    # A fresh PDF is signed with the current key.
    assert check(qr_text(certificate)).status == VALID


def test_a_payload_signed_for_another_site_is_not_genuine(certificate, settings):
    settings.PUBLIC_BASE_URL = "https://training.other-council.example"
    elsewhere = qr_text(certificate)
    settings.PUBLIC_BASE_URL = "https://training.example.gov.uk"
    found = check(elsewhere.replace("other-council.example", "example.gov.uk"))
    assert found.status == NOT_GENUINE
    assert "another site" in found.reason


def test_an_expired_certificate_shows_expired():
    certificate = issue(driver_with_licence(), days_ago=400, validity_months=12)
    assert check(qr_text(certificate)).status == EXPIRED
    assert check(qr_text(issue(driver_with_licence(number="PH2")))).status == VALID


def test_revoking_and_reinstating_remake_the_status_list(certificate):
    text = qr_text(certificate)
    before = status_list()
    services.certificate_revoke(
        certificate=certificate, actor=None, reason=RevocationReason.LICENCE_REVOKED
    )
    assert check(text).status == REVOKED
    # A phone that synced before the revocation still has the old list.
    assert check(text, signed_list=before).status == VALID
    services.certificate_reinstate(certificate=certificate, actor=None)
    assert check(text).status == VALID


def test_replaced_closed_or_erased_certificates_no_longer_hold(certificate):
    text = qr_text(certificate)
    services.certificates_detach(learner=certificate.learner, closed_at=timezone.now())
    assert check(text).status == REVOKED

    older = issue(driver_with_licence(number="PH2"))
    older_text = qr_text(older)
    issue(older.learner)  # the renewal replaces it
    assert check(older_text).status == REVOKED

    erased = issue(driver_with_licence(number="PH3"))
    erased_text = qr_text(erased)
    issue(driver_with_licence(number="PH4"))  # newer, so the erased one is inside the list
    # As certificates_purge erases (it also remakes the list).
    Certificate.objects.filter(pk=erased.pk).delete()
    status_list_changed()
    assert check(erased_text).status == REVOKED


def test_a_list_that_fails_its_signature_or_is_missing_never_gives_valid(certificate, settings):
    text = qr_text(certificate)
    signed = status_list()
    parts = list(cbor2.loads(signed).value)
    parts[3] = bytes(64)
    assert check(text, signed_list=cbor2.dumps(cbor2.CBORTag(18, parts))).status == CANNOT_CHECK
    assert check(text, signed_list=b"").status == CANNOT_CHECK
    assert check(text, signed_list=b"\x00garbage").status == CANNOT_CHECK
    # A list signed by a key nobody publishes cannot clear a revocation either.
    settings.CERTIFICATE_SIGNING_KEY = key_generate_pem()
    forged = cose_sign({"iss": "https://x", "iat": 0, "size": 8, "bits": gzip.compress(bytes(1))})
    SigningKey.objects.filter(kid=b64url(current_key_id())).delete()
    assert check(text, signed_list=forged).status == CANNOT_CHECK


def test_an_old_list_still_checks_but_says_it_is_out_of_date(certificate):
    found = check(qr_text(certificate), days_later=2)
    assert found.status == VALID
    assert found.list_stale


def test_the_status_list_is_signed_gzipped_and_at_least_16_kb_of_bits(certificate):
    opened = status_list_open(status_list(), keys=published_keys())
    assert opened.size == MINIMUM_BITS
    assert opened.holds(certificate.pk)
    assert not opened.holds(0)  # no certificate has id 0
    assert opened.holds(certificate.pk + 1)  # not issued when the list was made
    assert len(status_list()) < 400


def printed_qr_text(certificate) -> str:
    page = pdfium.PdfDocument(io.BytesIO(certificate_pdf(certificate)))[0]
    (found,) = zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())
    return found.text


def test_the_qr_on_the_printed_certificate_reads_at_150_dpi_and_checks(certificate):
    text = printed_qr_text(certificate)
    assert text.startswith(verify_url(certificate) + "#")
    assert check(text).status == VALID
    assert qr_code(text).version <= 15


def test_the_printed_qr_is_drawn_once_then_afresh_for_a_new_name_or_key(certificate, settings):
    """The QR image is kept (pdf.certificate_qr), so a second PDF prints the same code; a
    change to what it states or to the signing key draws a new one."""
    first = printed_qr_text(certificate)
    assert printed_qr_text(certificate) == first  # a fresh signature would differ

    certificate.full_name = "Zoë Ó Briain-Walsh"
    certificate.save(update_fields=["full_name"])
    renamed = printed_qr_text(certificate)
    assert check(renamed).claims["n"] == "Zoë Ó Briain-Walsh"

    settings.CERTIFICATE_SIGNING_KEY = key_generate_pem()
    new_key = printed_qr_text(certificate)
    assert new_key != renamed
    assert check(new_key).status == VALID
    assert cbor2.loads(cbor2.loads(b32_decode(new_key.split("#")[1])).value[0])[4] == (
        current_key_id()
    )


def test_keys_and_status_list_are_published_for_phones_to_sync(certificate, client):
    keys = client.get("/verify/keys.json")
    assert keys.status_code == 200
    assert keys["Cache-Control"] == "public, max-age=60"
    body = keys.json()
    assert body["issuer"] == "https://training.example.gov.uk" or body["issuer"].startswith("http")
    (key,) = body["keys"]
    assert key["kty"] == "EC" and key["crv"] == "P-256" and key["alg"] == "ES256"
    listed = client.get("/verify/status-list.cose")
    assert listed["Content-Type"] == "application/cose"
    assert status_list_open(listed.content, keys=published_keys()).holds(certificate.pk)
