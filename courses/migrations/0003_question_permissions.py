"""Who may do what with test questions.

Editors draft questions; publishing a question is for safeguarding reviewers (granted when
the review workflow is set up). Editors and borough and partnership leads may see how
questions are answered, in the Wagtail admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = [
    "add_question",
    "change_question",
    "delete_question",
    "view_question",
    "view_question_statistics",
]
LEAD_GROUPS = ["Borough leads", "Partnership leads"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="courses", codename__in=EDITOR_CODENAMES)
    )
    statistics = Permission.objects.get(
        content_type__app_label="courses", codename="view_question_statistics"
    )
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name in LEAD_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(statistics, admin_access)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = Permission.objects.filter(
        content_type__app_label="courses", codename__in=EDITOR_CODENAMES
    )
    for group in Group.objects.filter(name__in=["Editors", *LEAD_GROUPS]):
        group.permissions.remove(*codenames)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_quizzes"),
        ("people", "0002_role_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
