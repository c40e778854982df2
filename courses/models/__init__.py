from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage
from .progress import Enrolment, LessonCompletion
from .quiz import Attempt, AttemptAnswer, Question, QuestionOption, QuizPage

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
