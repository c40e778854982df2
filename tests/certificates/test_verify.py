"""Verification pages: status first, only what an officer needs, never cached, every lookup
logged, typed lookups limited, and changes only by officers of the right council."""

import pytest
from django.urls import reverse

from certificates.models import VerificationLookup
from certificates.services import certificate_revoke
from training_site.people.roles import Role

from ..people.factories import BoroughFactory, UserFactory, role_assign
from ..people.sessions import sign_in_past_two_step
from .factories import driver_with_licence, issue

pytestmark = pytest.mark.django_db


def url(certificate):
    return reverse("certificates:verify_code", args=[certificate.code])


def officer_of(client, borough, role=Role.LICENSING_OFFICER):
    officer = UserFactory()
    role_assign(officer, role, borough=borough)
    sign_in_past_two_step(client, officer)
    return officer


def test_valid_certificate_shows_status_first_and_nothing_private(client):
    certificate = issue(driver_with_licence())
    response = client.get(url(certificate))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Valid") < html.index("Łukasz Wiśniewski")
    for expected in (
        "Taxi and private hire safeguarding",
        "Version 2026.1, edition 7",
        "Kirklees Council",
        "PH10427",
    ):
        assert expected in html
    assert certificate.learner.email not in html
    assert "score" not in html.lower()
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_every_status_in_words(client):
    driver = driver_with_licence()
    old = issue(driver, days_ago=1200)
    issue(driver)
    assert "Superseded by a newer certificate" in client.get(url(old)).content.decode()
    expired = issue(
        driver_with_licence(number="PH2", full_name="Zoë Ó Briain"),
        days_ago=400,
        validity_months=12,
    )
    assert (
        f"Expired on {expired.valid_until:%-d %B %Y}" in client.get(url(expired)).content.decode()
    )
    revoked = certificate_revoke(
        certificate=issue(driver_with_licence(number="PH3", full_name="Ayşe Yılmaz")),
        actor=None,
        reason="misconduct",
        note="Confidential detail",
    )
    html = client.get(url(revoked)).content.decode()
    assert "Revoked" in html
    assert "Confidential detail" not in html  # the public never sees the reason
    assert "Safeguarding concern" not in html


def test_codes_are_forgiving_of_how_they_are_typed(client):
    certificate = issue(driver_with_licence())
    messy = certificate.display_code.lower().replace("-", " ")
    response = client.post(reverse("certificates:verify"), {"code": messy})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_unknown_and_malformed_codes_get_the_same_page(client):
    certificate = issue(driver_with_licence())
    wrong_check = certificate.code[:-1] + ("0" if certificate.code[-1] != "0" else "1")
    pages = [
        client.get(reverse("certificates:verify_code", args=[raw]))
        for raw in [wrong_check, "NOTACODE", "ÄÖÜ" * 6, "' OR 1=1 --", "x" * 80]
    ]
    assert {page.status_code for page in pages} == {404}
    bodies = {
        page.content.decode()
        .split("<main")[1]
        .split("</main>")[0]
        .replace(page.wsgi_request.path, "")
        for page in pages
    }
    assert len({body.split('name="csrfmiddlewaretoken"')[0] for body in bodies}) == 1
    typed = client.post(reverse("certificates:verify"), {"code": "not a code"})
    assert typed.status_code == 404
    heading = '<h1 class="verdict__label"><span aria-hidden="true">✗ </span>Certificate not found'
    assert heading in typed.content.decode()


def test_every_lookup_is_logged_with_a_hashed_address(client):
    certificate = issue(driver_with_licence())
    client.get(url(certificate), REMOTE_ADDR="203.0.113.7")
    client.get(reverse("certificates:verify_code", args=["NOPE"]), REMOTE_ADDR="203.0.113.7")
    found, missing = VerificationLookup.objects.order_by("pk")
    assert (found.outcome, found.certificate, found.officer) == ("found", certificate, None)
    assert missing.outcome == "malformed"
    assert found.client_hash == missing.client_hash
    assert "203.0.113.7" not in found.client_hash and len(found.client_hash) == 32


