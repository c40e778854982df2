"""What people holds about one learner, as plain data for their records page and download.

Each app that keeps records about a person has a `records_for(user)` like this one;
training_site/records.py puts them together, so this layer never reads the ones above it.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from .models import AccountEvent, LearnerProfile, RoleAssignment, User
from .permissions import needs_second_factor


def may_close_account(user: User) -> bool:
    """Learners close their own accounts. Staff accounts (roles, editors, administrators)
    are closed by a site administrator, who settles what they hold for the council."""
    return user.is_authenticated and not needs_second_factor(user)


def profile_record(profile: LearnerProfile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "full_name": profile.full_name,
        "role": profile.audience.name,
        "council_area": profile.home_borough.name,
        "still_applying_for_a_licence": profile.licence_applied_for,
        "profile_completed": profile.onboarded_at,
        "last_changed": profile.updated_at,
    }


def organisation_record(profile: LearnerProfile | None) -> dict | None:
    if profile is None or profile.organisation is None:
        return None
    organisation = profile.organisation
    return {
        "name": organisation.name,
        "kind": organisation.get_kind_display(),
        "council_area": organisation.borough.name,
    }


def records_for(user: User) -> dict:
    profile = (
        LearnerProfile.objects.select_related("audience", "home_borough", "organisation__borough")
        .filter(user=user)
        .first()
    )
    return {
        "account": {
            "email": user.email,
            "joined": user.date_joined,
            "last_signed_in": user.last_login,
            "password_set": user.has_usable_password(),
            "email_addresses": [
                {"address": address.email, "verified": address.verified}
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "two_step_sign_in": [
                {
                    "kind": authenticator.get_type_display(),
                    "added": authenticator.created_at,
                    "last_used": authenticator.last_used_at,
                }
                for authenticator in Authenticator.objects.filter(user=user).order_by("pk")
            ],
        },
        "profile": profile_record(profile),
        "licences": [
            {
                "number": licence.number,
                "licensing_authority": licence.authority.name,
                "added": licence.created_at,
            }
            for licence in user.licences.select_related("authority")
        ],
        "organisation": organisation_record(profile),
        "staff_roles": [
            {
                "role": assignment.get_role_display(),
                "covers": str(
                    assignment.borough or assignment.partnership or assignment.organisation
                ),
                "granted": assignment.granted_at,
            }
            for assignment in RoleAssignment.objects.filter(user=user).select_related(
                "borough", "partnership", "organisation__borough"
            )
        ],
        "requests_for_your_records": [
            {"what": event.get_kind_display(), "when": event.at}
            for event in AccountEvent.objects.filter(who=user)
        ],
    }
