from .catalogue import CourseIndexPage
from .pages import CoursePage, LessonPage, ModulePage, QuizPage
from .progress import Attempt, AttemptAnswer, Enrolment, LessonCompletion
from .questions import Question, QuestionOption

__all__ = [
    "Attempt",
    "AttemptAnswer",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
    "Question",
    "QuestionOption",
    "QuizPage",
]
