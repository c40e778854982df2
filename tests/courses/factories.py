"""Build small course trees the way editors do: pages added under their parents and published."""

from wagtail.models import Page, Site

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from training_site.home.models import HomePage

from ..people.factories import AudienceFactory

LESSON_BODY = [
    {"type": "rich_text", "value": "<p>Grooming builds trust step by step.</p>"},
    {"type": "key_point", "value": {"text": "If something feels wrong, tell someone."}},
    {"type": "who_to_call", "value": {"heading": "Who to call", "for_young_people": False}},
]


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def site_home() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Home", slug="home-test", heading="Home"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
    return home


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = publish(
            site_home().add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
        )
    return index


def course_build(
    *,
    audience=None,
    slug: str = "course",
    modules: int = 2,
    lessons_per_module: int = 2,
    **fields,
) -> CoursePage:
    course = course_index().add_child(
        instance=CoursePage(
            title=fields.pop("title", f"Course {slug}"),
            slug=slug,
            audience=audience or AudienceFactory(),
            summary="A course.",
            estimated_minutes=20,
            **fields,
        )
    )
    publish(course)
    for m in range(modules):
        module = publish(
            course.add_child(instance=ModulePage(title=f"Module {m + 1}", slug=f"module-{m + 1}"))
        )
        for n in range(lessons_per_module):
            publish(
                module.add_child(
                    instance=LessonPage(
                        title=f"Lesson {m + 1}.{n + 1}",
                        slug=f"lesson-{m + 1}-{n + 1}",
                        body=LESSON_BODY,
                    )
                )
            )
    return CoursePage.objects.get(pk=course.pk)


def quiz_build(*, course: CoursePage, questions: int = 12, per_attempt: int = 5, **fields):
    """A test page with a pool of one-answer questions; option A is right in the data (the
    attempt shuffles them)."""
    from courses.models import Question, QuestionOption, QuizPage

    quiz = publish(
        course.add_child(
            instance=QuizPage(
                title="Test", slug="test", questions_per_attempt=per_attempt, **fields
            )
        )
    )
    lessons = course.lessons
    for n in range(questions):
        question = Question(
            course=course,
            lesson=lessons[n % len(lessons)],
            kind="single",
            prompt=f"Question number {n}?",
        )
        question.options = [
            QuestionOption(text=f"Right answer {n}", is_correct=True, feedback=f"Yes because {n}."),
            QuestionOption(text=f"Wrong answer {n} one", feedback=f"No, first reason {n}."),
            QuestionOption(text=f"Wrong answer {n} two", feedback=f"No, second reason {n}."),
        ]
        question.save()
        question.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


def right_answers(attempt) -> dict[str, str]:
    """POST data answering every question right, read from the server's own key."""
    return {f"q{n}": key["correct"][0] for n, key in attempt.answer_key.items()}


def wrong_answers(attempt) -> dict[str, str]:
    data = {}
    for item in attempt.items:
        correct = attempt.answer_key[str(item["number"])]["correct"]
        data[f"q{item['number']}"] = next(
            o["key"] for o in item["options"] if o["key"] not in correct
        )
    return data
