"""Create a group for every role, and let editors manage boroughs, audiences and organisations.

Group names must match training_site.people.roles.GROUP_NAMES; they are written out here
because a migration must not change when the code does.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_GROUPS = [
    "Learners",
    "Organisation managers",
    "Licensing officers",
    "Borough leads",
    "Partnership leads",
    "Editors",
]
EDITOR_MODELS = ["partnership", "borough", "audience", "organisation"]
ACTIONS = ["add", "change", "delete", "view"]


def create_role_groups(apps, schema_editor):
    # Permissions are normally made after all migrations run; make ours now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="people",
            codename__in=[f"{action}_{model}" for action in ACTIONS for model in EDITOR_MODELS],
        )
    )


def remove_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[name for name in ROLE_GROUPS if name != "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
