"""Demo accounts for the quick start: one of every kind of user, ready to sign in."""

from collections import defaultdict
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent, RevocationReason
from certificates.services import certificate_issue, certificate_revoke
from courses.attempts import attempt_content, questions_draw
from courses.models import Attempt, CoursePage, Enrolment, LessonCompletion, QuizPage
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
    """Certificates in every state (valid, expiring soon, expired, superseded, revoked), each
    with the history behind it. A learner's course that has certificates is left alone."""
    rows_by_course = defaultdict(list)
    for row in data.get("certificates", []):
        rows_by_course[row["email"], row["course"]].append(row)
    made = []
    for (email, slug), rows in rows_by_course.items():
        learner = User.objects.get(email=email)
        course = CoursePage.objects.get(slug=slug)
        existing = Certificate.objects.filter(learner=learner, course_page=course)
        if existing.exists():
            made.extend(existing)
            continue
        made.extend(demo_history_create(learner=learner, course=course, rows=rows))
    return made


def demo_history_create(
    *, learner: User, course: CoursePage, rows: list[dict]
) -> list[Certificate]:
    """One learner's history on one course, dated so that it all agrees: every lesson done
    in the two days before the first pass; each certificate issued on passing the test, the
    newer superseding the older; the enrolment completed by the newest pass."""
    now = timezone.now()
    rows = sorted(rows, key=lambda row: row["completed_days_ago"], reverse=True)
    passed = [now - timedelta(days=row["completed_days_ago"]) for row in rows]
    started_at = passed[0] - timedelta(days=2)
    enrolment = enrolment_start(learner=learner, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=started_at, completed_at=passed[-1])
    LessonCompletion.objects.bulk_create(
        LessonCompletion(
            learner=learner,
            lesson=lesson,
            course=course,
            completed_at=started_at + timedelta(hours=index + 1),
        )
        for index, lesson in enumerate(course.lessons)
    )
    made = []
    for row, completed_at in zip(rows, passed, strict=True):
        attempt = demo_pass(
            learner=learner, course=course, quiz=course.quiz, submitted_at=completed_at
        )
        certificate = certificate_issue(
            learner=learner,
            course=certified(course),
            completion_ref=attempt.completion_ref,
            completed_at=completed_at,
            # History, not a pass just now: nobody is told of it by email.
            email_learner=False,
        )
        # Issued when it was earned, as it would have been then, and so in its audit trail.
        Certificate.objects.filter(pk=certificate.pk).update(issued_at=completed_at)
        CertificateEvent.objects.filter(
            Q(certificate=certificate, action=CertificateEvent.Action.ISSUED)
            | Q(certificate__superseded_by=certificate, action=CertificateEvent.Action.SUPERSEDED)
        ).update(at=completed_at)
        if row.get("revoke"):
            certificate_revoke(
                certificate=certificate,
                actor=None,
                reason=RevocationReason.LICENCE_REVOKED,
                note=row["revoke"],
            )
        certificate.refresh_from_db()
        made.append(certificate)
    return made


def demo_pass(*, learner: User, course: CoursePage, quiz: QuizPage, submitted_at) -> Attempt:
    """A passed test with every answer right, taken in the twenty minutes to `submitted_at`."""
    items, key = attempt_content(questions_draw(course=course, count=quiz.questions_per_attempt))
    started_at = submitted_at - timedelta(minutes=20)
    return Attempt.objects.create(
        learner=learner,
        quiz=quiz,
        course=course,
        number=Attempt.objects.filter(learner=learner, quiz=quiz).count() + 1,
        started_at=started_at,
        expires_at=started_at + timedelta(minutes=quiz.time_limit_minutes),
        submitted_at=submitted_at,
        items=items,
        answer_key=key,
        answers={number: sorted(answer["correct"]) for number, answer in key.items()},
        pass_mark=quiz.effective_pass_mark(course),
        correct_count=len(items),
        score_percent=100,
        passed=True,
    )
