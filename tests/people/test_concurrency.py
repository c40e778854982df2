"""Writes that matter stay right when many requests arrive together (PostgreSQL)."""

import pytest

from training_site.people import services
from training_site.people.models import Licence

from ..concurrency import run_at_once
from .factories import BoroughFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_ten_people_claiming_one_licence_number_at_once_leaves_one_holder(on_postgres):
    authority = BoroughFactory()
    people = [UserFactory() for _ in range(10)]

    results = run_at_once(
        lambda i: services.licence_add(holder=people[i], authority=authority, number="PH10427"),
        count=10,
    )

    winners = [result for result in results if isinstance(result, Licence)]
    refused = [r for r in results if isinstance(r, services.LicenceAlreadyClaimed)]
    assert len(winners) == 1
    assert len(refused) == 9
    assert Licence.objects.filter(authority=authority, number="PH10427").count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_person_double_submitting_gets_one_licence(on_postgres):
    authority = BoroughFactory()
    holder = UserFactory()
    results = run_at_once(
        lambda i: services.licence_add(holder=holder, authority=authority, number="PH1"),
        count=8,
    )
    assert all(isinstance(result, Licence) for result in results)
    assert Licence.objects.filter(holder=holder).count() == 1
