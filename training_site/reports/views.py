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

from training_site.people.permissions import (
    can_view_reports,
    reports_may_name_people,
    scope_of,
    staff_tools_for,
)

from .charts import all_hidden, bar_chart_svg, share_bar_svg
from .dashboard import FIGURE_NAMES, dashboard_shown, figures_filters
from .exports import csv_response, labelled_rows
from .filters import ReportFilterForm
from .lists import FIGURES, people_list
from .models import ReportAccess
from .schools import schools_figures
from .selectors import Figure, dashboard_figures, drivers_without_valid_certificate

PAGE_SIZE = 50
FIGURES_CSV_COLUMNS = ("Table", "Row", "Figure", "Value")


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


@staff_only(lambda user: scope_of(user).is_staff_scope)
def staff_home(request):
    return TemplateResponse(request, "reports/staff_home.html", staff_tools_for(request.user))


def dashboard_request(request):
    """The dashboard's figures for a request, or the 400 that says what is wrong."""
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None, None, refused(request, "reports/dashboard.html", {"form": form})
    filters = form.filters()
    today = timezone.localdate()
    counted = figures_filters(filters)
    data = dashboard_figures(filters=counted, today=today)
    if counted != filters:
        # The drivers figure narrowed to the chosen course: one figure on its own.
        data[Figure.DRIVERS_WITHOUT_VALID] = drivers_without_valid_certificate(
            filters, today
        ).count()
    naming = reports_may_name_people(filters.borough_ids)

    def link(figure: Figure, **params) -> str:
        if not naming:
            return ""
        return f"{reverse('reports:list')}?{filters.query_string(figure=figure, **params)}"

    shown = dashboard_shown(
        data=data,
        schools=schools_figures(filters=filters, today=today),
        filters=filters,
        link=link,
    )
    return form, filters, shown, None


@staff_only(can_view_reports)
def dashboard(request):
    # Every filter is optional, so no query string is simply a valid, unfiltered form.
    form, filters, shown, problem = dashboard_request(request)
    if problem:
        return problem
    month_bars, share_bars = shown.month_bars(), shown.share_bars()
    boroughs = form.visible_boroughs.filter(pk__in=filters.borough_ids)
    context = {
        "form": form,
        "filters": filters,
        "scope_name": (
            str(boroughs.first())
            if len(filters.borough_ids) == 1
            else f"All your boroughs ({len(filters.borough_ids)})"
        ),
        "suppress": filters.partnership_wide,
        "figure_labels": [figure.label for figure in FIGURE_NAMES],
        "rows": shown.rows,
        "totals": shown.totals,
        "monthly": shown.monthly,
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
        "share": shown.share,
        "schools": shown.schools,
        "schools_total": shown.schools_total,
        "drivers_without_valid": shown.drivers_without_valid,
        "figures_csv": f"{reverse('reports:figures_export')}?{filters.query_string()}",
    }
    return TemplateResponse(request, "reports/dashboard.html", context)


@staff_only(can_view_reports)
def figures_export(request):
    """The dashboard's figures as CSV, hidden just as on the page: a file to share."""
    _, filters, shown, problem = dashboard_request(request)
    if problem:
        return problem
    access_log(request, kind=ReportAccess.Kind.EXPORT, what="figures", filters=filters.as_log())
    return csv_response(
        filename=f"figures-{timezone.localdate().isoformat()}.csv",
        columns=FIGURES_CSV_COLUMNS,
        rows=shown.csv_rows([figure.label for figure in FIGURE_NAMES]),
    )


def names_refused() -> PermissionDenied:
    return PermissionDenied(
        "Lists of people are shown for one borough at a time, so nobody is named in a view "
        "across boroughs. Choose one borough on the dashboard first."
    )


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
    if not reports_may_name_people(filters.borough_ids):
        raise names_refused()
    total = listing.count()
    context = {"listing": listing, "filters": filters, "total": total}
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
    if not reports_may_name_people(filters.borough_ids):
        raise names_refused()
    access_log(
        request, kind=ReportAccess.Kind.EXPORT, what=listing.figure, filters=filters.as_log()
    )
    day = timezone.localdate().isoformat()
    return csv_response(
        filename=f"{listing.figure.replace('_', '-')}-{day}.csv",
        columns=listing.columns,
        rows=listing.rows(),
    )
