"""Realistic synthetic history for benchmarks and demos: learners spread across boroughs and
roles, with 24 months of enrolments, lesson completions, test attempts and certificates.

Rows are written with bulk inserts in batches, bypassing the one-learner services on
purpose: they keep one learner's records right under concurrency, which bulk history does
not need. Certificates still come from the certificates app, through its bulk variant of
certificate_issue, so they carry the same snapshot. Synthetic learners have addresses at
example.invalid and cannot sign in.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from certificates.models import Certificate, RevocationReason
from certificates.services import CertificateGrant, CertifiedCourse, certificates_issue_bulk
from courses.models import Attempt, CoursePage, Enrolment, LessonCompletion, QuizPage
from courses.services import certified
from training_site.people.models import (
    Audience,
    Borough,
    LearnerProfile,
    Licence,
    Organisation,
    OrganisationKind,
    User,
)

BATCH = 2000
MONTHS = 24
FIRST_NAMES = (
    "Amina",
    "Ayşe",
    "Bilal",
    "Chloe",
    "Daniel",
    "Dawid",
    "Ewa",
    "Fatima",
    "Gareth",
    "Hannah",
    "Imran",
    "Jack",
    "Kofi",
    "Łukasz",
    "Maya",
    "Mohammed",
    "Niamh",
    "Olivia",
    "Priya",
    "Rhys",
    "Saanvi",
    "Tomasz",
    "Usman",
    "Zoë",
    "Zofia",
    "Wiktor",
    "Sean",
    "Aoife",
    "Grace",
)
LAST_NAMES = (
    "Ahmed",
    "Begum",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Hughes",
    "Hussain",
    "Jones",
    "Kaur",
    "Khan",
    "Kowalski",
    "Mahmood",
    "Nowak",
    "O'Brien",
    "Patel",
    "Roberts",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Walsh",
    "Wiśniewski",
    "Williams",
    "Wood",
    "Yılmaz",
)
# Who learns: most learners are drivers, whose licensing makes the course required.
AUDIENCE_WEIGHTS = {"taxi-private-hire": 65, "hotel-bnb": 20, "school-staff": 15}


@dataclass
class CourseInfo:
    page: CoursePage
    lesson_ids: list[int]
    quiz_id: int | None
    snapshot: CertifiedCourse
    pupils: bool = False


@dataclass
class Counts:
    learners: int = 0
    licences: int = 0
    enrolments: int = 0
    lesson_completions: int = 0
    attempts: int = 0
    certificates: int = 0
    organisations: int = 0

    @property
    def progress_rows(self) -> int:
        return self.enrolments + self.lesson_completions + self.attempts


def courses_by_audience() -> dict[str, list[CourseInfo]]:
    found: dict[str, list[CourseInfo]] = {}
    for course in CoursePage.objects.live().select_related("audience"):
        quiz = QuizPage.objects.live().child_of(course).values_list("pk", flat=True).first()
        found.setdefault(course.audience.slug, []).append(
            CourseInfo(
                page=course,
                lesson_ids=[lesson.pk for lesson in course.lessons],
                quiz_id=quiz,
                snapshot=certified(course),
                pupils=course.for_pupils,
            )
        )
    return found


def organisations_make(*, boroughs, learners: int, tag: str, rng) -> dict[tuple[int, str], list]:
    """Hotels and schools in every borough, in proportion to the learners."""
    made = []
    for borough in boroughs:
        for kind, count in (
            (OrganisationKind.PREMISES, max(3, learners // 2000)),
            (OrganisationKind.SCHOOL, max(2, learners // 4000)),
        ):
            label = "Hotel" if kind == OrganisationKind.PREMISES else "Academy"
            made += [
                Organisation(
                    name=f"{rng.choice(LAST_NAMES)} {label} {tag}-{number}",
                    kind=kind,
                    borough=borough,
                    is_confirmed=True,
                )
                for number in range(count)
            ]
    Organisation.objects.bulk_create(made, batch_size=BATCH)
    by_place: dict[tuple[int, str], list] = {}
    for organisation in Organisation.objects.filter(name__contains=f" {tag}-"):
        by_place.setdefault((organisation.borough_id, organisation.kind), []).append(organisation)
    return by_place


def synthetic_email_prefix(tag: str) -> str:
    """How the addresses of one data set's learners begin."""
    return f"synthetic-{tag.lower()}-"


