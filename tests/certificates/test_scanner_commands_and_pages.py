"""The operator's commands for signed QR codes (keygen, withdraw-key, verify-qr) and the
pages the officer's scanner loads and syncs."""

import json
import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from certificates.keys import b64url, private_key_load
from certificates.qr import qr_png
from certificates.services import certificate_revoke
from certificates.signing import current_key_id, qr_text

from .factories import driver_with_licence, issue

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("certificates", *args, stdout=out)
    return out.getvalue()


def test_keygen_writes_a_key_only_its_owner_can_read_and_never_overwrites(tmp_path):
    path = tmp_path / "signing.pem"
    assert "CERTIFICATE_SIGNING_KEY_FILE" in run("keygen", "--out", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    private_key_load(path.read_text())
    with pytest.raises(CommandError, match="Cannot write"):
        run("keygen", "--out", str(path))


def test_verify_qr_prints_the_verdict_from_text_or_an_image(tmp_path):
    certificate = issue(driver_with_licence(full_name="Zoë Ó Briain"))
    text = qr_text(certificate)
    out = run("verify-qr", text)
    assert out.startswith("Valid\n")
    assert "Name: Zoë Ó Briain" in out
    assert "Licences: Kirklees PH10427" in out
    image = tmp_path / "qr.png"
    image.write_bytes(qr_png(text))
    certificate_revoke(certificate=certificate, actor=None, reason="misconduct")
    assert run("verify-qr", str(image)).startswith("Revoked: ")
    assert run("verify-qr", text[:-30]).startswith("Not genuine: ")
    (tmp_path / "blank.png").write_bytes(qr_png("x")[:40])
    with pytest.raises(CommandError, match="not an image"):
        run("verify-qr", str(tmp_path / "blank.png"))


def test_withdraw_key_refuses_the_current_key_and_unknown_ids(settings):
    with pytest.raises(CommandError, match="signing now"):
        run("withdraw-key", b64url(current_key_id()))
    with pytest.raises(CommandError, match="No published key"):
        run("withdraw-key", "nope")


def test_the_scanner_may_use_the_camera_and_no_other_page_may(client):
    scanner = client.get("/verify/scan/")
    assert scanner.status_code == 200
    assert "camera=(self)" in scanner["Permissions-Policy"]
    assert "camera=()" in client.get("/verify/")["Permissions-Policy"]


def test_the_service_worker_and_manifest_are_served_from_the_scanners_scope(client):
    worker = client.get("/verify/scan/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert "no-cache" in worker["Cache-Control"]
    assert "/verify/scan/" in worker.content.decode()
    manifest = client.get("/verify/scan/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = json.loads(manifest.content)
    assert body["start_url"] == body["scope"] == "/verify/scan/"
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_sync_addresses_are_never_taken_for_certificate_codes(client):
    for path in ("/verify/scan/", "/verify/keys.json", "/verify/status-list.cose"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"No certificate" not in response.content


def test_scanner_addresses_answer_only_get(client):
    for path in ("/verify/keys.json", "/verify/status-list.cose", "/verify/scan/sw.js"):
        assert client.post(path).status_code == 405, path
