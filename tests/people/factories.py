import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from courses.loading import REVIEWERS_GROUP
from training_site.people.models import (
    Audience,
    Borough,
    LearnerProfile,
    Licence,
    Organisation,
    Partnership,
    RoleAssignment,
    User,
)
from training_site.people.roles import Role


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")


class BoroughFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borough
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Borough {n}")
    slug = factory.Sequence(lambda n: f"borough-{n}")
    ons_code = factory.Sequence(lambda n: f"E09{n:06d}")
    partnership = factory.SubFactory(PartnershipFactory)


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Audience {n}")
    slug = factory.Sequence(lambda n: f"audience-{n}")
    membership = Audience.Membership.ORGANISATION


class DriverAudienceFactory(AudienceFactory):
    name = "Taxi and private hire driver"
    slug = "taxi-private-hire"
    membership = Audience.Membership.LICENCE


class HotelAudienceFactory(AudienceFactory):
    name = "Hotel or B&B staff"
    slug = "hotel-bnb"
    membership = Audience.Membership.ORGANISATION
    organisation_kind = Organisation.Kind.PREMISES


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.PREMISES
    borough = factory.SubFactory(BoroughFactory)
    is_confirmed = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class LearnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearnerProfile

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Learner Number {chr(65 + n % 26)}")
    audience = factory.SubFactory(HotelAudienceFactory)
    home_borough = factory.SubFactory(BoroughFactory)

    class Params:
        onboarded = factory.Trait(onboarded_at=factory.LazyFunction(timezone.now))


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    holder = factory.SubFactory(UserFactory)
    authority = factory.SubFactory(BoroughFactory)
    number = factory.Sequence(lambda n: f"PH{n:05d}")


def role_assign(user, role: Role, **place) -> RoleAssignment | None:
    """Grant a role the way the admin does (assignment plus group)."""
    from training_site.people.services import role_grant

    return role_grant(user=user, role=role, **place)


def staff_with_role(role: Role, **place) -> User:
    user = UserFactory()
    role_assign(user, role, **place)
    return user


def account(kind: str) -> User:
    """An account of each kind a journey names ("driver", "officer", "reviewer", ...), on
    the real boroughs and groups (the site_content fixture)."""
    kirklees = Borough.objects.get(slug="kirklees")
    if kind == "driver":
        drivers = Audience.objects.get(slug="taxi-private-hire")
        return LearnerProfileFactory(onboarded=True, audience=drivers, home_borough=kirklees).user
    if kind == "new learner":
        return UserFactory()
    if kind == "officer":
        return staff_with_role(Role.LICENSING_OFFICER, borough=kirklees)
    if kind == "manager":
        return staff_with_role(
            Role.ORGANISATION_MANAGER, organisation=OrganisationFactory(borough=kirklees)
        )
    if kind == "borough lead":
        return staff_with_role(Role.BOROUGH_LEAD, borough=kirklees)
    if kind == "partnership lead":
        west_yorkshire = Partnership.objects.get(slug="west-yorkshire")
        return staff_with_role(Role.PARTNERSHIP_LEAD, partnership=west_yorkshire)
    if kind == "editor":
        return staff_with_role(Role.EDITOR)
    if kind == "reviewer":
        reviewer = staff_with_role(Role.EDITOR)
        reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
        return reviewer
    assert kind == "admin"
    return UserFactory(is_superuser=True, is_staff=True)