def synthesise(*, learners: int, seed: int | None = None, now: datetime | None = None) -> Counts:
    rng = random.Random(seed)  # noqa: S311 - made-up data, nothing secret
    now = now or timezone.now()
    tag = secrets.token_hex(3).upper() if seed is None else f"{seed:06X}"[-6:]
    boroughs = list(Borough.objects.select_related("partnership"))
    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    courses = courses_by_audience()
    weights = {slug: w for slug, w in AUDIENCE_WEIGHTS.items() if slug in audiences}
    if not boroughs or not weights or not courses:
        raise ValueError(
            "Load the places and courses first: python manage.py quickstart --no-serve"
        )
    if User.objects.filter(email__startswith=synthetic_email_prefix(tag)).exists():
        raise ValueError(f"Synthetic learners from seed {seed} are already here; choose another.")
    counts = Counts()
    organisations = organisations_make(boroughs=boroughs, learners=learners, tag=tag, rng=rng)
    counts.organisations = sum(len(found) for found in organisations.values())
    partners = {
        borough.pk: [b for b in boroughs if b.partnership_id == borough.partnership_id]
        for borough in boroughs
    }
    for start in range(0, learners, BATCH):
        with transaction.atomic():
            batch_make(
                first=start,
                size=min(BATCH, learners - start),
                context=BatchContext(
                    rng=rng,
                    now=now,
                    tag=tag,
                    boroughs=boroughs,
                    partners=partners,
                    audiences=audiences,
                    weights=weights,
                    courses=courses,
                    organisations=organisations,
                ),
                counts=counts,
            )
    statistics_refresh()
    return counts


def statistics_refresh() -> None:
    """After a bulk load PostgreSQL's planner still believes the tables are empty, and no
    page is yet marked all-visible, until autovacuum catches up (mid-benchmark, at a time of
    its choosing). Do its work now: the first reports are planned right, and index-only
    scans need not visit the rows. Inside a transaction (a test) VACUUM cannot run, so
    only analyse."""
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (
            User,
            LearnerProfile,
            Licence,
            Organisation,
            Enrolment,
            LessonCompletion,
            Attempt,
            Certificate,
        )
    ]
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} " + ", ".join(connection.ops.quote_name(t) for t in tables))


@dataclass
class BatchContext:
    rng: random.Random
    now: datetime
    tag: str
    boroughs: list
    partners: dict
    audiences: dict
    weights: dict
    courses: dict
    organisations: dict


def batch_make(*, first: int, size: int, context: BatchContext, counts: Counts) -> None:
    rng, now, tag = context.rng, context.now, context.tag
    joined = [now - timedelta(days=rng.uniform(0, MONTHS * 30.4)) for _ in range(size)]
    users = User.objects.bulk_create(
        [
            User(
                email=f"{synthetic_email_prefix(tag)}{first + index}@example.invalid",
                password=make_password(None),  # unusable: nobody signs in as one
                date_joined=joined[index],
            )
            for index in range(size)
        ],
        batch_size=BATCH,
    )
    slugs = rng.choices(list(context.weights), weights=list(context.weights.values()), k=size)
    profiles, licences, plans = [], [], []
    for index, (user, slug) in enumerate(zip(users, slugs, strict=True)):
        audience = context.audiences[slug]
        home = rng.choice(context.boroughs)
        organisation = None
        if not audience.holds_licences:
            kind = OrganisationKind.SCHOOL if slug == "school-staff" else OrganisationKind.PREMISES
            organisation = rng.choice(context.organisations[(home.pk, kind)])
        profile = LearnerProfile(
            user=user,
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            audience=audience,
            home_borough=home,
            organisation=organisation,
            onboarded_at=joined[index],
        )
        profiles.append(profile)
        held = []
        if audience.holds_licences:
            # Most drivers are licensed where they live; some by a neighbour in the partnership,
            # and a few by two authorities.
            authorities = [home if rng.random() < 0.85 else rng.choice(context.partners[home.pk])]
            if rng.random() < 0.05:
                authorities.append(rng.choice(context.boroughs))
            for number, authority in enumerate(dict.fromkeys(authorities)):
                held.append(
                    Licence(
                        holder=user,
                        authority=authority,
                        number=f"S{tag}{first + index:07d}{number}",
                    )
                )
        licences += held
        plans.append((user, profile, joined[index], held))
    LearnerProfile.objects.bulk_create(profiles, batch_size=BATCH)
    Licence.objects.bulk_create(licences, batch_size=BATCH)
    counts.learners += size
    counts.licences += len(licences)
    history_make(plans=plans, context=context, counts=counts)


