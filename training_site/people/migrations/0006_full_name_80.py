import django.db.models.functions
from django.db import migrations, models

import training_site.people.validators

MAX_LENGTH = 80


def refuse_longer_names(apps, schema_editor):
    """Stop rather than cut anyone's name: the learner says how it should read."""
    LearnerProfile = apps.get_model("people", "LearnerProfile")
    longer = (
        LearnerProfile.objects.using(schema_editor.connection.alias)
        .annotate(name_length=django.db.models.functions.Length("full_name"))
        .filter(name_length__gt=MAX_LENGTH)
        .count()
    )
    if longer:
        raise RuntimeError(
            f"{longer} learner profile(s) have a full name longer than {MAX_LENGTH} "
            "characters. This migration will not shorten them: agree a shorter form with each "
            "learner, change it (Wagtail admin or the learner's profile page), then migrate "
            "again."
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0005_account_events")]

    operations = [
        migrations.RunPython(refuse_longer_names, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="learnerprofile",
            name="full_name",
            field=models.CharField(
                help_text="As it must appear on your certificate.",
                max_length=MAX_LENGTH,
                validators=[training_site.people.validators.validate_full_name],
            ),
        ),
    ]
