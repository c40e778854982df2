"""Tests in the Wagtail admin: the question pools and how each question is answered."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import QuestionStatisticsView
from .models import Question


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = "Test questions"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["prompt", "course", "lesson", "kind", "live"]
    list_filter = ["course", "kind", "live"]
    search_fields = ["prompt", "scenario"]


register_snippet(QuestionViewSet)


@hooks.register("register_admin_urls")
def question_statistics_urls():
    return [
        path(
            "reports/questions/",
            QuestionStatisticsView.as_view(),
            name="question_statistics",
        )
    ]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("courses.view_question_statistics")


@hooks.register("register_reports_menu_item")
def question_statistics_menu_item():
    return StatisticsMenuItem(
        "Test questions", reverse("question_statistics"), icon_name="help", order=700
    )