def history_make(*, plans, context: BatchContext, counts: Counts) -> None:
    rng, now = context.rng, context.now
    enrolments, completions, attempts, grants = [], [], [], []
    for user, profile, joined, held in plans:
        for course in context.courses.get(profile.audience.slug, []):
            # Teachers work through the pupil lessons before they teach them; fewer do.
            if rng.random() > (0.8 if course.pupils else 0.96):
                continue
            started = min(joined + timedelta(hours=rng.uniform(0, 72)), now)
            lessons_done = (
                len(course.lesson_ids)
                if rng.random() < 0.9
                else rng.randint(0, len(course.lesson_ids) - 1)
            )
            moment = started
            for done, lesson_id in enumerate(course.lesson_ids[:lessons_done]):
                moment += timedelta(minutes=rng.uniform(5, 60 * 24 * 4))
                if moment >= now:  # a recent learner has not got this far yet
                    lessons_done = done
                    break
                completions.append(
                    LessonCompletion(
                        learner=user, lesson_id=lesson_id, course=course.page, completed_at=moment
                    )
                )
            enrolment = Enrolment(learner=user, course=course.page, started_at=started)
            enrolments.append(enrolment)
            if lessons_done < len(course.lesson_ids) or course.quiz_id is None:
                continue
            passed_at = attempts_make(
                user=user, course=course, after=moment, now=now, rng=rng, attempts=attempts
            )
            if passed_at is None:
                continue
            enrolment.completed_at = passed_at
            if course.page.issues_certificate:
                grants.append(
                    certificate_grant(
                        user=user,
                        profile=profile,
                        held=held,
                        course=course,
                        passed_at=passed_at,
                        rng=rng,
                    )
                )
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    LessonCompletion.objects.bulk_create(completions, batch_size=BATCH)
    Attempt.objects.bulk_create(attempts, batch_size=BATCH)
    certificates = certificates_issue_bulk(grants=grants, batch_size=BATCH)
    counts.enrolments += len(enrolments)
    counts.lesson_completions += len(completions)
    counts.attempts += len(attempts)
    counts.certificates += len(certificates)


def attempts_make(*, user, course: CourseInfo, after, now, rng, attempts: list):
    """Up to three goes; most pass first time. Returns when the passing attempt ended."""
    moment = after
    for number in (1, 2, 3):
        moment += timedelta(minutes=rng.uniform(2, 60 * 24 * 3))
        if moment >= now:
            return None
        passed = rng.random() < (0.7 if number == 1 else 0.8)
        correct = rng.randint(7, 10) if passed else rng.randint(2, 6)
        attempts.append(
            Attempt(
                learner=user,
                quiz_id=course.quiz_id,
                course=course.page,
                number=number,
                started_at=moment,
                expires_at=moment + timedelta(hours=1),
                submitted_at=moment + timedelta(minutes=rng.uniform(4, 25)),
                items=[],
                answer_key={},
                pass_mark=course.page.pass_mark,
                correct_count=correct,
                score_percent=correct * 10,
                passed=passed,
            )
        )
        if passed:
            return moment + timedelta(minutes=10)
    return None


def certificate_grant(
    *, user, profile, held, course: CourseInfo, passed_at, rng
) -> CertificateGrant:
    """The certificate for a pass; about one in a hundred later revoked with the licence."""
    revoked = rng.random() < 0.01
    return CertificateGrant(
        learner=user,
        profile=profile,
        licences=held,
        course=course.snapshot,
        completion_ref=f"synthetic:{user.pk}:{course.page.pk}",
        completed_at=passed_at,
        revoked_at=passed_at + timedelta(days=30) if revoked else None,
        revocation_reason=RevocationReason.LICENCE_REVOKED if revoked else "",
    )
