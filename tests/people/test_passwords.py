"""Passwords are hashed with Argon2id at OWASP's baseline, and older hashes are upgraded
when their owner next signs in."""

import pytest
from argon2 import extract_parameters
from argon2.low_level import Type
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from training_site.settings import base

from .factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_argon2id_comes_first_with_at_least_owasps_minimum_cost(production_hashers):
    user = UserFactory(email="driver@example.org")
    user.set_password(PASSWORD)
    algorithm, _, encoded = user.password.partition("$")
    parameters = extract_parameters("$" + encoded)
    assert algorithm == "argon2"
    assert parameters.type is Type.ID
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2
    assert parameters.parallelism >= 1


def test_a_pbkdf2_hash_becomes_argon2_when_its_owner_signs_in(client, production_hashers):
    user = UserFactory(email="driver@example.org")
    hasher = PBKDF2PasswordHasher()
    # Few iterations keep the test quick; the upgrade does not depend on them.
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
