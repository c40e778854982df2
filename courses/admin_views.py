"""Admin report: how each test question is answered."""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from training_site.people.inputs import positive_int

from .models import CoursePage
from .selectors import question_statistics


class QuestionStatisticsView(TemplateView):
    template_name = "courses/admin/question_statistics.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.view_question_statistics"):
            raise PermissionDenied("You cannot see question statistics.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        courses = list(CoursePage.objects.filter(for_pupils=False).order_by("path"))
        chosen = positive_int(self.request.GET.get("course"))
        course = next((c for c in courses if c.pk == chosen), courses[0] if courses else None)
        context.update(
            {
                "courses": courses,
                "course": course,
                "rows": question_statistics(course=course) if course else [],
                "page_title": "Test questions",
                "header_title": "Test questions: how they are answered",
            }
        )
        return context
