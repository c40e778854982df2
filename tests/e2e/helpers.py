"""Steps several browser journeys share."""

from ..people.mail import last_code


def sign_in_with_code(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("textbox", name="Email address").fill(email)
    page.get_by_role("button", name="Email me a code").click()
    page.get_by_label("Code").fill(last_code(email))
    page.get_by_role("button", name="Confirm").click()
