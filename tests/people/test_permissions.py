"""The permission module as a truth table: every role against learners and boroughs
in its own place, a neighbour in the same partnership, and another partnership."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from training_site.people.permissions import (
    Scope,
    boroughs_visible_to,
    can_manage_own_record,
    learners_visible_to,
    needs_second_factor,
    profiles_counted_for,
    scope_of,
)
from training_site.people.roles import Role

from .factories import (
    BoroughFactory,
    DriverAudienceFactory,
    LearnerProfileFactory,
    LicenceFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    role_assign,
)

pytestmark = pytest.mark.django_db

# Rows: who is asking. Columns: learner_a (lives in B, works at a hotel in A), learner_b
# (lives in B, holds a licence from A), learner_c (lives in C, works at a hotel in C).
LEARNER_TABLE = {
    "learner_a": {"learner_a": True, "learner_b": False, "learner_c": False},
    "manager_a": {"learner_a": True, "learner_b": False, "learner_c": False},
    "officer_a": {"learner_a": False, "learner_b": True, "learner_c": False},
    "officer_b": {"learner_a": False, "learner_b": False, "learner_c": False},
    "lead_a": {"learner_a": True, "learner_b": True, "learner_c": False},
    "lead_b": {"learner_a": True, "learner_b": True, "learner_c": False},
    "lead_c": {"learner_a": False, "learner_b": False, "learner_c": True},
    "partnership_north": {"learner_a": True, "learner_b": True, "learner_c": False},
    "partnership_south": {"learner_a": False, "learner_b": False, "learner_c": True},
    "editor": {"learner_a": False, "learner_b": False, "learner_c": False},
    "superuser": {"learner_a": True, "learner_b": True, "learner_c": True},
    "anonymous": {"learner_a": False, "learner_b": False, "learner_c": False},
}
BOROUGH_TABLE = {
    "learner_a": {"a": False, "b": False, "c": False},
    "manager_a": {"a": False, "b": False, "c": False},
    "officer_a": {"a": False, "b": False, "c": False},
    "officer_b": {"a": False, "b": False, "c": False},
    "lead_a": {"a": True, "b": False, "c": False},
    "lead_b": {"a": False, "b": True, "c": False},
    "lead_c": {"a": False, "b": False, "c": True},
    "partnership_north": {"a": True, "b": True, "c": False},
    "partnership_south": {"a": False, "b": False, "c": True},
    "editor": {"a": False, "b": False, "c": False},
    "superuser": {"a": True, "b": True, "c": True},
    "anonymous": {"a": False, "b": False, "c": False},
}
SECOND_FACTOR = {
    "learner_a": False,
    "manager_a": True,
    "officer_a": True,
    "officer_b": True,
    "lead_a": True,
    "lead_b": True,
    "lead_c": True,
    "partnership_north": True,
    "partnership_south": True,
    "editor": True,
    "superuser": True,
    "anonymous": False,
}


@pytest.fixture
def world():
    north, south = PartnershipFactory(slug="north"), PartnershipFactory(slug="south")
    boroughs = {
        "a": BoroughFactory(partnership=north),
        "b": BoroughFactory(partnership=north),
        "c": BoroughFactory(partnership=south),
    }
    hotel_a = OrganisationFactory(borough=boroughs["a"])
    hotel_c = OrganisationFactory(borough=boroughs["c"])
    learner_a = LearnerProfileFactory(home_borough=boroughs["b"], organisation=hotel_a).user
    learner_b = LearnerProfileFactory(
        home_borough=boroughs["b"], audience=DriverAudienceFactory()
    ).user
    LicenceFactory(holder=learner_b, authority=boroughs["a"])
    learner_c = LearnerProfileFactory(home_borough=boroughs["c"], organisation=hotel_c).user

    people = {
        "learner_a": learner_a,
        "learner_b": learner_b,
        "learner_c": learner_c,
        "anonymous": AnonymousUser(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    for name, role, place in [
        ("manager_a", Role.ORGANISATION_MANAGER, {"organisation": hotel_a}),
        ("officer_a", Role.LICENSING_OFFICER, {"borough": boroughs["a"]}),
        ("officer_b", Role.LICENSING_OFFICER, {"borough": boroughs["b"]}),
        ("lead_a", Role.BOROUGH_LEAD, {"borough": boroughs["a"]}),
        ("lead_b", Role.BOROUGH_LEAD, {"borough": boroughs["b"]}),
        ("lead_c", Role.BOROUGH_LEAD, {"borough": boroughs["c"]}),
        ("partnership_north", Role.PARTNERSHIP_LEAD, {"partnership": north}),
        ("partnership_south", Role.PARTNERSHIP_LEAD, {"partnership": south}),
        ("editor", Role.EDITOR, {}),
    ]:
        people[name] = UserFactory()
        role_assign(people[name], role, **place)
    return people, boroughs


@pytest.mark.parametrize("viewer", LEARNER_TABLE)
def test_learner_list_matches_single_answers(world, viewer):
    people, _ = world
    learners = {name: people[name] for name in ("learner_a", "learner_b", "learner_c")}
    listed = set(learners_visible_to(people[viewer]).values_list("pk", flat=True))
    expected = {learners[name].pk for name, ok in LEARNER_TABLE[viewer].items() if ok}
    assert listed & {user.pk for user in learners.values()} == expected


@pytest.mark.parametrize("viewer", BOROUGH_TABLE)
def test_can_view_borough(world, viewer):
    people, boroughs = world
    listed = set(boroughs_visible_to(people[viewer]))
    assert listed == {boroughs[key] for key, ok in BOROUGH_TABLE[viewer].items() if ok}


@pytest.mark.parametrize("viewer", SECOND_FACTOR)
def test_staff_roles_need_a_second_factor(world, viewer):
    people, _ = world
    assert needs_second_factor(people[viewer]) is SECOND_FACTOR[viewer]


def test_admin_access_needs_a_second_factor_however_it_is_held(world):
    """The written-out query (STAFF_ACCESS_SQL) finds Wagtail's access_admin held directly
    or through any group, and no other permission."""
    admin_access = Permission.objects.get(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    other = Permission.objects.get(codename="add_page", content_type__app_label="wagtailcore")
    direct, grouped, neither = UserFactory(), UserFactory(), UserFactory()
    direct.user_permissions.add(other)
    neither.user_permissions.add(other)
    neither.groups.add(Group.objects.create(name="Other permissions"))
    assert [needs_second_factor(user) for user in (direct, grouped, neither)] == [False] * 3
    direct.user_permissions.add(admin_access)
    group = Group.objects.create(name="Admin readers")
    group.permissions.add(other, admin_access)
    grouped.groups.add(group)
    assert [needs_second_factor(user) for user in (direct, grouped, neither)] == [
        True,
        True,
        False,
    ]


def test_a_learner_found_without_roles_has_a_learners_scope_without_another_query(
    django_assert_num_queries,
):
    learner = UserFactory()
    assert not needs_second_factor(learner)
    with django_assert_num_queries(0):
        assert scope_of(learner) == Scope()
    role_assign(learner, Role.BOROUGH_LEAD, borough=BoroughFactory())
    assert scope_of(learner).is_staff_scope


def test_only_the_learner_manages_their_own_record(world):
    people, _ = world
    learner = people["learner_a"]
    assert can_manage_own_record(learner, learner)
    for other in ("manager_a", "lead_a", "superuser", "learner_b", "anonymous"):
        assert not can_manage_own_record(people[other], learner)


def test_inactive_staff_see_no_learner_and_no_borough(world):
    people, _ = world
    lead = people["lead_a"]
    lead.is_active = False
    lead.save()
    assert not learners_visible_to(lead).exists()
    assert not boroughs_visible_to(lead).exists()


def test_a_learner_counts_for_home_workplace_and_licensing_boroughs(world):
    """learner_a lives in B and works at a hotel in A; learner_b lives in B and is licensed
    by A; learner_c lives and works in C."""
    people, boroughs = world
    counted = {
        key: set(profiles_counted_for([borough.pk]).values_list("user__email", flat=True))
        for key, borough in boroughs.items()
    }
    emails = {name: people[name].email for name in ("learner_a", "learner_b", "learner_c")}
    assert counted == {
        "a": {emails["learner_a"], emails["learner_b"]},
        "b": {emails["learner_a"], emails["learner_b"]},
        "c": {emails["learner_c"]},
    }
    both = profiles_counted_for([boroughs["a"].pk, boroughs["b"].pk])
    assert both.count() == 2  # each learner once, however many ways they count
