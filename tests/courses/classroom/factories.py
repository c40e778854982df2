"""A pupil lesson with teacher notes and a quick check, and a teacher at a school."""

from django.utils import timezone

from courses.classroom import services
from courses.models import CoursePage, LessonPage, ModulePage, Question, QuestionOption
from training_site.people.models import Organisation

from ...people.factories import AudienceFactory, LearnerProfileFactory, OrganisationFactory
from ..factories import course_index, publish

TEACHER_NOTE = "Teacher only: if a pupil discloses, tell the DSL at once."
MODEL_ANSWER = "Model answer text the class must not see."
GUIDANCE = "Guidance for the teacher only."
PUPIL_LESSON_BODY = [
    {"type": "teacher_note", "value": {"text": TEACHER_NOTE}},
    {"type": "ground_rules", "value": {"items": ["We listen.", "You can pass."]}},
    {
        "type": "scenario",
        "value": {
            "title": "Sam's story",
            "situation": "Sam is 13 and has a new online friend.",
            "question": "What is going on?",
            "reveal": MODEL_ANSWER,
        },
    },
    {"type": "discussion", "value": {"prompt": "What makes a good friend?", "guidance": GUIDANCE}},
    {"type": "key_point", "value": {"text": "It is never your fault."}},
]


def pupil_lesson_build(*, questions: int = 3) -> LessonPage:
    audience = AudienceFactory(slug="school-staff", name="School staff")
    course = publish(
        course_index().add_child(
            instance=CoursePage(
                title="Pupil lessons",
                slug="pupil-lessons",
                audience=audience,
                for_pupils=True,
                issues_certificate=False,
                summary="Lessons.",
                estimated_minutes=50,
            )
        )
    )
    module = publish(course.add_child(instance=ModulePage(title="KS3", slug="ks3")))
    lesson = publish(
        module.add_child(
            instance=LessonPage(title="Healthy friendships", slug="healthy", body=PUPIL_LESSON_BODY)
        )
    )
    for n in range(questions):
        question = Question(
            course=CoursePage.objects.get(pk=course.pk),
            lesson=lesson,
            kind="single",
            prompt=f"Quick check {n}?",
        )
        question.options = [
            QuestionOption(text=f"Right {n}", is_correct=True, feedback="Yes."),
            QuestionOption(text=f"Wrong {n} a", feedback="No."),
            QuestionOption(text=f"Wrong {n} b", feedback="No."),
        ]
        question.save()
        question.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def teacher_build(lesson: LessonPage, *, school=None):
    school = school or OrganisationFactory(kind=Organisation.Kind.SCHOOL, name="Brookfield")
    profile = LearnerProfileFactory(
        audience=lesson.course.audience,
        home_borough=school.borough,
        organisation=school,
        onboarded=True,
    )
    return profile.user


def session_start(teacher, lesson, **fields):
    return services.class_session_start(
        teacher=teacher,
        school=teacher.profile.organisation,
        lesson=lesson,
        year_group=fields.get("year_group", "8"),
        class_size=fields.get("class_size", 28),
        taught_on=fields.get("taught_on", timezone.localdate()),
    )
