"""A driver passes, downloads the certificate, and its QR code opens the verification page
at phone size showing Valid; an officer revokes it, and the same address shows Revoked."""

import io

import pypdfium2 as pdfium
import pytest
import zxingcpp

from courses.models import Attempt, QuizPage
from training_site.people.models import Borough
from training_site.people.roles import Role

from ..people.factories import UserFactory, role_assign
from ..people.sessions import second_factor_for
from .helpers import (
    answer_every_screen,
    kirklees_driver,
    sign_in_with_code,
    sign_in_with_password_and_totp,
)

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def qr_url_in(pdf_bytes: bytes) -> str:
    page = pdfium.PdfDocument(io.BytesIO(pdf_bytes))[0]
    (result,) = zxingcpp.read_barcodes(page.render(scale=2).to_pil())
    return result.text


def test_pass_download_scan_verify_revoke(browser, live_server, axe, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    driver, course = kirklees_driver(lessons_done=True)
    QuizPage.objects.update(cooldown_minutes=0)

    learner = browser.new_context(viewport=PHONE, base_url=live_server.url, accept_downloads=True)
    phone = learner.new_page()
    sign_in_with_code(phone, driver.email)
    phone.goto(course.url)
    phone.get_by_role("link", name="Take the test").click()
    phone.get_by_role("button", name="Start the test").click()
    answer_every_screen(phone, Attempt.objects.get(learner=driver), right=True, axe=axe)
    phone.wait_for_url("**/result/")

    phone.get_by_role("link", name="Certificates").click()
    axe(phone)
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download PDF").click()
    pdf_bytes = download.value.path().read_bytes()
    assert pdf_bytes.startswith(b"%PDF")
    verify_url = qr_url_in(pdf_bytes)
    assert verify_url.startswith(f"{live_server.url}/verify/")
    learner.close()

    scanner = browser.new_context(viewport=PHONE)
    public = scanner.new_page()
    public.goto(verify_url)
    axe(public)
    assert public.locator(".verdict__label").inner_text().endswith("Valid")
    assert public.get_by_text("Łukasz Wiśniewski").is_visible()

    officer = UserFactory(email="officer@example.org")
    role_assign(officer, Role.LICENSING_OFFICER, borough=Borough.objects.get(slug="kirklees"))
    secret = second_factor_for(officer)
    desk = browser.new_context(viewport=PHONE, base_url=live_server.url)
    officer_page = desk.new_page()
    sign_in_with_password_and_totp(officer_page, officer.email, "correct-horse-battery", secret)
    officer_page.goto(verify_url)
    officer_page.get_by_label("Reason for revoking").select_option(
        label="Licence suspended or revoked"
    )
    officer_page.get_by_label("Details (optional)").fill("Suspended by the licensing committee")
    officer_page.get_by_role("button", name="Revoke certificate").click()
    assert officer_page.get_by_text("Suspended by the licensing committee").first.is_visible()
    axe(officer_page)
    desk.close()

    # The same address with its "#" part: going there again would not reload the page.
    public.reload()
    assert public.locator(".verdict__label").inner_text().endswith("Revoked")
    assert public.get_by_text("Suspended by the licensing committee").count() == 0
    axe(public)
    scanner.close()
