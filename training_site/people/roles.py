"""The roles people hold. Each is a Django group (created by a migration); staff roles are
also scoped to a place by a RoleAssignment."""

from django.db import models


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    ORGANISATION_MANAGER = "organisation_manager", "Organisation manager"
    LICENSING_OFFICER = "licensing_officer", "Licensing officer"
    BOROUGH_LEAD = "borough_lead", "Borough safeguarding lead"
    PARTNERSHIP_LEAD = "partnership_lead", "Partnership safeguarding lead"
    EDITOR = "editor", "Content editor"

    @classmethod
    def scoped_choices(cls):
        return [(role.value, role.label) for role in SCOPED_ROLES]

    @property
    def group_name(self) -> str:
        return GROUP_NAMES[self]


GROUP_NAMES = {
    Role.LEARNER: "Learners",
    Role.ORGANISATION_MANAGER: "Organisation managers",
    Role.LICENSING_OFFICER: "Licensing officers",
    Role.BOROUGH_LEAD: "Borough leads",
    Role.PARTNERSHIP_LEAD: "Partnership leads",
    # Wagtail's own migrations create "Editors" with page permissions; the role reuses it.
    Role.EDITOR: "Editors",
}

# Roles that only mean something for a place (a borough, a partnership, an organisation).
SCOPED_ROLES = (
    Role.ORGANISATION_MANAGER,
    Role.LICENSING_OFFICER,
    Role.BOROUGH_LEAD,
    Role.PARTNERSHIP_LEAD,
)

# Site administrators' permission to change whose records staff see: staff roles and the
# links between places (see scope.py). Superusers hold it without being given it.
SCOPE_PERMISSION = "people.manage_scope"
