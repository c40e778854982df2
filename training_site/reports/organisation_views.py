"""Organisation managers (a hotel, a school, a taxi operator) see their own staff."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from training_site.people.models import Organisation
from training_site.people.permissions import organisations_managed_by

from .exports import csv_response
from .models import ReportAccess
from .schools import school_deliveries
from .selectors import ORGANISATION_COLUMNS, STAFF_ORDERS, organisation_staff
from .views import access_log, staff_only


def manages_any(user) -> bool:
    return organisations_managed_by(user).exists()


@staff_only(manages_any)
def organisations(request):
    managed = list(organisations_managed_by(request.user).select_related("borough")[:200])
    return TemplateResponse(request, "reports/organisations.html", {"organisations": managed})


@staff_only(manages_any)
def organisation(request, pk: int):
    # Another organisation's id is simply not found: its existence is not the viewer's business.
    organisation = get_object_or_404(organisations_managed_by(request.user), pk=pk)
    # A sort the page never offers falls back to the usual one: it only changes the order.
    order = request.GET.get("sort", "name")
    if order not in STAFF_ORDERS:
        order = "name"
    rows = organisation_staff(
        organisation_id=organisation.pk, today=timezone.localdate(), order=order
    )
    wants_csv = request.GET.get("format") == "csv"
    access_log(
        request,
        kind=ReportAccess.Kind.EXPORT if wants_csv else ReportAccess.Kind.ORGANISATION,
        what=f"organisation {organisation.pk}",
        filters={"organisation": organisation.pk},
        row_count=len(rows),
    )
    if wants_csv:
        return csv_response(
            filename=f"staff-{organisation.pk}-{timezone.localdate().isoformat()}.csv",
            columns=ORGANISATION_COLUMNS,
            rows=[row.for_csv() for row in rows],
        )
    return TemplateResponse(
        request,
        "reports/organisation.html",
        {
            "organisation": organisation,
            "rows": rows,
            "order": order,
            "deliveries": school_deliveries(school_id=organisation.pk)
            if organisation.kind == Organisation.Kind.SCHOOL
            else None,
        },
    )
