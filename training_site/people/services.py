"""Writes for people: each a small keyword-only function in a transaction."""

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import (
    Audience,
    Borough,
    LearnerProfile,
    Licence,
    Organisation,
    OrganisationKind,
    Partnership,
    RoleAssignment,
    User,
)
from .permissions import forget_scope
from .roles import SCOPED_ROLES, Role


def role_group(role: Role) -> Group:
    """The role's group; made by a migration, and made again if someone deleted it."""
    group, _ = Group.objects.get_or_create(name=role.group_name)
    return group


class LicenceAlreadyClaimed(Exception):
    """Someone already holds this number with this authority."""

    def __init__(self, authority: Borough, number: str):
        self.authority = authority
        self.number = number
        super().__init__(f"{number} is already registered with {authority}")


@transaction.atomic
def profile_save(
    *, user: User, full_name: str, audience: Audience, home_borough: Borough
) -> LearnerProfile:
    profile, _ = LearnerProfile.objects.select_for_update().update_or_create(
        user=user,
        defaults={"full_name": full_name, "audience": audience, "home_borough": home_borough},
    )
    if audience.holds_licences and profile.organisation_id:
        # A learner who moves from hotel work to driving no longer belongs to the hotel.
        profile.organisation = None
        profile.save(update_fields=["organisation", "updated_at"])
    user.groups.add(role_group(Role.LEARNER))
    return profile


def licence_add(*, holder: User, authority: Borough, number: str) -> Licence:
    """Idempotent for the holder; refuses a number someone else holds with that authority."""
    existing = Licence.objects.filter(authority=authority, number=number).first()
    if existing is not None:
        if existing.holder_id == holder.pk:
            return existing
        raise LicenceAlreadyClaimed(authority, number)
    # Once a number is added, an earlier "still applying" no longer says anything.
    LearnerProfile.objects.filter(user=holder, licence_applied_for=True).update(
        licence_applied_for=False
    )
    try:
        with transaction.atomic():
            return Licence.objects.create(holder=holder, authority=authority, number=number)
    except IntegrityError:
        # Two requests raced for the same number: whoever won holds it.
        existing = Licence.objects.get(authority=authority, number=number)
        if existing.holder_id == holder.pk:
            return existing
        raise LicenceAlreadyClaimed(authority, number) from None


def licence_remove(*, holder: User, licence_id: int) -> bool:
    deleted, _ = Licence.objects.filter(holder=holder, pk=licence_id).delete()
    return bool(deleted)


@transaction.atomic
def organisation_join(
    *,
    user: User,
    organisation: Organisation | None = None,
    new_name: str = "",
    borough: Borough | None = None,
    kind: str = OrganisationKind.OTHER,
) -> Organisation:
    """Join a listed organisation, or name one that is not listed yet (left unconfirmed)."""
    if organisation is None:
        name = " ".join(new_name.split())
        organisation = Organisation.objects.filter(
            name__iexact=name, borough=borough, kind=kind
        ).first()
        if organisation is None:
            try:
                with transaction.atomic():
                    organisation = Organisation.objects.create(
                        name=name, borough=borough, kind=kind, is_confirmed=False
                    )
            except IntegrityError:
                organisation = Organisation.objects.get(
                    name__iexact=name, borough=borough, kind=kind
                )
    LearnerProfile.objects.filter(user=user).exclude(organisation=organisation).update(
        organisation=organisation, updated_at=timezone.now()
    )
    return organisation


def licence_application_declare(*, user: User) -> bool:
    """A driver still applying for a licence finishes onboarding without a number, and is
    reminded to add it. Returns whether onboarding is now done."""
    LearnerProfile.objects.filter(user=user).update(
        licence_applied_for=True, updated_at=timezone.now()
    )
    return onboarding_finish(user=user)


def onboarding_finish(*, user: User) -> bool:
    """Mark onboarding done once the profile has everything a certificate needs."""
    profile = LearnerProfile.objects.select_related("audience").get(user=user)
    if not profile.is_complete:
        return False
    if profile.onboarded_at is None:
        LearnerProfile.objects.filter(pk=profile.pk, onboarded_at__isnull=True).update(
            onboarded_at=timezone.now()
        )
    return True


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: Role,
    borough: Borough | None = None,
    partnership: Partnership | None = None,
    organisation: Organisation | None = None,
) -> RoleAssignment | None:
    """Give a role; scoped roles also record the place they cover."""
    if role not in SCOPED_ROLES:
        user.groups.add(role_group(Role(role)))
        return None
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, role=role, borough=borough, partnership=partnership, organisation=organisation
    )
    role_groups_sync(user=user)
    return assignment


def role_groups_sync(*, user: User) -> None:
    """A scoped role's group holds exactly the people with at least one assignment of it."""
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    for role in SCOPED_ROLES:
        group = role_group(role)
        if role in held:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    forget_scope(user)
