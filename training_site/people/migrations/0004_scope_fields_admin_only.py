"""Places are added and removed by site administrators only: editors keep changing their
content (names, contacts), but adding or deleting a partnership, borough or organisation
changes whose records staff see. Names are written out: a migration must not change when
the code does."""

from django.db import migrations

PLACES = ["partnership", "borough", "organisation"]
SCOPE_ACTIONS = ["add", "delete"]


def place_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="people",
        codename__in=[f"{action}_{model}" for action in SCOPE_ACTIONS for model in PLACES],
    )


def editors_lose_place_changes(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(*place_permissions(apps))


def editors_regain_place_changes(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.add(*place_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("people", "0003_licence_applied_for")]

    operations = [
        migrations.AlterModelOptions(
            name="roleassignment",
            options={
                "permissions": [
                    (
                        "manage_scope",
                        "Can change whose records staff see (roles, places' links)",
                    )
                ]
            },
        ),
        migrations.RunPython(editors_lose_place_changes, editors_regain_place_changes),
    ]
