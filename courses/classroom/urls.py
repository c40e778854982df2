from django.urls import path

from . import pupil_views, teacher_views

app_name = "classroom"

urlpatterns = [
    path("classroom/", teacher_views.sessions, name="sessions"),
    path("classroom/start/<id:lesson_id>/", teacher_views.start, name="start"),
    path("classroom/letter/<id:course_id>/", teacher_views.letter, name="letter"),
    path("classroom/<uuid:session_id>/", teacher_views.session, name="session"),
    path("classroom/<uuid:session_id>/results/", teacher_views.results, name="results"),
    path(
        "classroom/<uuid:session_id>/present/<int:number>/",
        teacher_views.present,
        name="present",
    ),
    path("classroom/<uuid:session_id>/end/", teacher_views.end, name="end"),
    path("join/", pupil_views.join, name="join"),
    path("join/lesson/", pupil_views.pupil, name="pupil"),
    path("join/answer/", pupil_views.answer, name="answer"),
    path("join/ask/", pupil_views.ask, name="ask"),
]
