"""Demo accounts for the quick start: one of every kind of user, ready to sign in."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate, RevocationReason
from certificates.services import certificate_issue, certificate_revoke
from courses.models import CoursePage, Enrolment, LessonCompletion
from courses.services import certified, enrolment_start
from training_site.people import services
from training_site.people.models import (
    Audience,
    Borough,
    LearnerProfile,
    Organisation,
    Partnership,
    User,
)
from training_site.people.roles import Role


def demo_user(email: str, password: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def second_factor_enable(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


@transaction.atomic
def demo_accounts_create(*, data: dict) -> list[User]:
    password = data["password"]
    boroughs = {borough.slug: borough for borough in Borough.objects.all()}
    organisations = {}
    for row in data["organisations"]:
        organisations[row["name"]], _ = Organisation.objects.get_or_create(
            name=row["name"],
            borough=boroughs[row["borough"]],
            kind=row["kind"],
            defaults={"is_confirmed": True},
        )
    made = []
    for row in data["learners"]:
        user = demo_user(row["email"], password)
        if not LearnerProfile.objects.filter(user=user).exists():
            services.profile_save(
                user=user,
                full_name=row["full_name"],
                audience=Audience.objects.get(slug=row["audience"]),
                home_borough=boroughs[row["borough"]],
            )
        for licence in row.get("licences", []):
            services.licence_add(
                holder=user, authority=boroughs[licence["authority"]], number=licence["number"]
            )
        if row.get("organisation"):
            services.organisation_join(user=user, organisation=organisations[row["organisation"]])
        services.onboarding_finish(user=user)
        made.append(user)
    for row in data["staff"]:
        first_name, _, last_name = row["name"].partition(" ")
        is_superuser = row.get("superuser", False)
        user = demo_user(
            row["email"],
            password,
            first_name=first_name,
            last_name=last_name,
            is_staff=is_superuser,
            is_superuser=is_superuser,
        )
        if row.get("role"):
            services.role_grant(
                user=user,
                role=Role(row["role"]),
                borough=boroughs.get(row.get("borough")),
                partnership=Partnership.objects.filter(slug=row.get("partnership")).first(),
                organisation=organisations.get(row.get("organisation")),
            )
        for group_name in row.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=group_name)[0])
        second_factor_enable(user)
        made.append(user)
    return made


@transaction.atomic
def demo_certificates_create(*, data: dict) -> list[Certificate]:
    """Certificates in every state (valid, expiring soon, expired, superseded, revoked)."""
    made = []
    for number, row in enumerate(data.get("certificates", [])):
        learner = User.objects.get(email=row["email"])
        course = CoursePage.objects.get(slug=row["course"])
        completed_at = timezone.now() - timedelta(days=row["completed_days_ago"])
        enrolment = enrolment_start(learner=learner, course=course)
        if enrolment.completed_at is None:
            # The history behind the certificate: started two days before, every lesson done.
            started_at = completed_at - timedelta(days=2)
            Enrolment.objects.filter(pk=enrolment.pk).update(
                started_at=started_at, completed_at=completed_at
            )
            LessonCompletion.objects.bulk_create(
                [
                    LessonCompletion(
                        learner=learner,
                        lesson=lesson,
                        course=course,
                        completed_at=started_at + timedelta(hours=index + 1),
                    )
                    for index, lesson in enumerate(course.lessons)
                ],
                ignore_conflicts=True,
            )
        certificate = certificate_issue(
            learner=learner,
            course=certified(course),
            completion_ref=f"demo:{number}:{row['email']}:{row['course']}",
            completed_at=completed_at,
        )
        if row.get("revoke"):
            certificate = certificate_revoke(
                certificate=certificate,
                actor=None,
                reason=RevocationReason.LICENCE_REVOKED,
                note=row["revoke"],
            )
        made.append(certificate)
    return made
