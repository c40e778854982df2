"""The HTTP benchmark's data, made before gunicorn starts: run by `run.py --http` with the
benchmark's settings in the environment (tests.benchmarks.http_settings and the database,
cache and folders gunicorn will use). Prints one JSON object: the measured pages' paths
and the signed-in session cookie.

The database is the one run.py's prepare() builds (the real course content and one
onboarded learner); this adds a certificate, a test attempt in progress and a session.
"""

import json
import sys
from urllib.parse import urlsplit

import django
from run import prepare  # importing run.py also puts the project on sys.path

django.setup()

from django.conf import settings  # noqa: E402 (needs django.setup())
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from certificates.services import certificate_issue  # noqa: E402
from courses.attempts import attempt_start  # noqa: E402
from courses.services import certified  # noqa: E402


def path_of(url: str) -> str:
    """A page's path, whether Wagtail gave it with the site's host or without."""
    return urlsplit(url).path


def main() -> int:
    state = prepare()
    learner, course = state["learner"], state["course"]
    certificate = certificate_issue(
        learner=learner,
        course=certified(course),
        completion_ref="bench-http:1",
        completed_at=timezone.now(),
        email_learner=False,
    )
    quiz = course.quiz
    attempt = attempt_start(learner=learner, quiz=quiz, course=course)
    # Signed in the way the site's sign-in does it (django.contrib.auth.login), so the
    # session row is the one gunicorn's workers read.
    client = Client()
    client.force_login(learner)
    print(
        json.dumps(
            {
                "session_cookie": f"{settings.SESSION_COOKIE_NAME}="
                f"{client.cookies[settings.SESSION_COOKIE_NAME].value}",
                "lesson": path_of(course.lessons[1].url),
                "verify": reverse("certificates:verify_code", args=[certificate.code]),
                "quiz_attempt": path_of(quiz.attempt_url(attempt)),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
