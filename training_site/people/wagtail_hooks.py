"""Boroughs, partnerships, audiences, organisations and staff roles in the Wagtail admin."""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import services
from .models import Audience, Borough, Organisation, Partnership, RoleAssignment


class PartnershipViewSet(SnippetViewSet):
    model = Partnership
    icon = "group"
    list_display = ["name"]
    search_fields = ["name"]


class BoroughViewSet(SnippetViewSet):
    model = Borough
    icon = "site"
    list_display = ["name", "ons_code", "partnership", "social_care_phone"]
    list_filter = ["partnership"]
    search_fields = ["name", "ons_code"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "user"
    list_display = ["name", "membership", "is_active"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "home"
    list_display = ["name", "kind", "borough", "is_confirmed"]
    list_filter = ["kind", "borough", "is_confirmed"]
    search_fields = ["name"]


class RoleAssignmentCreateView(snippet_views.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        services.role_groups_sync(user=instance.user)
        return instance


class RoleAssignmentEditView(snippet_views.EditView):
    def save_instance(self):
        previous_holder = RoleAssignment.objects.get(pk=self.object.pk).user
        instance = super().save_instance()
        services.role_groups_sync(user=instance.user)
        if previous_holder.pk != instance.user_id:
            services.role_groups_sync(user=previous_holder)
        return instance


class RoleAssignmentDeleteView(snippet_views.DeleteView):
    def delete_action(self):
        holder = self.object.user
        super().delete_action()
        services.role_groups_sync(user=holder)


class RoleAssignmentViewSet(SnippetViewSet):
    """Granting a role here also puts the person in the role's group."""

    model = RoleAssignment
    icon = "key"
    menu_label = "Staff roles"
    list_display = ["user", "role", "borough", "partnership", "organisation", "granted_at"]
    list_filter = ["role"]
    panels = [
        FieldPanel("user"),
        FieldPanel("role"),
        FieldPanel("borough"),
        FieldPanel("partnership"),
        FieldPanel("organisation"),
    ]

    add_view_class = RoleAssignmentCreateView
    copy_view_enabled = False
    edit_view_class = RoleAssignmentEditView
    delete_view_class = RoleAssignmentDeleteView


class PeopleGroup(SnippetViewSetGroup):
    menu_label = "People and places"
    menu_icon = "site"
    menu_order = 300
    items = (
        PartnershipViewSet,
        BoroughViewSet,
        AudienceViewSet,
        OrganisationViewSet,
        RoleAssignmentViewSet,
    )


register_snippet(PeopleGroup)
