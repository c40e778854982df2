"""The staff area: dashboards for leads, look-ups for officers, staff lists for managers.

Every view asks the permission module what the viewer may see, and every list, look-up
and export is written to the access log.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from training_site.people.permissions import can_view_reports, scope_of, staff_tools_for

from .charts import Bar, all_hidden, bar_chart_svg, share_bar_svg
from .exports import csv_response, labelled_rows
from .filters import ReportFilterForm
from .lists import FIGURES, people_list
from .models import ReportAccess
from .schools import schools_figures
from .selectors import CERTIFICATE_FIGURES, ENROLMENT_FIGURES, Figure, dashboard_figures

SMALL_NUMBER = 5
# Each schools table and the field that names its rows.
SCHOOL_ROW_LABELS = {"by_term": "term", "by_school": "school__name", "by_lesson": "lesson_title"}
PAGE_SIZE = 50


def access_log(request, *, kind: str, what: str, filters: dict, row_count: int | None = None):
    ReportAccess.objects.create(
        user=request.user,
        user_label=request.user.get_full_name()[:150],
        kind=kind,
        what=what[:80],
        filters=filters,
        row_count=row_count,
    )


def staff_only(allowed):
    """Signed in, and `allowed(user)`; anyone else gets a 403 that says why."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied("This part of the staff area is not open to your account.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def refused(request, template: str, context: dict):
    """Filters that do not make sense, or reach outside the viewer's scope: say so, 400."""
    return TemplateResponse(request, template, context, status=400)


def cell(value: int, *, suppress: bool, href: str = "") -> dict:
    """A figure as shown: small counts hidden in partnership-wide views, and never linked
    then, since the list would give the people away."""
    if hidden(value, suppress=suppress):
        return {"value": value, "text": f"fewer than {SMALL_NUMBER}", "href": "", "hidden": True}
    return {"value": value, "text": f"{value:,}", "href": href if value else "", "hidden": False}


def chart_bar(label: str, value: int, *, suppress: bool) -> Bar:
    """A bar whose height never shows what its label hides."""
    shown = cell(value, suppress=suppress)
    return Bar(label, 0 if shown["hidden"] else value, shown["text"], hidden=shown["hidden"])


@staff_only(lambda user: scope_of(user).is_staff_scope)
def staff_home(request):
    return TemplateResponse(request, "reports/staff_home.html", staff_tools_for(request.user))