def test_typed_lookups_are_rate_limited(client):
    for _ in range(30):
        assert client.post(reverse("certificates:verify"), {"code": "NOPE"}).status_code == 404
    response = client.post(reverse("certificates:verify"), {"code": "NOPE"})
    assert response.status_code == 429
    assert b"Too many checks" in response.content
    assert VerificationLookup.objects.filter(outcome="rate_limited").count() == 1


def test_verification_page_query_budget(client, django_assert_max_num_queries):
    certificate = issue(driver_with_licence())
    client.get(url(certificate))
    # The certificate and the site (for the footer): a repeated check is counted in the
    # cache, or, the first in a new 10 s slot, with one UPDATE of the row already there.
    with django_assert_max_num_queries(3):
        assert client.get(url(certificate)).status_code == 200


def test_an_officer_of_the_licensing_council_revokes_and_reinstates(client):
    driver = driver_with_licence()
    certificate = issue(driver)
    officer = officer_of(client, certificate.issuer_borough)
    page = client.get(url(certificate)).content.decode()
    assert "Revoke certificate" in page
    response = client.post(
        reverse("certificates:revoke", args=[certificate.code]),
        {"reason": "licence_revoked", "note": "Suspended 21 Nov"},
    )
    assert response.status_code == 302
    page = client.get(url(certificate)).content.decode()
    assert "Licence suspended or revoked: Suspended 21 Nov" in page
    assert f"Revoked by {officer.email}" in page
    client.post(
        reverse("certificates:reinstate", args=[certificate.code]), {"note": "Appeal upheld"}
    )
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    actions = list(certificate.events.values_list("action", flat=True))
    assert actions == ["issued", "revoked", "reinstated"]


def test_a_revocation_without_a_reason_is_refused(client):
    certificate = issue(driver_with_licence())
    officer_of(client, certificate.issuer_borough)
    response = client.post(
        reverse("certificates:revoke", args=[certificate.code]), {"reason": "", "note": "kept"}
    )
    assert response.status_code == 400
    assert b"Choose a reason" in response.content
    assert b'value="kept"' in response.content
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_an_officer_of_another_borough_cannot_revoke(client):
    certificate = issue(driver_with_licence())
    officer_of(client, BoroughFactory(name="Warrington"))
    assert "Revoke certificate" not in client.get(url(certificate)).content.decode()
    response = client.post(
        reverse("certificates:revoke", args=[certificate.code]), {"reason": "other"}
    )
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_a_lead_of_the_licensing_partnership_may_act(client):
    certificate = issue(driver_with_licence())
    lead = UserFactory()
    role_assign(lead, Role.PARTNERSHIP_LEAD, partnership=certificate.issuer_borough.partnership)
    sign_in_past_two_step(client, lead)
    response = client.post(
        reverse("certificates:revoke", args=[certificate.code]), {"reason": "other"}
    )
    assert response.status_code == 302


def test_learners_cannot_revoke(client):
    certificate = issue(driver_with_licence())
    client.force_login(certificate.learner)
    assert (
        client.post(
            reverse("certificates:revoke", args=[certificate.code]), {"reason": "other"}
        ).status_code
        == 403
    )
    client.logout()
    assert (
        client.post(
            reverse("certificates:revoke", args=[certificate.code]), {"reason": "other"}
        ).status_code
        == 302
    )


def test_a_learner_gets_their_own_pdf_and_nobody_elses(client):
    mine = issue(driver_with_licence())
    theirs = issue(driver_with_licence(number="PH9", full_name="Zoë Ó Briain"))
    client.force_login(mine.learner)
    response = client.get(reverse("certificates:pdf", args=[mine.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(reverse("certificates:pdf", args=[theirs.code])).status_code == 404
    assert client.get(reverse("certificates:pdf", args=["NOT-A-CODE"])).status_code == 404
    page = client.get(reverse("certificates:mine")).content.decode()
    assert mine.display_code in page and theirs.display_code not in page
