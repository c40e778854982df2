"""The report access log in the Wagtail admin, under Reports: read-only for everyone,
superusers included, because an audit trail that can be edited proves nothing."""

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import ReportAccess


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [action for action in actions if action not in {"add", "change", "delete"}]
        )


register_permission_policy(ReportAccess, ReadOnlyPermissionPolicy(ReportAccess))


class ReportAccessViewSet(ModelViewSet):
    model = ReportAccess
    icon = "history"
    menu_label = "Report access log"
    name = "report_access"
    inspect_view_enabled = True
    # The policy refuses adding and editing; a form is still required to build the views.
    form_fields = ["kind", "what"]
    list_display = ["at", "user_label", "kind", "what", "row_count"]
    list_filter = ["kind", "at"]
    search_fields = ["user_label", "what"]
    list_export = ["at", "user_label", "kind", "what", "filters", "row_count"]
    export_filename = "report-access-log"


report_access_viewset = ReportAccessViewSet()


@hooks.register("register_admin_viewset")
def register_report_access_viewset():
    return report_access_viewset


class AccessLogMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("reports.view_reportaccess")


@hooks.register("register_reports_menu_item")
def report_access_menu_item():
    return AccessLogMenuItem(
        "Report access log",
        report_access_viewset.menu_url,
        icon_name="history",
        order=710,
    )
