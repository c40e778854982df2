"""The test's pages: its start page, the questions, and the results.

Mixed into QuizPage. Each route reads or displays; starting, saving and submitting go
through courses.attempts. A learner only ever reaches their own attempts: any other
attempt id is simply not found.
"""

import re

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.contrib.routable_page.models import path

from training_site.people.inputs import positive_int

from . import attempts
from .access import take_course_or_refuse
from .allowance import Refusal, allowance_for, open_attempt
from .models.progress import Attempt
from .navigation import CourseProgress
from .scoring import AnswersRejected
from .selectors import attempt_result
from .services import pass_complete

# ASCII digits: \d would also take other scripts' digits.
ANSWER_FIELD = re.compile(r"^q([0-9]{1,3})$")
# Waiting helps (429, with Retry-After); an ended attempt is gone (410); the rest are 403.
STATUS_FOR_REFUSAL = {Refusal.COOLDOWN: 429, Refusal.EXPIRED: 410}


def answers_from_post(post) -> dict[int, list[str]]:
    """Answers are fields q1, q2...; anything else that looks like an answer is refused."""
    answers: dict[int, list[str]] = {}
    for name in post:
        if not name.startswith("q"):
            continue
        match = ANSWER_FIELD.match(name)
        if match is None:
            raise AnswersRejected({0: f"unexpected field {name[:20]!r}"})
        answers[int(match.group(1))] = [value[:5] for value in post.getlist(name)]
    return answers


class QuizRoutesMixin:
    def learner_course_or_refuse(self, request):
        course = self.course
        take_course_or_refuse(request.user, course)
        return course

    def own_attempt(self, request, attempt_id):
        attempt = Attempt.objects.filter(pk=attempt_id, quiz=self, learner=request.user).first()
        if attempt is None:
            raise Http404("No such attempt.")
        return attempt

    def home_context(self, request, course, refusal: str = "") -> dict:
        now = timezone.now()
        allowance = allowance_for(learner=request.user, quiz=self, course=course, now=now)
        return {
            "course": course,
            "pass_mark": self.effective_pass_mark(course),
            "allowance": allowance,
            "lessons_done": CourseProgress(learner=request.user, outline=self.outline).all_done,
            "open_attempt": open_attempt(learner=request.user, quiz=self, now=now),
            "past_attempts": Attempt.objects.filter(
                learner=request.user, quiz=self, submitted_at__isnull=False
            ).order_by("-started_at"),
            "refusal": refusal,
        }

    @path("")
    def test_home(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        course = self.learner_course_or_refuse(request)
        return self.render(request, context_overrides=self.home_context(request, course))

    @path("start/")
    def test_start(self, request):
        return require_POST(self._test_start)(request)

    def _test_start(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        course = self.learner_course_or_refuse(request)
        # From the database rather than the cache, as this starts an attempt.
        if not CourseProgress(learner=request.user, outline=course.outline_from_pages()).all_done:
            return self.refuse(
                request, course, "Finish every lesson before you take the test.", status=403
            )
        try:
            attempt = attempts.attempt_start(learner=request.user, quiz=self, course=course)
        except attempts.QuizUnavailable as refusal:
            status = STATUS_FOR_REFUSAL.get(refusal.kind, 403)
            response = self.refuse(request, course, refusal.message, status=status)
            if refusal.kind == Refusal.COOLDOWN:
                seconds = max(1, int((refusal.until - timezone.now()).total_seconds()))
                response["Retry-After"] = str(seconds)
            return response
        return redirect(self.attempt_url(attempt))

    def refuse(self, request, course, message: str, *, status: int):
        response = self.render(
            request, context_overrides=self.home_context(request, course, refusal=message)
        )
        response.status_code = status
        return response

    def attempt_url(self, attempt, number: int | None = None) -> str:
        url = self.url + self.reverse_subpage("test_attempt", args=[attempt.pk])
        return f"{url}?q={number}" if number else url

    @path("attempt/<uuid:attempt_id>/", name="test_attempt")
    def test_attempt(self, request, attempt_id):
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        # A question screen shows no more of the course than its outline keeps.
        take_course_or_refuse(request.user, self.outline.course)
        attempt = self.own_attempt(request, attempt_id)
        if attempt.submitted_at is not None:
            return redirect(self.result_url(attempt))
        if request.method == "POST":
            return self.attempt_post(request, attempt)
        if attempt.expires_at <= timezone.now():
            return self.attempt_expired(request, attempt)
        return self.attempt_render(request, attempt, number=self.screen_number(request, attempt))

    def screen_number(self, request, attempt) -> int:
        number = positive_int(request.GET.get("q", "1"), maximum=attempt.total)
        if number is None:
            raise Http404("No such question in this attempt.")
        return number

    def attempt_render(self, request, attempt, *, number, problems=None, status=200):
        chosen = {int(n): set(keys) for n, keys in attempt.answers.items()}
        items = (
            attempt.items
            if self.layout == self.Layout.ALL_ON_ONE_PAGE
            else [attempt.items[number - 1]]
        )
        unanswered = [item["number"] for item in attempt.items if item["number"] not in chosen]
        response = self.render(
            request,
            template="courses/quiz_attempt.html",
            context_overrides={
                "course": self.outline.course,
                "attempt": attempt,
                "items": [{**item, "chosen": chosen.get(item["number"], set())} for item in items],
                "number": number,
                "total": attempt.total,
                "one_per_screen": self.layout == self.Layout.ONE_PER_SCREEN,
                "problems": problems or {},
                "unanswered": unanswered,
                "action_url": self.attempt_url(attempt),
            },
        )
        response.status_code = status
        return response

    def attempt_expired(self, request, attempt):
        return self.refuse(request, self.course, attempts.expired_message(attempt), status=410)

    def attempt_post(self, request, attempt):
        action = request.POST.get("action", "next")
        number = self.posted_number(request, attempt)
        try:
            answers = answers_from_post(request.POST)
            if action == "submit":
                submitted = attempts.attempt_submit(
                    attempt_id=attempt.pk, learner=request.user, answers=answers
                )
                return redirect(self.result_url(submitted))
            attempts.attempt_answers_save(
                attempt_id=attempt.pk, learner=request.user, answers=answers
            )
        except attempts.QuizUnavailable:
            return self.attempt_expired(request, attempt)
        except AnswersRejected as rejected:
            attempt.refresh_from_db()
            return self.attempt_render(
                request, attempt, number=number, problems=rejected.problems, status=400
            )
        target = number - 1 if action == "back" else number + 1
        return redirect(self.attempt_url(attempt, max(1, min(target, attempt.total))))

    def posted_number(self, request, attempt) -> int:
        return positive_int(request.POST.get("number"), maximum=attempt.total) or 1

    def result_url(self, attempt) -> str:
        return self.url + self.reverse_subpage("test_result", args=[attempt.pk])

    @path("attempt/<uuid:attempt_id>/result/", name="test_result")
    def test_result(self, request, attempt_id):
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        course = self.course
        attempt = self.own_attempt(request, attempt_id)
        if attempt.submitted_at is None:
            return redirect(self.attempt_url(attempt))
        result = attempt_result(attempt=attempt, quiz=self, course=course)
        # Issuing failed when the test was submitted: each visit tries again.
        if result["certificate_pending"] and pass_complete(attempt=attempt):
            result = attempt_result(attempt=attempt, quiz=self, course=course)
        return self.render(request, template="courses/quiz_result.html", context_overrides=result)
