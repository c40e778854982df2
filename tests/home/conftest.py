import pytest

from courses.models import CoursePage


@pytest.fixture
def course(site_content):
    """The taxi course, as load_content makes it."""
    return CoursePage.objects.get(slug="taxi-and-private-hire")


@pytest.fixture
def lesson(course):
    return course.lessons[1]
