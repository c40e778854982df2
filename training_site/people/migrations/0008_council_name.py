from django.db import migrations, models

LEEDS_ONS_CODE = "E08000035"


def name_leeds_city_council(apps, schema_editor):
    """Certificates and contact panels said "Leeds Council"; the council is Leeds City Council."""
    Borough = apps.get_model("people", "Borough")
    Borough.objects.using(schema_editor.connection.alias).filter(
        ons_code=LEEDS_ONS_CODE, council_name=""
    ).update(council_name="Leeds City Council")


class Migration(migrations.Migration):
    dependencies = [("people", "0007_borough_contacts")]

    operations = [
        migrations.AddField(
            model_name="borough",
            name="council_name",
            field=models.CharField(
                blank=True,
                help_text="The council's name as it writes it, e.g. “Leeds City Council”. Leave "
                "empty for the borough name followed by “Council”.",
                max_length=120,
            ),
        ),
        migrations.RunPython(name_leeds_city_council, migrations.RunPython.noop),
    ]
