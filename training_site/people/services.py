"""Writes for people: each a small keyword-only function in a transaction."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY as USER_ID_SESSION_KEY
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import (
    AccountEvent,
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
    keep_session_key: str | None = None,
) -> RoleAssignment | None:
    """Give a role; scoped roles also record the place they cover. A new role ends the
    person's other sessions (all but `keep_session_key`); granting one they hold changes
    nothing."""
    if role not in SCOPED_ROLES:
        group = role_group(Role(role))
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            sessions_end(user=user, keep_session_key=keep_session_key)
        return None
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, borough=borough, partnership=partnership, organisation=organisation
    )
    if _role_groups_match(user=user) or created:
        sessions_end(user=user, keep_session_key=keep_session_key)
    return assignment


@transaction.atomic
def role_groups_sync(*, user: User, keep_session_key: str | None = None) -> None:
    """Call after any change to someone's staff roles (granted, moved, removed): their
    groups follow, and their other sessions end, so every device signs in afresh."""
    _role_groups_match(user=user)
    sessions_end(user=user, keep_session_key=keep_session_key)


def _role_groups_match(*, user: User) -> bool:
    """A scoped role's group holds exactly the people with at least one assignment of it.
    Whether any group changed."""
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    in_groups = set(user.groups.values_list("name", flat=True))
    changed = False
    for role in SCOPED_ROLES:
        if (role in held) == (role.group_name in in_groups):
            continue
        changed = True
        if role in held:
            user.groups.add(role_group(role))
        else:
            user.groups.remove(role_group(role))
    forget_scope(user)
    return changed


@transaction.atomic
def sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """Sign `user` out everywhere but the session `keep_session_key` (the request making a
    change, when it is theirs). Returns how many sessions ended.

    Nothing records whose a session is but the session itself, so the unexpired sessions are
    read and decoded. Role changes are rare administrators' actions and a session lasts at
    most SESSION_COOKIE_AGE (12 hours), so this reads the last half-day's sign-ins once per
    change: about 0.2 s per 10,000 sessions. The engine must keep sessions in the database
    (`db` or `cached_db`); the people.E001 check refuses any other."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    decoder = store_class()
    user_id = str(user.pk)
    sessions = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    ended = [
        key
        for key, data in sessions.values_list("session_key", "session_data").iterator(
            chunk_size=2000
        )
        if decoder.decode(data).get(USER_ID_SESSION_KEY) == user_id
    ]
    for key in ended:
        # The store's own delete, which for cached_db also drops the cached copy.
        store_class(session_key=key).delete()
    return len(ended)


def account_event_log(*, user: User, kind: str) -> AccountEvent:
    """A learner looked at or downloaded their records: the one row says who and when."""
    return AccountEvent.objects.create(who=user, kind=AccountEvent.Kind(kind))


def account_lock(*, user: User) -> bool:
    """Lock the account's row for the rest of the transaction; False once it is gone, so a
    second closing request finds the work done."""
    return User.objects.select_for_update().filter(pk=user.pk).exists()


def account_delete(*, user: User) -> None:
    """Delete the account and everything that hangs from it in people (profile, licences,
    roles, email addresses, authenticators). Call inside the closing transaction, after
    the layers above have let go of what they keep. The closure is logged first; the log
    row keeps no link once the account is gone."""
    AccountEvent.objects.create(who=user, kind=AccountEvent.Kind.ACCOUNT_CLOSED)
    User.objects.filter(pk=user.pk).delete()
