"""Who may change whose records staff see, and the audit trail of every such change.

A borough's partnership, an organisation's borough and a staff role with its place decide
which learners a lead, officer or manager sees (permissions.py). Only holders of
`people.manage_scope`, site administrators (superusers hold every permission), change them:
they alone add and delete places and grant, move and remove staff roles. Editors edit the
content of places (names, contacts) and never see the fields that link them. Every change
to those fields is written to Wagtail's audit log with the old and the new value.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.db.models import Q, QuerySet
from wagtail.log_actions import LogFormatter, log
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Borough, Organisation, Partnership, RoleAssignment, User
from .roles import SCOPE_PERMISSION

SCOPE_CHANGE = "people.scope_change"
# Where Django keeps users' and groups' permissions (allauth's backend only signs people in).
PERMISSIONS_BACKEND = "django.contrib.auth.backends.ModelBackend"

# The fields that decide whose records staff see, by model.
SCOPE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Borough: ("partnership",),
    Organisation: ("borough",),
    RoleAssignment: ("user", "role", "borough", "partnership", "organisation"),
}
PLACES = (Partnership, Borough, Organisation)

# One field's value as the log keeps it: the stored value and what a person reads.
ScopeValue = dict[str, str | int | None]
ScopeValues = dict[str, ScopeValue | None]


def can_manage_scope(user: User | AnonymousUser) -> bool:
    return user.has_perm(SCOPE_PERMISSION)


def scope_values(instance: models.Model) -> ScopeValues:
    """The scope fields of `instance` as the audit log records them (None when empty)."""
    values: ScopeValues = {}
    for name in SCOPE_FIELDS[type(instance)]:
        field = instance._meta.get_field(name)
        stored = getattr(instance, field.attname)
        if stored in (None, ""):
            values[name] = None
        elif field.is_relation:
            values[name] = {"value": stored, "label": str(getattr(instance, name))}
        else:
            values[name] = {
                "value": stored,
                "label": str(dict(field.flatchoices).get(stored, stored)),
            }
    return values


@transaction.atomic
def scope_change_log(
    *,
    instance: models.Model,
    before: ScopeValues | None,
    after: ScopeValues | None,
    user: User,
) -> ModelLogEntry | None:
    """Record a change to `instance`'s scope fields: `before` is None for an object just
    created, `after` None for one about to be deleted. Nothing is written when no scope
    field changed."""
    before, after = before or {}, after or {}
    changes = {
        name: {"from": before.get(name), "to": after.get(name)}
        for name in SCOPE_FIELDS[type(instance)]
        if before.get(name) != after.get(name)
    }
    if not changes:
        return None
    return log(instance=instance, action=SCOPE_CHANGE, user=user, data={"changes": changes})


@transaction.atomic
def scope_removal_log(*, instance: models.Model, user: User) -> None:
    """Record what deleting `instance` takes away, before it goes: its own scope fields,
    and the staff roles held by it (a user) or at it (a place), deleted with it."""
    if type(instance) in SCOPE_FIELDS:
        scope_change_log(instance=instance, before=scope_values(instance), after=None, user=user)
    links = [
        field.name
        for field in map(RoleAssignment._meta.get_field, SCOPE_FIELDS[RoleAssignment])
        if field.is_relation and isinstance(instance, field.related_model)
    ]
    if not links:
        return
    going = RoleAssignment.objects.filter(**{links[0]: instance})
    for assignment in going.select_related("user", "borough", "partnership", "organisation"):
        scope_change_log(
            instance=assignment, before=scope_values(assignment), after=None, user=user
        )


class ScopeChangeFormatter(LogFormatter):
    label = "Change whose records staff see"

    def format_message(self, log_entry):
        changes = log_entry.data.get("changes", {})
        return "Changed " + "; ".join(
            f"{name.replace('_', ' ')} from {_shown(change['from'])} to {_shown(change['to'])}"
            for name, change in changes.items()
        )


def _shown(value: ScopeValue | None) -> str:
    return str(value["label"]) if value else "none"


class ScopePermissionPolicy(ModelPermissionPolicy):
    """The model's own permissions, with `people.manage_scope` needed as well for the
    actions that change scope: adding or deleting a place, any change to a staff role."""

    def __init__(self, model: type[models.Model], *, scope_actions: frozenset[str]):
        super().__init__(model)
        self.scope_actions = scope_actions

    def user_has_permission(self, user, action):
        if action in self.scope_actions and not can_manage_scope(user):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions) -> QuerySet[User]:
        content = [action for action in actions if action not in self.scope_actions]
        scoped = [action for action in actions if action in self.scope_actions]
        allowed = Q(pk__in=[])
        if content:
            allowed |= Q(pk__in=super().users_with_any_permission(content).values("pk"))
        if scoped:
            allowed |= Q(pk__in=super().users_with_any_permission(scoped).values("pk")) & Q(
                pk__in=User.objects.with_perm(SCOPE_PERMISSION, backend=PERMISSIONS_BACKEND).values(
                    "pk"
                )
            )
        return User.objects.filter(allowed)
