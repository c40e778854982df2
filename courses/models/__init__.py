from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage
from .progress import Enrolment, LessonCompletion

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
]
