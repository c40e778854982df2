"""The teacher's side: start a session, present it, watch the results, end it."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from certificates.qr import qr_data_uri

from ..models.pages import CoursePage, LessonPage
from . import services
from .access import own_session, teaching_school_or_refuse
from .codes import join_code_display
from .forms import SessionStartForm
from .letter import parents_letter
from .models import ClassSession
from .selectors import lesson_screens, session_results


def join_address(session: ClassSession) -> dict:
    """The address pupils type, and a QR code that opens it with the code filled in."""
    path = reverse("classroom:join")
    base = settings.PUBLIC_BASE_URL
    return {
        "join_path": f"{base}{path}".split("://", 1)[-1],
        "join_code": join_code_display(session.join_code),
        "join_qr": qr_data_uri(f"{base}{path}?code={session.join_code}"),
    }


def no_store(response):
    add_never_cache_headers(response)
    return response


@login_required
def sessions(request):
    """The teacher's own sessions, newest first, and the lessons they can start."""
    services.class_sessions_end_due()
    own = (
        ClassSession.objects.filter(teacher=request.user)
        .select_related("lesson", "school")
        .order_by("-started_at")[:50]
    )
    courses = CoursePage.objects.live().filter(for_pupils=True).order_by("path")
    return no_store(
        TemplateResponse(
            request,
            "classroom/sessions.html",
            {"sessions": own, "courses": courses},
        )
    )


@login_required
def start(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not lesson.course.for_pupils:
        raise Http404("Only pupil lessons are taught in class sessions.")
    school = teaching_school_or_refuse(request.user, lesson.course)
    form = SessionStartForm(
        request.POST or None, initial={"taught_on": timezone.localdate().isoformat()}
    )
    if request.method == "POST" and form.is_valid():
        session = services.class_session_start(
            teacher=request.user, school=school, lesson=lesson, **form.cleaned_data
        )
        return redirect("classroom:session", session_id=session.pk)
    return TemplateResponse(
        request,
        "classroom/start.html",
        {"lesson": lesson, "school": school, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def session(request, session_id):
    """The teacher's own view: the code, the notes for each screen and the live results."""
    class_session = own_session(request.user, session_id)
    if class_session.ended_at is None and not class_session.is_open():
        services.class_session_end(session=class_session)
        class_session.refresh_from_db()
    context = {
        "session": class_session,
        "screens": lesson_screens(class_session.lesson),
        "results": session_results(class_session),
        "is_open": class_session.is_open(),
        **join_address(class_session),
    }
    return no_store(TemplateResponse(request, "classroom/session.html", context))


@login_required
def results(request, session_id):
    """Just the results, for the teacher's page to refresh in place."""
    class_session = own_session(request.user, session_id)
    return no_store(
        TemplateResponse(
            request,
            "classroom/results.html",
            {"session": class_session, "results": session_results(class_session)},
        )
    )


@login_required
def present(request, session_id, number: int):
    """One screen for the classroom display: no notes, no answers, big type. Screen 0 and
    the screen after the last show how to join."""
    class_session = own_session(request.user, session_id)
    screens = lesson_screens(class_session.lesson)
    last = len(screens) + 1
    if not 0 <= number <= last:
        raise Http404("No such screen.")
    screen = screens[number - 1] if 1 <= number <= len(screens) else None
    context = {
        "session": class_session,
        "screen": screen,
        "number": number,
        "last": last,
        "previous": number - 1 if number > 0 else None,
        "next": number + 1 if number < last else None,
        "presenting": True,
        "show_teacher_notes": False,
        **join_address(class_session),
    }
    return no_store(TemplateResponse(request, "classroom/present.html", context))


@login_required
@require_POST
def end(request, session_id):
    class_session = own_session(request.user, session_id)
    services.class_session_end(session=class_session)
    return redirect("classroom:session", session_id=class_session.pk)


@login_required
def letter(request, course_id: int):
    """The letter to parents and carers, for the teacher's school, to edit and send home."""
    course = get_object_or_404(CoursePage.objects.live().filter(for_pupils=True), pk=course_id)
    school = teaching_school_or_refuse(request.user, course)
    response = HttpResponse(
        parents_letter(school=school, course=course, lessons=course.lessons),
        content_type="application/rtf",
    )
    response["Content-Disposition"] = 'attachment; filename="letter-to-parents-and-carers.rtf"'
    return response
