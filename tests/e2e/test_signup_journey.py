"""A new driver signs up on a phone, confirms their email with the emailed code and
sets up their profile. Every page passes axe-core."""

import pytest

from training_site.people.models import LearnerProfile, Licence

from ..people.mail import last_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_driver_signs_up_verifies_and_onboards(phone, axe, site_content):
    phone.goto("/")
    axe(phone)
    phone.get_by_role("link", name="I drive a taxi or private hire vehicle").click()

    # Not signed in yet: the sign-in page offers to create an account.
    axe(phone)
    phone.get_by_role("link", name="Create an account").click()
    phone.get_by_label("Email address").fill("new.driver@example.org")
    axe(phone)
    phone.get_by_role("button", name="Create account").click()

    phone.wait_for_url("**/accounts/confirm-email/")
    axe(phone)
    phone.get_by_label("Code").fill(last_code("new.driver@example.org"))
    phone.get_by_role("button", name="Confirm").click()

    phone.wait_for_url("**/profile/start/**")
    assert phone.get_by_label("Taxi and private hire driver").is_checked()
    phone.get_by_role("button", name="Continue").click()
    # Nothing filled in: errors are shown, and the role choice survives.
    assert phone.get_by_role("alert").is_visible()
    assert phone.get_by_label("Taxi and private hire driver").is_checked()
    axe(phone)

    phone.get_by_label("Full name").fill("Łukasz Wiśniewski")
    phone.get_by_label("Which council area do you work in?").select_option(label="Kirklees")
    phone.get_by_role("button", name="Continue").click()

    phone.wait_for_url("**/profile/licences/")
    axe(phone)
    phone.get_by_label("Licensing authority").select_option(label="Kirklees")
    phone.get_by_label("Licence or badge number").fill("ph 104 27")
    phone.get_by_role("button", name="Add licence").click()
    assert phone.get_by_text("PH10427", exact=True).is_visible()
    phone.get_by_role("button", name="Finish and start training").click()

    phone.wait_for_url("**/dashboard/")
    assert phone.get_by_text("Hello, Łukasz Wiśniewski.").is_visible()
    axe(phone)

    profile = LearnerProfile.objects.get(user__email="new.driver@example.org")
    assert profile.onboarded_at is not None
    assert Licence.objects.get(holder=profile.user).number == "PH10427"
