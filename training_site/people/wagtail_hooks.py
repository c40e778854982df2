"""Boroughs, partnerships, audiences, organisations and staff roles in the Wagtail admin."""

from django.db import transaction
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import services
from .models import Audience, Borough, Organisation, Partnership, RoleAssignment
from .scope import (
    PLACES,
    SCOPE_CHANGE,
    ScopeChangeFormatter,
    ScopePermissionPolicy,
    scope_change_log,
    scope_removal_log,
    scope_values,
)

# Adding or deleting a place, and any change to a staff role, is for site administrators.
for place in PLACES:
    register_permission_policy(
        place, ScopePermissionPolicy(place, scope_actions=frozenset({"add", "delete"}))
    )
register_permission_policy(
    RoleAssignment,
    ScopePermissionPolicy(RoleAssignment, scope_actions=frozenset({"add", "change", "delete"})),
)


class ScopeLoggedCreateView(snippet_views.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        scope_change_log(
            instance=instance, before=None, after=scope_values(instance), user=self.request.user
        )
        return instance


class ScopeLoggedEditView(snippet_views.EditView):
    def save_instance(self):
        # The form has already changed self.object; the stored row says what it was.
        before = scope_values(self.model._default_manager.get(pk=self.object.pk))
        instance = super().save_instance()
        scope_change_log(
            instance=instance, before=before, after=scope_values(instance), user=self.request.user
        )
        return instance


class ScopeLoggedDeleteView(snippet_views.DeleteView):
    def delete_action(self):
        with transaction.atomic():
            scope_removal_log(instance=self.object, user=self.request.user)
            super().delete_action()


@hooks.register("before_bulk_action")
def scope_bulk_removal_log(request, action_type, objects, action_class_instance):
    """Deleting several snippets at once from a listing is logged as one at a time is."""
    if action_type == "delete":
        for instance in objects:
            scope_removal_log(instance=instance, user=request.user)


@hooks.register("register_log_actions")
def scope_log_actions(actions):
    actions.register_action(SCOPE_CHANGE)(ScopeChangeFormatter)


class PartnershipViewSet(SnippetViewSet):
    model = Partnership
    icon = "group"
    list_display = ["name"]
    search_fields = ["name"]
    delete_view_class = ScopeLoggedDeleteView


class BoroughViewSet(SnippetViewSet):
    model = Borough
    icon = "site"
    list_display = [
        "name",
        "ons_code",
        "partnership",
        "social_care_phone",
        "out_of_hours_phone",
        BooleanColumn("contacts_confirmed", label="Contacts confirmed"),
    ]
    list_filter = ["partnership"]
    search_fields = ["name", "ons_code"]
    add_view_class = ScopeLoggedCreateView
    # A copy would be created without the scope log, and a place is never a near-duplicate.
    copy_view_enabled = False
    edit_view_class = ScopeLoggedEditView
    delete_view_class = ScopeLoggedDeleteView


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "user"
    list_display = ["name", "membership", "works_nights", "is_active"]
    search_fields = ["name", "description"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "home"
    list_display = ["name", "kind", "borough", "is_confirmed"]
    list_filter = ["kind", "borough", "is_confirmed"]
    search_fields = ["name"]
    add_view_class = ScopeLoggedCreateView
    # A copy would be created without the scope log, and a place is never a near-duplicate.
    copy_view_enabled = False
    edit_view_class = ScopeLoggedEditView
    delete_view_class = ScopeLoggedDeleteView


def roles_changed(request, user) -> None:
    """Groups follow the change, and the person's other sessions end (the administrator's
    own session stays if they changed their own roles)."""
    services.role_groups_sync(user=user, keep_session_key=request.session.session_key)


class RoleAssignmentCreateView(ScopeLoggedCreateView):
    def save_instance(self):
        instance = super().save_instance()
        roles_changed(self.request, instance.user)
        return instance


class RoleAssignmentEditView(ScopeLoggedEditView):
    def save_instance(self):
        previous_holder = RoleAssignment.objects.get(pk=self.object.pk).user
        instance = super().save_instance()
        roles_changed(self.request, instance.user)
        if previous_holder.pk != instance.user_id:
            roles_changed(self.request, previous_holder)
        return instance


class RoleAssignmentDeleteView(ScopeLoggedDeleteView):
    def delete_action(self):
        holder = self.object.user
        super().delete_action()
        roles_changed(self.request, holder)


class RoleAssignmentViewSet(SnippetViewSet):
    """Granting a role here also puts the person in the role's group."""

    model = RoleAssignment
    icon = "key"
    menu_label = "Staff roles"
    list_display = ["user", "role", "borough", "partnership", "organisation", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__email"]
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

# Wagtail's own user admin sets groups (the editor and reviewer roles) and administrator
# status; a change to either ends the person's other sessions too.
_ACCESS_BEFORE_EDIT = "_people_access_before_edit"


def access_of(user) -> tuple:
    return (
        user.is_superuser,
        user.is_staff,
        frozenset(user.groups.values_list("pk", flat=True)),
    )


@hooks.register("before_edit_user")
def user_access_note(request, user):
    setattr(request, _ACCESS_BEFORE_EDIT, access_of(user))


@hooks.register("after_edit_user")
def user_access_changed(request, user):
    if getattr(request, _ACCESS_BEFORE_EDIT, None) != access_of(user):
        services.sessions_end(user=user, keep_session_key=request.session.session_key)
