"""The pupil's side, at /join/: no account, no name, no session. A pupil is one signed
cookie holding a random token for one class session, sent only to /join/ and only from
this site (SameSite=Strict), which is also what protects these forms from other sites."""

import secrets

from allauth.core import ratelimit
from django.conf import settings
from django.core import signing
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from training_site.people.inputs import positive_int

from . import services
from .codes import join_code_normalise
from .forms import AnonymousQuestionForm, JoinForm
from .models import ClassSession
from .selectors import pupil_view

COOKIE = "pupil"
COOKIE_SALT = "classroom.pupil"
COOKIE_PATH = "/join/"
MAX_SESSION_SECONDS = 3 * 60 * 60


def private(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def pupil_from_cookie(request) -> tuple[ClassSession, str] | None:
    """The session and token this browser joined with, while that session is open."""
    try:
        value = signing.loads(
            request.COOKIES.get(COOKIE, ""), salt=COOKIE_SALT, max_age=MAX_SESSION_SECONDS
        )
    except signing.BadSignature:
        return None
    session = ClassSession.objects.select_related("lesson").filter(pk=value.get("session")).first()
    if session is None or not session.is_open():
        return None
    return session, value["token"]


def join_page(request, form, *, status=200, message=""):
    response = TemplateResponse(
        request, "classroom/join.html", {"form": form, "message": message}, status=status
    )
    return private(response)


@csrf_exempt
def join(request):
    """Type the code from the board. Wrong codes count against the client; right ones do
    not, so a whole class behind one school address can join at once."""
    if request.method != "POST":
        return join_page(request, JoinForm(initial={"code": request.GET.get("code", "")[:10]}))
    form = JoinForm(request.POST)
    if not ratelimit.consume(request, action="class_join_failed", dry_run=True):
        response = join_page(
            request,
            form,
            status=429,
            message="Too many codes tried from here. Wait ten minutes, then try again.",
        )
        response["Retry-After"] = "600"
        return response
    if not form.is_valid():
        return join_page(request, form, status=400)
    code = join_code_normalise(form.cleaned_data["code"])
    session = ClassSession.objects.open().filter(join_code=code).first() if code else None
    if session is None:
        ratelimit.consume(request, action="class_join_failed")
        return join_page(
            request,
            form,
            status=404,
            message="That code does not match a class that is running now. Check the board "
            "and try again.",
        )
    current = pupil_from_cookie(request)
    if current is not None and current[0].pk == session.pk:
        return redirect("classroom:pupil")
    token = secrets.token_hex(16)
    services.pupil_join(session=session)
    response = redirect("classroom:pupil")
    response.set_cookie(
        COOKIE,
        signing.dumps({"session": str(session.pk), "token": token}, salt=COOKIE_SALT),
        max_age=max(60, int((session.closes_at - timezone.now()).total_seconds())),
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def ended(request):
    response = join_page(
        request,
        JoinForm(),
        status=410,
        message="Your class session has ended, or you have not joined one yet. Enter the "
        "code from the board to join.",
    )
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Strict")
    return response


def pupil_page(request, session, token, *, status=200, problem="", question_form=None):
    context = {
        **pupil_view(session=session, pupil_token=token),
        "problem": problem,
        "question_form": question_form or AnonymousQuestionForm(),
        "saved": request.GET.get("saved", "")[:20],
    }
    return private(TemplateResponse(request, "classroom/pupil.html", context, status=status))


def pupil(request):
    joined = pupil_from_cookie(request)
    if joined is None:
        return ended(request)
    return pupil_page(request, *joined)


@csrf_exempt
@require_POST
def answer(request):
    joined = pupil_from_cookie(request)
    if joined is None:
        return ended(request)
    session, token = joined
    question_id, option_id = (
        positive_int(request.POST.get("question")),
        positive_int(request.POST.get("option")),
    )
    if question_id is None or option_id is None:
        return pupil_page(request, session, token, status=400, problem="Choose an answer first.")
    try:
        services.pupil_answer_record(
            session=session, pupil_token=token, question_id=question_id, option_id=option_id
        )
    except services.ClassroomRefusal as refusal:
        return pupil_page(request, session, token, status=refusal.status, problem=refusal.message)
    return redirect(f"{reverse('classroom:pupil')}?saved={question_id}#question-{question_id}")


@csrf_exempt
@require_POST
def ask(request):
    joined = pupil_from_cookie(request)
    if joined is None:
        return ended(request)
    session, token = joined
    form = AnonymousQuestionForm(request.POST)
    if not ratelimit.consume(request, action="class_question", key=token):
        return pupil_page(
            request,
            session,
            token,
            status=429,
            problem="You have sent a lot of questions. Talk to your teacher after the lesson.",
            question_form=form,
        )
    if not form.is_valid():
        return pupil_page(request, session, token, status=400, question_form=form)
    try:
        services.anonymous_question_add(session=session, text=form.cleaned_data["text"])
    except services.ClassroomRefusal as refusal:
        form.add_error("text", refusal.message)
        return pupil_page(request, session, token, status=refusal.status, question_form=form)
    return redirect(f"{reverse('classroom:pupil')}?saved=question#ask")