@staff_only(can_view_reports)
def dashboard(request):
    # Every filter is optional, so no query string is simply a valid, unfiltered form.
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return refused(request, "reports/dashboard.html", {"form": form})
    filters = form.filters()
    today = timezone.localdate()
    data = dashboard_figures(filters=filters, today=today)
    suppress = filters.partnership_wide

    def link(figure: Figure, **params) -> str:
        return f"{reverse('reports:list')}?{filters.query_string(figure=figure, **params)}"

    figure_names = ENROLMENT_FIGURES + CERTIFICATE_FIGURES
    rows = [
        {
            "title": row.title,
            "audience": row.audience,
            "cells": [
                cell(row.figures[name], suppress=suppress, href=link(name, course=row.course_id))
                for name in figure_names
            ],
        }
        for row in data["courses"]
    ]
    totals = [
        cell(data["totals"][name], suppress=suppress, href=link(name)) for name in figure_names
    ]
    monthly = [(month, cell(count, suppress=suppress)) for month, count in data["monthly"]]
    month_bars = [
        chart_bar(f"{month:%b %y}", count, suppress=suppress) for month, count in data["monthly"]
    ]
    # Expiring certificates are still valid: the bar splits valid into "not expiring soon"
    # and "expiring", then expired, so the parts add up.
    totals_by_name = data["totals"]
    share_bars = [
        chart_bar(
            "Valid",
            totals_by_name[Figure.VALID] - totals_by_name[Figure.EXPIRING],
            suppress=suppress,
        ),
        chart_bar("Expiring", totals_by_name[Figure.EXPIRING], suppress=suppress),
        chart_bar("Expired", totals_by_name[Figure.EXPIRED], suppress=suppress),
    ]
    boroughs = form.visible_boroughs.filter(pk__in=filters.borough_ids)
    schools = schools_figures(filters=filters, today=today)
    context = {
        "form": form,
        "filters": filters,
        "scope_name": (
            str(boroughs.first())
            if len(filters.borough_ids) == 1
            else f"All your boroughs ({len(filters.borough_ids)})"
        ),
        "suppress": suppress,
        "figure_labels": [figure.label for figure in figure_names],
        "rows": rows,
        "totals": totals,
        "monthly": monthly,
        # A chart with every figure hidden would be an empty frame: the page says why.
        "monthly_chart": None
        if all_hidden(month_bars)
        else bar_chart_svg(
            title="Courses completed each month",
            description="One bar per month; the table below gives every figure.",
            bars=month_bars,
            chart_id="monthly",
        ),
        "share_chart": None
        if all_hidden(share_bars)
        else share_bar_svg(
            title="Certificates: valid, expiring within 90 days, expired",
            description=", ".join(f"{bar.label}: {bar.text}" for bar in share_bars),
            bars=share_bars,
            chart_id="shares",
        ),
        "share_bars": share_bars,
        "schools": {
            name: [
                {
                    "label": str(row[key]),
                    "lessons": cell(row["lessons"], suppress=suppress),
                    "pupils": cell(row["pupils"], suppress=suppress),
                }
                for row in schools[name]
            ]
            for name, key in SCHOOL_ROW_LABELS.items()
        },
        "schools_total": {
            "lessons": cell(schools["total"]["lessons"], suppress=suppress),
            "pupils": cell(schools["total"]["pupils"], suppress=suppress),
        },
        "drivers_without_valid": cell(
            data[Figure.DRIVERS_WITHOUT_VALID],
            suppress=suppress,
            href=link(Figure.DRIVERS_WITHOUT_VALID),
        ),
    }
    return TemplateResponse(request, "reports/dashboard.html", context)


def hidden(count: int, *, suppress: bool) -> bool:
    """Too few to show across a partnership without pointing at people."""
    return suppress and 0 < count < SMALL_NUMBER


def figure_request(request):
    """The list a request asks for and its filters, or the 400 that says what is wrong."""
    form = ReportFilterForm(request.GET, user=request.user)
    figure = request.GET.get("figure", "")
    if form.is_valid() and figure in FIGURES:
        filters = form.filters()
        listing = people_list(filters=filters, figure=figure, today=timezone.localdate())
        return listing, filters, None
    if figure not in FIGURES:
        form.add_error(None, "Choose a figure from the dashboard.")
    return None, None, refused(request, "reports/figure_list.html", {"form": form})


@staff_only(can_view_reports)
def figure_list(request):
    listing, filters, problem = figure_request(request)
    if problem:
        return problem
    total = listing.count()
    context = {"listing": listing, "filters": filters, "total": total}
    if hidden(total, suppress=filters.partnership_wide):
        context["too_few"] = True
        return TemplateResponse(request, "reports/figure_list.html", context)
    page = Paginator(range(total), PAGE_SIZE).get_page(request.GET.get("page"))
    context["page"] = page
    context["rows"] = labelled_rows(
        listing.columns,
        listing.rows(limit=PAGE_SIZE, offset=page.start_index() - 1 if total else 0),
    )
    context["query"] = filters.query_string(figure=listing.figure)
    access_log(
        request,
        kind=ReportAccess.Kind.LIST,
        what=listing.figure,
        filters=filters.as_log(),
        row_count=len(context["rows"]),
    )
    return TemplateResponse(request, "reports/figure_list.html", context)


@staff_only(can_view_reports)
def figure_export(request):
    listing, filters, problem = figure_request(request)
    if problem:
        return problem
    if filters.partnership_wide and hidden(listing.count(), suppress=True):
        raise PermissionDenied(
            "Too few people to list across a partnership. Choose one borough first."
        )
    access_log(
        request, kind=ReportAccess.Kind.EXPORT, what=listing.figure, filters=filters.as_log()
    )
    day = timezone.localdate().isoformat()
    return csv_response(
        filename=f"{listing.figure.replace('_', '-')}-{day}.csv",
        columns=listing.columns,
        rows=listing.rows(),
    )
