import django.db.models.functions
from django.db import migrations, models

MAX_LENGTH = 80


def refuse_longer_names(apps, schema_editor):
    """Stop rather than cut a name printed on an issued certificate."""
    Certificate = apps.get_model("certificates", "Certificate")
    longer = (
        Certificate.objects.using(schema_editor.connection.alias)
        .annotate(name_length=django.db.models.functions.Length("full_name"))
        .filter(name_length__gt=MAX_LENGTH)
        .count()
    )
    if longer:
        raise RuntimeError(
            f"{longer} certificate(s) hold a name longer than {MAX_LENGTH} characters. This "
            "migration will not shorten them: agree a shorter form with each holder, correct "
            "the name on their certificate, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0006_learner_detached")]

    operations = [
        migrations.RunPython(refuse_longer_names, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="certificate",
            name="full_name",
            field=models.CharField(max_length=MAX_LENGTH),
        ),
    ]
