"""What courses holds about one learner, as plain data for their records page."""

from training_site.people.models import User

from .classroom.models import ClassSession
from .models.progress import Attempt, Enrolment, LessonCompletion


def attempt_answers(attempt: Attempt) -> list[dict]:
    """Each question as it was shown, with the choices the learner made. The answer key
    stays out: it is the test's, not the learner's, and pools are reused."""
    chosen = attempt.answers or {}
    answers = []
    for item in attempt.items:
        letters = chosen.get(str(item["number"]), [])
        texts = {option["key"]: option["text"] for option in item["options"]}
        answer = {"scenario": item["scenario"]} if item.get("scenario") else {}
        answer["question"] = item["prompt"]
        answer["your_answer"] = [texts[letter] for letter in letters if letter in texts]
        answers.append(answer)
    return answers


def records_for(user: User) -> dict:
    return {
        "courses": [
            {
                "course": enrolment.course.title,
                "started": enrolment.started_at,
                "completed": enrolment.completed_at,
            }
            for enrolment in Enrolment.objects.filter(learner=user)
            .select_related("course")
            .order_by("started_at")
        ],
        "lessons_finished": [
            {
                "lesson": completion.lesson.title,
                "course": completion.course.title,
                "finished": completion.completed_at,
            }
            for completion in LessonCompletion.objects.filter(learner=user)
            .select_related("lesson", "course")
            .order_by("completed_at")
        ],
        "test_attempts": [
            {
                "test": attempt.quiz.title,
                "course": attempt.course.title,
                "attempt": attempt.number,
                "started": attempt.started_at,
                "submitted": attempt.submitted_at,
                "correct_answers": attempt.correct_count,
                "score_percent": attempt.score_percent,
                "passed": attempt.passed,
                "answers": attempt_answers(attempt),
            }
            for attempt in Attempt.objects.filter(learner=user)
            .select_related("quiz", "course")
            .order_by("started_at")
        ],
        "lessons_you_taught": [
            {
                "lesson": session.lesson.title,
                "school": session.school.name,
                "year_group": session.get_year_group_display(),
                "class_size": session.class_size,
                "taught_on": session.taught_on,
                "pupils_who_joined": session.joined_count,
            }
            for session in ClassSession.objects.filter(teacher=user)
            .select_related("lesson", "school")
            .order_by("started_at")
        ],
    }
